// Time spent per backend kernel in W6 (LSTM) training steps (native or wasm; threads, default 1):
//   npx tsx bench/micro/w6-op-profile.ts native [threads]
import * as torch from "../../src/node.js";
import { lstmStep } from "../workloads.js";
import { getBackend } from "../../src/backend/registry.js";

const name = process.argv[2] ?? "native";
torch.setBackend(name);
torch.setNumThreads(Number(process.argv[3] ?? 1));
const be = getBackend() as unknown as Record<string, unknown>;
const acc = new Map<string, { ms: number; calls: number }>();
const keys = new Set<string>();
for (let p = Object.getPrototypeOf(be); p && p !== Object.prototype; p = Object.getPrototypeOf(p))
  for (const k of Object.getOwnPropertyNames(p)) if (k !== "constructor") keys.add(k);
let depth = 0;
for (const k of keys) {
  const f = be[k];
  if (typeof f !== "function") continue;
  be[k] = function (this: unknown, ...args: unknown[]) {
    if (depth > 0) return (f as (...a: unknown[]) => unknown).apply(this, args);
    depth++;
    const t = performance.now();
    try {
      return (f as (...a: unknown[]) => unknown).apply(this, args);
    } finally {
      depth--;
      const v0 = args[1] as { shape?: number[]; strides?: number[] } | undefined;
      const label =
        k === "binary" || k === "unary" || k === "reduce"
          ? `${k}:${String(args[0])}`
          : k === "copy"
            ? `copy ${JSON.stringify(v0?.shape)}`
            : k;
      const e = acc.get(label) ?? { ms: 0, calls: 0 };
      e.ms += performance.now() - t;
      e.calls++;
      acc.set(label, e);
    }
  };
}
const train = lstmStep();
const step = (): void => void train().item();
for (let i = 0; i < 2; i++) step();
acc.clear();
const N = 3;
const t0 = performance.now();
for (let i = 0; i < N; i++) step();
const total = (performance.now() - t0) / N;
const rows = [...acc].sort((a, b) => b[1].ms - a[1].ms);
let inKernels = 0;
for (const [k, v] of rows) {
  inKernels += v.ms / N;
  console.log(`${k.padEnd(22)} ${(v.ms / N).toFixed(3)} ms/step  ${v.calls / N} calls/step`);
}
console.log(
  `step ${total.toFixed(3)} ms (${((2048 / total) * 1e3).toFixed(0)} tokens/s), kernels ${inKernels.toFixed(3)} ms`,
);
