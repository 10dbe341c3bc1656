// Measures where torchlet's WASM kernels start to beat the reference backend's JS loops (copying
// tensors into WASM memory costs ~60 ns a call, so tiny tensors stay in JS), and from which
// product size the thread pool pays for waking its workers. Prints a table and the crossovers;
// src/backend/wasm/index.ts's defaultThresholds cite this script.
//   node --import tsx bench/wasm-thresholds.ts
// Timings are the fastest of several rounds (the machine is shared: the minimum is the run least
// disturbed by other processes), reference and WASM interleaved so they see the same load.
import { performance } from "node:perf_hooks";
import type { BinaryOp, ReduceOp, StridedView, UnaryOp } from "../src/backend/backend.js";
import { ReferenceBackend } from "../src/backend/reference/index.js";
import { WasmBackend } from "../src/backend/wasm/index.js";
import "../src/backend/wasm/node-threads.js";
import { getNumThreads, setNumThreads } from "../src/backend/wasm/threads.js";

const reference = new ReferenceBackend();
const wasm = new WasmBackend({
  thresholds: { gemm: 0, gemmThreads: 0, binary: 0, unary: 0, transcendental: 0, reduce: 0 },
});

function dense(shape: number[]): StridedView {
  const n = shape.reduce((p, s) => p * s, 1);
  const data = Float32Array.from({ length: n }, () => Math.random() * 2 - 1);
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((p, s) => p * s, 1));
  return { data, shape, strides, offset: 0 };
}

/** Best µs per call of `fn`, repeating so each round lasts ~2 ms. */
function time(fn: () => void): number {
  fn();
  let reps = 1;
  for (let t = 0; ; reps *= 2) {
    const s = performance.now();
    for (let i = 0; i < reps; i++) fn();
    t = performance.now() - s;
    if (t > 2) break;
  }
  let best = Infinity;
  for (let r = 0; r < 7; r++) {
    const s = performance.now();
    for (let i = 0; i < reps; i++) fn();
    best = Math.min(best, ((performance.now() - s) * 1e3) / reps);
  }
  return best;
}

interface Row {
  size: number;
  a: number;
  b: number;
}

function sweep(
  label: string,
  sizes: number[],
  a: (size: number) => () => void,
  b: (size: number) => () => void,
  names: [string, string],
): void {
  const rows: Row[] = sizes.map((size) => {
    const fa = a(size);
    const fb = b(size);
    return { size, a: time(fa), b: time(fb) };
  });
  console.log(
    `\n${label}\n| size | ${names[0]} µs | ${names[1]} µs | ratio |\n| ---: | ---: | ---: | ---: |`,
  );
  for (const r of rows) {
    console.log(
      `| ${r.size} | ${r.a.toFixed(2)} | ${r.b.toFixed(2)} | ${(r.a / r.b).toFixed(2)} |`,
    );
  }
  // The crossover: the smallest size from which the second column is faster at every larger size.
  let cross: number | undefined;
  for (let i = rows.length - 1; i >= 0 && rows[i]!.b < rows[i]!.a; i--) cross = rows[i]!.size;
  console.log(`crossover (${label}): ${cross ?? "none in range"}`);
}

const pow2 = (lo: number, hi: number): number[] => {
  const out: number[] = [];
  for (let s = lo; s <= hi; s *= 2) out.push(s);
  return out;
};

const elementwise = (size: number) => [dense([size]), dense([size])] as const;
const sizes = pow2(4, 4096);

const binary = (backend: ReferenceBackend, op: BinaryOp) => (size: number) => {
  const [x, y] = elementwise(size);
  const out = new Float32Array(size);
  return () => backend.binary(op, x, y, out);
};
const unary = (backend: ReferenceBackend, op: UnaryOp) => (size: number) => {
  const [x] = elementwise(size);
  const out = new Float32Array(size);
  return () => backend.unary(op, x, out);
};
const reduce = (backend: ReferenceBackend, op: ReduceOp) => (size: number) => {
  const x = dense([size]);
  const out = new Float32Array(1);
  return () => backend.reduce(op, x, [0], out);
};
const gemm = (backend: ReferenceBackend) => (n: number) => {
  const a = dense([n, n]);
  const b = dense([n, n]);
  const out = new Float32Array(n * n);
  return () => backend.matmul(a, b, out);
};

const names: [string, string] = ["reference", "wasm"];
setNumThreads(1);
sweep("binary add, elements", sizes, binary(reference, "add"), binary(wasm, "add"), names);
sweep("binary mul, elements", sizes, binary(reference, "mul"), binary(wasm, "mul"), names);
sweep("unary relu, elements", sizes, unary(reference, "relu"), unary(wasm, "relu"), names);
sweep("unary neg, elements", sizes, unary(reference, "neg"), unary(wasm, "neg"), names);
sweep("unary exp, elements", sizes, unary(reference, "exp"), unary(wasm, "exp"), names);
sweep("unary tanh, elements", sizes, unary(reference, "tanh"), unary(wasm, "tanh"), names);
sweep("reduce sum, elements", sizes, reduce(reference, "sum"), reduce(wasm, "sum"), names);
sweep("reduce max, elements", sizes, reduce(reference, "max"), reduce(wasm, "max"), names);
sweep("gemm n x n x n, n", [2, 4, 6, 8, 12, 16, 24, 32], gemm(reference), gemm(wasm), names);

const all = Math.max(2, (await import("node:os")).availableParallelism());
const threaded = (threads: number) => (n: number) => {
  const f = gemm(wasm)(n);
  return () => {
    setNumThreads(threads);
    f();
  };
};
sweep(
  `gemm n x n x n on 1 vs ${all} threads, n`,
  [32, 64, 96, 128, 192, 256, 384, 512],
  threaded(1),
  threaded(all),
  ["1 thread", `${all} threads`],
);
console.log(`\n(getNumThreads() default here: ${getNumThreads()})`);
