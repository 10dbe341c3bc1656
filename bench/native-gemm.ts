// GEMM benchmark for the native backend: float32 C = op(A)·op(B) for the four layouts through
// NativeBackend.matmul (validation and the Node-API crossing included), 1 and 2 threads, with
// PyTorch (1 and 2 threads) in the same run when /usr/bin/python3 has torch. Prints Markdown
// rows, then one JSON line. `--thresholds` instead times native vs reference on small inputs to
// pick NATIVE_THRESHOLDS.
//   npx tsx bench/native-gemm.ts [--sizes 256,512,1024] [--thresholds]
// Pin it for single-thread figures: taskset -c 1 npx tsx bench/native-gemm.ts
import { spawnSync } from "node:child_process";
import type { StridedView, UnaryOp, BinaryOp } from "../src/backend/backend.js";
import { ReferenceBackend } from "../src/backend/reference/index.js";
import { nativeAddon, nativeBackend, nativeBackendStatus } from "../src/backend/native/index.js";

const args = process.argv.slice(2);
const sizesArg = args.indexOf("--sizes");
const SIZES = sizesArg >= 0 ? args[sizesArg + 1]!.split(",").map(Number) : [256, 512, 1024];
const LAYOUTS = ["A·B", "Aᵀ·B", "A·Bᵀ", "Aᵀ·Bᵀ"] as const;

function view(n: number, transposed: boolean): StridedView {
  const data = new Float32Array(n * n).map(() => Math.random() - 0.5);
  return { data, shape: [n, n], strides: transposed ? [1, n] : [n, 1], offset: 0 };
}

/** Median seconds per call over `reps` timed batches of ~0.2 s each. */
function median(fn: () => void, reps = 5, batch = 0.2): number {
  fn();
  let iters = 1;
  for (let t = time(fn, 1); t * iters < batch;) iters *= 2;
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) samples.push(time(fn, iters) / iters);
  return samples.sort((a, b) => a - b)[Math.floor(reps / 2)]!;
}

function time(fn: () => void, iters: number): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iters; i++) fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function pytorch(sizes: number[]): Record<string, number> | undefined {
  const py = `
import json, sys, time, torch
res = {}
for threads in (int(sys.argv[1]),):
    torch.set_num_threads(threads)
    for n in ${JSON.stringify(sizes)}:
        a = torch.rand(n, n); b = torch.rand(n, n)
        for name, (x, y) in {"A·B": (a, b), "Aᵀ·B": (a.t(), b), "A·Bᵀ": (a, b.t()), "Aᵀ·Bᵀ": (a.t(), b.t())}.items():
            torch.mm(x, y); iters = max(1, int(0.2 / max(1e-6, (2 * n ** 3) / 50e9)))
            ts = []
            for _ in range(5):
                t0 = time.perf_counter()
                for _ in range(iters): torch.mm(x, y)
                ts.append((time.perf_counter() - t0) / iters)
            res[f"{name} {n} {threads}"] = 2 * n ** 3 / sorted(ts)[2] / 1e9
print(json.dumps(res))`;
  // One process per thread count: OpenBLAS sizes its own pool from OPENBLAS_NUM_THREADS when it
  // loads, and torch.set_num_threads does not resize it.
  const res: Record<string, number> = {};
  for (const threads of [1, 2]) {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OPENBLAS_NUM_THREADS: String(threads),
      OMP_NUM_THREADS: String(threads),
    };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    const r = spawnSync("/usr/bin/python3", ["-c", py, String(threads)], { env, encoding: "utf8" });
    if (r.status !== 0) return undefined;
    Object.assign(res, JSON.parse(r.stdout) as Record<string, number>);
  }
  return res;
}

function gemmRows(): void {
  const addon = nativeAddon()!;
  const torch = pytorch(SIZES);
  const rows: Record<string, string | number>[] = [];
  console.log(
    `native GEMM float32, GFLOP/s (median of 5), ISA ${addon.getIsa()}, ${new Date().toISOString()}`,
  );
  console.log("| layout | n | native 1T | native 2T | 2T/1T | PyTorch 1T | PyTorch 2T |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const n of SIZES) {
    LAYOUTS.forEach((layout, li) => {
      const a = view(n, li === 1 || li === 3);
      const b = view(n, li === 2 || li === 3);
      const out = new Float32Array(n * n);
      const gflops: number[] = [];
      for (const threads of [1, 2]) {
        addon.setNumThreads(threads);
        gflops.push((2 * n ** 3) / median(() => nativeBackend!.matmul(a, b, out)) / 1e9);
      }
      const t1 = torch?.[`${layout} ${n} 1`];
      const t2 = torch?.[`${layout} ${n} 2`];
      const row = {
        layout,
        n,
        native1: gflops[0]!,
        native2: gflops[1]!,
        torch1: t1 ?? "-",
        torch2: t2 ?? "-",
      };
      rows.push(row);
      const f = (x: number | string) => (typeof x === "number" ? x.toFixed(1) : x);
      console.log(
        `| ${layout} | ${n} | ${f(row.native1)} | ${f(row.native2)} | ${(row.native2 / row.native1).toFixed(2)} | ${f(row.torch1)} | ${f(row.torch2)} |`,
      );
    });
  }
  console.log(JSON.stringify({ bench: "native-gemm", isa: addon.getIsa(), rows }));
}

/** Reference kernel vs the addon called directly (no threshold in the way), per call, one
 * thread: where native becomes faster is the threshold. */
function thresholdRows(): void {
  const reference = new ReferenceBackend();
  const addon = nativeAddon()!;
  addon.setNumThreads(1);
  const us = (fn: () => void) => (median(fn, 5, 0.05) * 1e6).toFixed(3);
  const params = new Float64Array(58);
  console.log("| kernel | size | reference µs | native µs |");
  console.log("| --- | ---: | ---: | ---: |");
  for (const n of [2, 4, 6, 8, 12, 16]) {
    const a = view(n, false);
    const b = view(n, false);
    const out = new Float32Array(n * n);
    params.set([0, n, n, n, 0, n, 1, 0, n, 1]);
    const ref = us(() => reference.matmul(a, b, out));
    const nat = us(() => addon.gemm(a.data as Float32Array, b.data as Float32Array, out, params));
    console.log(`| matmul | ${n}³=${n ** 3} | ${ref} | ${nat} |`);
  }
  for (const n of [64, 256, 1024, 4096, 16384]) {
    const data = new Float32Array(n).map(() => Math.random());
    const x: StridedView = { data, shape: [n], strides: [1], offset: 0 };
    const out = new Float32Array(n);
    for (const [op, code] of [
      ["add", 0],
      ["mul", 2],
    ] as [BinaryOp, number][]) {
      const ref = us(() => reference.binary(op, x, x, out));
      console.log(
        `| ${op} | ${n} | ${ref} | ${us(() => addon.binary(code, data, 0, data, 0, out))} |`,
      );
    }
    for (const [op, code] of [
      ["exp", 0],
      ["relu", 3],
    ] as [UnaryOp, number][]) {
      const ref = us(() => reference.unary(op, x, out));
      console.log(`| ${op} | ${n} | ${ref} | ${us(() => addon.unary(code, data, 0, out))} |`);
    }
    const m: StridedView = { data, shape: [n / 16, 16], strides: [16, 1], offset: 0 };
    const s = new Float32Array(16);
    const ref = us(() => reference.reduce("sum", m, [0], s));
    console.log(
      `| sum dim 0 | ${n} | ${ref} | ${us(() => addon.sum(data, 0, n / 16, 16, 0, s))} |`,
    );
  }
}

if (!nativeBackendStatus().available) {
  console.log(`native backend not available: ${nativeBackendStatus().reason}`);
} else if (args.includes("--thresholds")) {
  thresholdRows();
} else {
  gemmRows();
}
