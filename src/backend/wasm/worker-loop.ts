// The body of a pool worker, the same in worker_threads and Web Workers: instantiate the kernels
// over the shared memory, then block on the job generation and take tasks until none are left.
import { decodeJob, runTask } from "./gemm-tasks.js";
import type { KernelExports } from "./kernels.js";
import { Slot, controlViews, type WorkerInit } from "./pool-protocol.js";

/** Runs until the pool sets Stop (or the thread is terminated); never returns early. */
export function runWorker(init: WorkerInit): void {
  const { ctl, params } = controlViews(init.control);
  const instance = new WebAssembly.Instance(init.module, { env: { memory: init.memory } });
  const K = instance.exports as unknown as KernelExports;
  let seen = Atomics.load(ctl, Slot.Gen);
  Atomics.add(ctl, Slot.Ready, 1);
  Atomics.notify(ctl, Slot.Ready);
  for (;;) {
    Atomics.wait(ctl, Slot.Gen, seen);
    const gen = Atomics.load(ctl, Slot.Gen);
    if (gen === seen) continue; // spurious wake-up
    seen = gen;
    if (Atomics.load(ctl, Slot.Stop) === 1) return;
    try {
      // A pool keeps the workers of a larger thread count it once had; the extra ones sit out.
      if (init.index >= Atomics.load(ctl, Slot.Threads)) continue;
      const job = decodeJob(params);
      const tasks = Atomics.load(ctl, Slot.Tasks);
      for (let t = Atomics.add(ctl, Slot.Next, 1); t < tasks; t = Atomics.add(ctl, Slot.Next, 1)) {
        runTask(K, job, t, init.index);
      }
    } catch {
      Atomics.store(ctl, Slot.Error, 1);
    } finally {
      Atomics.add(ctl, Slot.Done, 1);
      Atomics.notify(ctl, Slot.Done);
    }
  }
}
