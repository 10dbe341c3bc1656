export interface Stats {
  median: number;
  min: number;
  max: number;
  runs: number;
}
export const layouts: readonly string[];
export function timeRuns(
  fn: () => unknown,
  options?: { maxReps?: number; budgetMs?: number; warmup?: boolean | number },
): number[];
export function timeBatches(
  fn: () => unknown,
  options?: { reps?: number; minBatchMs?: number; budgetMs?: number },
): number[];
export function stats(values: readonly number[]): Stats;
export function gflops(n: number, seconds: readonly number[]): Stats;
export function emit(record: object): void;
