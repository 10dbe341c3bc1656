// Entry of a pool worker under Node's worker_threads (loaded by node-threads.ts's bootstrap).
import { workerData } from "node:worker_threads";
import type { WorkerInit } from "./pool-protocol.js";
import { runWorker } from "./worker-loop.js";

runWorker((workerData as { init: WorkerInit }).init);
