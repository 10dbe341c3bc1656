// GEMM at exactly W3's shapes and layouts (784-256-128-10 MLP, batch 128: forward x·Wᵀ, backward
// g·W and gᵀ·x), native vs wasm backend.matmul with preallocated outputs, 1 thread. Prints one
// Markdown row per shape (µs per call and GFLOP/s) and one JSON line.
//   npx tsx bench/micro/native-w3-shapes.ts
import type { Backend, StridedView } from "../../src/backend/backend.js";
import { WasmBackend, setNumThreads as setWasmThreads } from "../../src/backend/wasm/index.js";
import { nativeBackend, setNumThreads } from "../../src/backend/native/index.js";

type Layout = "NN" | "NT" | "TN";
/** [layout, m, k, n] as W3 calls them. */
const SHAPES: [Layout, number, number, number][] = [
  ["NT", 128, 784, 256],
  ["NT", 128, 256, 128],
  ["NT", 128, 128, 10],
  ["NN", 128, 10, 128],
  ["NN", 128, 128, 256],
  ["TN", 10, 128, 128],
  ["TN", 128, 128, 256],
  ["TN", 256, 128, 784],
];

function view(rows: number, cols: number, transposed: boolean): StridedView {
  // The logical [rows, cols] matrix; transposed = stored as [cols, rows] (a .mT view).
  const data = new Float32Array(rows * cols).map(() => Math.random() - 0.5);
  return { data, shape: [rows, cols], strides: transposed ? [1, rows] : [cols, 1], offset: 0 };
}

function perCall(fn: () => void): number {
  for (let i = 0; i < 50; i++) fn();
  let iters = 1;
  for (let t = time(fn, 1); t * iters < 0.05;) iters *= 2;
  const s: number[] = [];
  for (let r = 0; r < 7; r++) s.push(time(fn, iters) / iters);
  return s.sort((a, b) => a - b)[3]!;
}

function time(fn: () => void, iters: number): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iters; i++) fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

if (!nativeBackend) throw new Error("native backend not available");
setNumThreads(1);
setWasmThreads(1);
const backends: [string, Backend][] = [
  ["native", nativeBackend],
  ["wasm", new WasmBackend()],
];
const result: Record<string, number> = {};
console.log("| layout | m | k | n | native µs | native GFLOP/s | wasm µs | wasm GFLOP/s |");
console.log("|---|---|---|---|---|---|---|---|");
const total: Record<string, number> = { native: 0, wasm: 0 };
for (const [layout, m, k, n] of SHAPES) {
  const a = view(m, k, layout === "TN");
  const b = view(k, n, layout === "NT");
  const out = new Float32Array(m * n);
  const cells: string[] = [];
  for (const [name, be] of backends) {
    const s = perCall(() => be.matmul(a, b, out));
    const gflops = (2 * m * n * k) / s / 1e9;
    result[`${layout} ${m}x${k}x${n} ${name}`] = Math.round(gflops * 10) / 10;
    total[name]! += s;
    cells.push((s * 1e6).toFixed(1), gflops.toFixed(1));
  }
  console.log(`| ${layout} | ${m} | ${k} | ${n} | ${cells.join(" | ")} |`);
}
console.log(
  `sum of one step's products: native ${(total.native! * 1e6).toFixed(0)} µs, wasm ${(total.wasm! * 1e6).toFixed(0)} µs`,
);
console.log(JSON.stringify(result));
