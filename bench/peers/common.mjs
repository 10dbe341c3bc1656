// Shared by the JavaScript peers: timing with a time budget, and the W2 layouts.
import { performance } from "node:perf_hooks";
export const layouts = ["NN", "TN", "NT", "TT"]; // A·B, Aᵀ·B, A·Bᵀ, Aᵀ·Bᵀ

/**
 * Runs `fn` `warmup` times (true = once) to warm up, then until `maxReps` runs or `budgetMs`
 * spent; seconds per run.
 */
export function timeRuns(fn, { maxReps = 5, budgetMs = 3000, warmup = true } = {}) {
  for (let i = 0, n = warmup === true ? 1 : Number(warmup); i < n; i++) fn();
  const times = [];
  const start = performance.now();
  while (times.length < maxReps && (times.length === 0 || performance.now() - start < budgetMs)) {
    const t = performance.now();
    fn();
    times.push((performance.now() - t) / 1e3);
  }
  return times;
}

/**
 * Seconds per call of `fn`, one figure per timed batch: like Python's timeit, each batch repeats
 * fn for at least `minBatchMs`, so a 30 µs product is timed over many calls and each peer reaches
 * its steady state (allocator and GC included) instead of paying first-touch costs on a handful
 * of calls. The first batch, which also picks the batch length, is the warm-up. Stops after
 * `reps` batches or when `budgetMs` is spent (at least one timed batch).
 */
export function timeBatches(fn, { reps = 7, minBatchMs = 50, budgetMs = 4000 } = {}) {
  const start = performance.now();
  let iters = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < iters; i++) fn();
    const elapsed = performance.now() - t;
    if (elapsed >= minBatchMs) break;
    iters = Math.ceil(iters * Math.min(10, (1.2 * minBatchMs) / Math.max(elapsed, 1e-3)));
  }
  const times = [];
  while (times.length < reps && (times.length === 0 || performance.now() - start < budgetMs)) {
    const t = performance.now();
    for (let i = 0; i < iters; i++) fn();
    times.push((performance.now() - t) / 1e3 / iters);
  }
  return times;
}

/** Median, min and max of a list. */
export function stats(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], runs: s.length };
}

/** GFLOP/s stats of an n x n x n product from seconds per run (best run is the max rate). */
export function gflops(n, seconds) {
  const st = stats(seconds.map((t) => (2 * n ** 3) / t / 1e9));
  return st;
}

export function emit(record) {
  console.log(JSON.stringify(record));
}
