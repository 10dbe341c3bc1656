// Which kernels the native backend leaves to the reference loops in a training step, by CPU
// time: `npx tsx bench/micro/reference-fallbacks.ts w5|w6 [steps]`.
import * as torch from "../../src/node.js";
import { ReferenceBackend } from "../../src/backend/reference/index.js";
import type { StridedView } from "../../src/backend/backend.js";
import { isContiguous } from "../../src/tensor/shape.js";
import { gptStep, lstmStep } from "../workloads.js";

const stats = new Map<string, [number, number]>();
const proto = ReferenceBackend.prototype as unknown as Record<string, (...a: unknown[]) => void>;
const describe = (a: unknown): string => {
  if (typeof a === "string") return a;
  const v = a as StridedView;
  if (v && typeof v === "object" && "shape" in v)
    return `${v.data.constructor.name.replace("Array", "")}[${v.shape.join(",")}]${isContiguous(v.shape, v.strides) ? "" : `s(${v.strides.join(",")})`}`;
  return "";
};
for (const name of ["unary", "binary", "reduce", "copy", "where", "scatterAdd", "gather", "fill"]) {
  const f = proto[name]!;
  proto[name] = function (this: unknown, ...a: unknown[]) {
    const t = process.cpuUsage();
    f.apply(this, a);
    const c = process.cpuUsage(t);
    const key = `${name} ${a.slice(0, 3).map(describe).join(" ")}`;
    const s = stats.get(key) ?? [0, 0];
    s[0] += (c.user + c.system) / 1000;
    s[1]++;
    stats.set(key, s);
  };
}
torch.setBackend("native");
torch.setNumThreads(1);
const which = process.argv[2] ?? "w5";
const step = which === "w6" ? lstmStep() : gptStep();
step().item();
stats.clear();
const n = Number(process.argv[3] ?? 2);
for (let i = 0; i < n; i++) step().item();
for (const [k, [t, c]] of [...stats].sort((a, b) => b[1][0] - a[1][0]).slice(0, 20))
  console.log(`${(t / n).toFixed(1).padStart(7)} ms/step ${String(c / n).padStart(6)}x ${k}`);
