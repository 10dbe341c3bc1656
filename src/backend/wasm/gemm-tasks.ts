// How one (batched) float32 matrix product is cut into tasks that threads can run in any order.
// Used by the calling thread and by the pool's workers alike, so it imports nothing but types:
// a worker loads only this file, worker-loop.ts and the kernels.
import type { KernelExports } from "./kernels.js";

/** Micro-kernel tile of assembly/gemm.ts: row chunks are multiples of MR, column chunks of NR. */
const MR = 4;
const NR = 8;
/** Tasks per thread: two, so a thread slowed by another process does not hold up the rest. */
const TASKS_PER_THREAD = 2;
/**
 * Smallest chunk worth a task. A task over a column chunk packs all of A (a row chunk: all of B)
 * again, at ~0.5 ns an element against ~chunk/20 ns of arithmetic per element of A: 128 columns
 * keep that repacking under ~10%.
 */
const MIN_CHUNK = 128;
/** Batch dims a job can carry in its parameter block. */
export const MAX_BATCH_DIMS = 16;

/** One product C[b] = A[b]·B[b] over batches; pointers are byte addresses in WASM memory. */
export interface GemmJob {
  m: number;
  n: number;
  k: number;
  /** Address of A's element [0, ..., 0] and its row/column strides (elements). */
  a: number;
  sam: number;
  sak: number;
  b: number;
  sbk: number;
  sbn: number;
  /** Address of C, dense [batches, m, n]. */
  c: number;
  /** Batch dims and A's and B's strides over them (0 where broadcast). */
  batchShape: readonly number[];
  batchStridesA: readonly number[];
  batchStridesB: readonly number[];
  /** Per-thread scratch: thread i uses [ws + i·wsBytes, ws + (i+1)·wsBytes). */
  ws: number;
  wsBytes: number;
  /** How each matrix is cut: `parts` chunks of `chunk` rows or columns. */
  split: "rows" | "cols";
  parts: number;
  chunk: number;
}

/** Cuts a job for `threads` threads (1: one task per matrix, the whole product). */
export function planSplit(
  m: number,
  n: number,
  batches: number,
  threads: number,
): Pick<GemmJob, "split" | "parts" | "chunk"> {
  const want = Math.ceil((threads * TASKS_PER_THREAD) / batches);
  if (threads === 1 || want <= 1) return { split: "cols", parts: 1, chunk: n };
  const cols = n >= m;
  const size = cols ? n : m;
  const align = cols ? NR : MR;
  const roundUp = (x: number): number => Math.ceil(x / align) * align;
  // At least one chunk per thread even when that means chunks under MIN_CHUNK.
  const least = Math.min(MIN_CHUNK, roundUp(size / Math.ceil(threads / batches)));
  const chunk = Math.min(size, Math.max(roundUp(size / want), least));
  return { split: cols ? "cols" : "rows", parts: Math.ceil(size / chunk), chunk };
}

/** Number of tasks of a job. */
export function taskCount(job: GemmJob): number {
  return job.batchShape.reduce((p, s) => p * s, 1) * job.parts;
}

/**
 * Runs task `t` with scratch of thread `thread`. A task's output elements are computed with the
 * same sequence of float operations whatever the cut (packing and the k loop do not depend on it),
 * so threaded results equal single-thread results bit for bit.
 */
export function runTask(K: KernelExports, job: GemmJob, t: number, thread: number): void {
  const part = t % job.parts;
  let rest = (t - part) / job.parts;
  const batch = rest;
  let oa = 0;
  let ob = 0;
  for (let d = job.batchShape.length - 1; d >= 0; d--) {
    const i = rest % job.batchShape[d]!;
    rest = (rest - i) / job.batchShape[d]!;
    oa += i * job.batchStridesA[d]!;
    ob += i * job.batchStridesB[d]!;
  }
  const a = job.a + oa * 4;
  const b = job.b + ob * 4;
  const c = job.c + batch * job.m * job.n * 4;
  const ws = job.ws + thread * job.wsBytes;
  const lo = part * job.chunk;
  if (job.split === "cols") {
    const hi = Math.min(job.n, lo + job.chunk);
    K.gemmF32(job.m, lo, hi, job.k, a, job.sam, job.sak, b, job.sbk, job.sbn, c, job.n, ws);
  } else {
    const rows = Math.min(job.m, lo + job.chunk) - lo;
    const ar = a + lo * job.sam * 4;
    const cr = c + lo * job.n * 4;
    K.gemmF32(rows, 0, job.n, job.k, ar, job.sam, job.sak, b, job.sbk, job.sbn, cr, job.n, ws);
  }
}

// A job travels to workers as numbers in a Float64Array (exact for integers below 2^53).
const FIXED = 16;
export const JOB_SLOTS = FIXED + 3 * MAX_BATCH_DIMS;

export function encodeJob(job: GemmJob, to: Float64Array): void {
  const fixed = [job.m, job.n, job.k, job.a, job.sam, job.sak, job.b, job.sbk, job.sbn, job.c];
  fixed.push(job.ws, job.wsBytes, job.split === "cols" ? 1 : 0, job.parts, job.chunk);
  fixed.push(job.batchShape.length);
  to.set(fixed, 0);
  job.batchShape.forEach((s, d) => {
    to[FIXED + 3 * d] = s;
    to[FIXED + 3 * d + 1] = job.batchStridesA[d]!;
    to[FIXED + 3 * d + 2] = job.batchStridesB[d]!;
  });
}

export function decodeJob(from: Float64Array): GemmJob {
  const nd = from[15]!;
  const dims = (j: number): number[] =>
    Array.from({ length: nd }, (_, d) => from[FIXED + 3 * d + j]!);
  return {
    m: from[0]!,
    n: from[1]!,
    k: from[2]!,
    a: from[3]!,
    sam: from[4]!,
    sak: from[5]!,
    b: from[6]!,
    sbk: from[7]!,
    sbn: from[8]!,
    c: from[9]!,
    ws: from[10]!,
    wsBytes: from[11]!,
    split: from[12] === 1 ? "cols" : "rows",
    parts: from[13]!,
    chunk: from[14]!,
    batchShape: dims(0),
    batchStridesA: dims(1),
    batchStridesB: dims(2),
  };
}
