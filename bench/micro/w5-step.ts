// W5's GPT step alone, for profiling: `node --import tsx --cpu-prof bench/micro/w5-step.ts native`
// prints wall and process CPU milliseconds per step (4 steps after 1 warm-up step, 1 thread).
import * as torch from "../../src/node.js";
import { gptStep } from "../workloads.js";
import { performance } from "node:perf_hooks";

torch.setBackend(process.argv[2] ?? "native");
torch.setNumThreads(1);
const step = gptStep();
step().item();
const t = performance.now();
const c0 = process.cpuUsage();
for (let i = 0; i < 4; i++) step().item();
const c = process.cpuUsage(c0);
console.log(
  `ms/step: wall ${((performance.now() - t) / 4).toFixed(0)}, cpu ${((c.user + c.system) / 4000).toFixed(0)}`,
);
