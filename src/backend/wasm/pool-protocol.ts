// The control block the calling thread and the pool's workers share: a few Int32 counters for
// Atomics, then the current job's parameters. Imported by workers, so it imports only types.
import { JOB_SLOTS } from "./gemm-tasks.js";

/** Int32 slots of the control block. */
export const Slot = {
  /** Job generation: bumped (and notified) by the caller to start a job. */
  Gen: 0,
  /** Workers finished with the current job. */
  Done: 1,
  /** Next task ticket (Atomics.add hands each task to exactly one thread). */
  Next: 2,
  /** Workers that have instantiated the kernels and wait for jobs. */
  Ready: 3,
  /** 1: workers leave their loop at the next generation. */
  Stop: 4,
  /** 1: a worker's task threw (the caller rethrows rather than return wrong numbers). */
  Error: 5,
  /** Tasks of the current job. */
  Tasks: 6,
  /** 1: a worker could not start (the pool is given up and the caller computes alone). */
  Failed: 7,
  /** Threads taking part in the current job (the caller + workers 1 .. Threads-1). */
  Threads: 8,
} as const;

const PARAMS_OFFSET = 64;

/** What a worker needs to start: the compiled kernels, the shared memory and the control block. */
export interface WorkerInit {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly control: SharedArrayBuffer;
  /** 1-based: thread 0 is the caller. */
  readonly index: number;
}

export function newControl(): SharedArrayBuffer {
  return new SharedArrayBuffer(PARAMS_OFFSET + JOB_SLOTS * 8);
}

export function controlViews(control: SharedArrayBuffer): {
  ctl: Int32Array;
  params: Float64Array;
} {
  return {
    ctl: new Int32Array(control, 0, PARAMS_OFFSET / 4),
    params: new Float64Array(control, PARAMS_OFFSET, JOB_SLOTS),
  };
}
