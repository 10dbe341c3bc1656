// Node's thread adapter: importing this module (src/node.ts does) lets torchlet run large matrix
// products on worker_threads. Kept out of the core so a browser bundle never sees worker_threads.
import os from "node:os";
import { Worker } from "node:worker_threads";
import { Slot } from "./pool-protocol.js";
import { setThreadHost, type ThreadHost } from "./threads.js";

// The worker entry has this file's extension: .ts when run from source, .js when built. From
// source, tsx's loader is not inherited by worker threads on Node 20, so the worker registers it.
const ext = import.meta.url.slice(import.meta.url.lastIndexOf("."));
const entry = new URL(`./worker-node${ext}`, import.meta.url).href;
const tsx = ext === ".ts" ? import.meta.resolve("tsx/esm/api") : undefined;

// The worker's first script: it only uses import(), so it runs whether the worker evaluates it as
// CommonJS or as a module (Node passes --input-type on to workers). A worker that cannot load its
// entry says so through the control block: the caller, blocked in Atomics.wait, would never see
// the Worker's "error" event.
const bootstrap = `
import("node:worker_threads").then(async ({ workerData }) => {
  try {
    if (workerData.tsx) (await import(workerData.tsx)).register();
    await import(workerData.entry);
  } catch (e) {
    const ctl = new Int32Array(workerData.init.control);
    Atomics.store(ctl, ${Slot.Failed}, 1);
    Atomics.notify(ctl, ${Slot.Ready});
    console.error("torchlet thread pool worker:", e);
  }
});
`;

/** worker_threads as torchlet's ThreadHost (installed on import). */
export const nodeThreadHost: ThreadHost = {
  cores: os.availableParallelism(),
  canBlock: true, // Atomics.wait is allowed on every Node thread, the main one included
  spawn(init) {
    const worker = new Worker(bootstrap, { eval: true, workerData: { init, entry, tsx } });
    worker.unref(); // an idle pool must not keep the process alive
    worker.on("error", () => {}); // reported through the control block (see bootstrap)
    return { terminate: () => void worker.terminate() };
  },
};

setThreadHost(nodeThreadHost);
