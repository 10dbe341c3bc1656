// torchlet's intra-op thread count (PyTorch's torch.set_num_threads) and the one worker pool that
// runs large float32 matrix products. The core never imports worker_threads: a platform adapter
// (node-threads.ts for Node; a Web Worker adapter is a TODO, see README.md) installs a ThreadHost.
import { ValueError } from "../../errors.js";
import { encodeJob, runTask, taskCount, type GemmJob } from "./gemm-tasks.js";
import type { KernelExports } from "./kernels.js";
import { Slot, controlViews, newControl, type WorkerInit } from "./pool-protocol.js";

/** What a platform provides for threads. */
export interface ThreadHost {
  /** The default thread count: the cores this process may use. */
  readonly cores: number;
  /**
   * Whether the calling thread may block in Atomics.wait (Node: any thread; browsers: workers
   * only, never the main thread). Where it may not, every kernel runs on the calling thread.
   */
  readonly canBlock: boolean;
  /** Starts a worker that calls runWorker(init) (worker-loop.ts); it must not keep the process alive. */
  spawn(init: WorkerInit): { terminate(): void };
}

let host: ThreadHost | undefined;
let requested: number | undefined;

/** Installs the platform's threads (called by an adapter such as node-threads.ts on import). */
export function setThreadHost(h: ThreadHost | undefined): void {
  host = h;
  broken = false;
  disposePool();
}

/**
 * Sets the number of threads torchlet uses for large float32 matrix products (PyTorch's
 * `torch.set_num_threads`). 1 runs everything on the calling thread and starts no workers.
 *
 * @example
 * torch.setNumThreads(1); // deterministic single-thread timing
 * torch.setNumThreads(os.availableParallelism()); // the default
 */
export function setNumThreads(n: number): void {
  if (typeof n !== "number" || !Number.isInteger(n)) {
    throw new ValueError(`setNumThreads expects an integer, but got ${String(n)}`);
  }
  if (n < 1) throw new ValueError("setNumThreads expects a positive integer");
  requested = n;
}

/**
 * The number of threads setNumThreads set; by default the cores available to the process
 * (`os.availableParallelism()` in Node, `navigator.hardwareConcurrency` in browsers), or 1 where
 * no thread adapter is installed.
 *
 * @example
 * torch.getNumThreads(); // 2 on a two-core machine
 */
export function getNumThreads(): number {
  return requested ?? host?.cores ?? 1;
}

/** Threads a kernel called now may use: 1 without an adapter or where this thread cannot block. */
export function usableThreads(): number {
  return host && host.canBlock ? getNumThreads() : 1;
}

/** Counters for tests: workers alive and jobs run by the pool since the process started. */
export const poolStats = { workers: 0, jobs: 0 };

/** The pool: `size` workers over one kernel module and memory; thread 0 is the caller. */
class Pool {
  readonly ctl: Int32Array;
  readonly params: Float64Array;
  private readonly workers: { terminate(): void }[] = [];

  constructor(
    h: ThreadHost,
    readonly module: WebAssembly.Module,
    readonly memory: WebAssembly.Memory,
    readonly size: number,
  ) {
    const control = newControl();
    ({ ctl: this.ctl, params: this.params } = controlViews(control));
    for (let index = 1; index <= size; index++) {
      this.workers.push(h.spawn({ module, memory, control, index }));
    }
    poolStats.workers = size;
  }

  /**
   * Waits (up to `ms`) for every worker to instantiate the kernels; false on a timeout or when a
   * worker reported that it could not start (it notifies Ready after setting Failed).
   */
  waitReady(ms: number): boolean {
    const until = Date.now() + ms;
    for (let r = Atomics.load(this.ctl, Slot.Ready); r < this.size;) {
      const left = until - Date.now();
      if (left <= 0 || Atomics.load(this.ctl, Slot.Failed) !== 0) return false;
      Atomics.wait(this.ctl, Slot.Ready, r, left);
      r = Atomics.load(this.ctl, Slot.Ready);
    }
    return true;
  }

  /** Runs every task of `job` on `threads` threads (the caller too); returns when all are done. */
  run(K: KernelExports, job: GemmJob, threads: number): void {
    const { ctl } = this;
    const tasks = taskCount(job);
    Atomics.store(ctl, Slot.Threads, threads);
    encodeJob(job, this.params);
    Atomics.store(ctl, Slot.Tasks, tasks);
    Atomics.store(ctl, Slot.Next, 0);
    Atomics.store(ctl, Slot.Done, 0);
    Atomics.store(ctl, Slot.Error, 0);
    Atomics.add(ctl, Slot.Gen, 1); // publishes the writes above to every worker that wakes
    Atomics.notify(ctl, Slot.Gen);
    for (let t = Atomics.add(ctl, Slot.Next, 1); t < tasks; t = Atomics.add(ctl, Slot.Next, 1)) {
      runTask(K, job, t, 0);
    }
    for (let d = Atomics.load(ctl, Slot.Done); d < this.size; d = Atomics.load(ctl, Slot.Done)) {
      Atomics.wait(ctl, Slot.Done, d);
    }
    poolStats.jobs++;
    if (Atomics.load(ctl, Slot.Error) !== 0) {
      throw new Error("torchlet thread pool: a worker failed while computing a matrix product");
    }
  }

  dispose(): void {
    Atomics.store(this.ctl, Slot.Stop, 1);
    Atomics.add(this.ctl, Slot.Gen, 1);
    Atomics.notify(this.ctl, Slot.Gen);
    for (const w of this.workers) w.terminate();
    poolStats.workers = 0;
  }
}

let pool: Pool | undefined;
let broken = false;

function disposePool(): void {
  pool?.dispose();
  pool = undefined;
}

/**
 * The pool for `threads` threads over this module and memory, started on first use; undefined
 * where workers cannot run (then the caller computes alone). There is one pool per process, so
 * no more than getNumThreads() threads ever compute. It grows when more threads are asked for and
 * keeps its workers (blocked, idle) when fewer are; another module or memory replaces it.
 */
export function acquirePool(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
  threads: number,
): { run(K: KernelExports, job: GemmJob, threads: number): void } | undefined {
  if (!host || broken || threads < 2) return undefined;
  if (pool && pool.module === module && pool.memory === memory && pool.size >= threads - 1) {
    return pool;
  }
  disposePool();
  const p = new Pool(host, module, memory, threads - 1);
  // Workers start in tens of milliseconds; a pool that cannot start at all is given up on.
  if (!p.waitReady(30_000)) {
    p.dispose();
    broken = true;
    console.warn("torchlet: the thread pool's workers did not start; computing on one thread");
    return undefined;
  }
  pool = p;
  return p;
}
