import * as torch from "../../src/node.js";
import { nativeAddon, nativeBackend } from "../../src/backend/native/index.js";
import { gptStep, lstmStep } from "../workloads.js";
const addon = { ...nativeAddon()! } as unknown as Record<string, (...a: unknown[]) => void>;
(nativeBackend as unknown as { addon: unknown }).addon = addon;
const stats = new Map<string, [number, number]>();
for (const name of ["binary", "binaryBroadcast", "unary", "sum", "gemm"]) {
  const f = addon[name]!;
  addon[name] = (...a: unknown[]) => {
    const t = process.cpuUsage();
    f(...a);
    const c = process.cpuUsage(t);
    const dt = (c.user + c.system) / 1000;
    const out = a[a.length - 1] as { length: number };
    const key =
      name === "binaryBroadcast"
        ? `${name} op${a[0]} n=${out.length} a=${a[3]}x${a[4]} b=${a[7]}x${a[8]}`
        : name === "gemm"
          ? "gemm"
          : name === "sum"
            ? `sum n=${out.length}`
            : `${name} op${a[0]} n=${out.length}`;
    const s = stats.get(key) ?? [0, 0];
    s[0] += dt;
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
for (let i = 0; i < 2; i++) step().item();
for (const [k, [t, c]] of [...stats].sort((a, b) => b[1][0] - a[1][0]).slice(0, 25))
  console.log((t / 2).toFixed(1).padStart(7), "ms/step", String(c / 2).padStart(5), k);
