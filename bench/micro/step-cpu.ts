// CPU milliseconds per training step (median over steps: robust on a shared machine where wall
// time swings with other jobs) and minor page faults per step, native backend, one thread:
// `npx tsx bench/micro/step-cpu.ts cnn|w5|w6 [steps]`. cnn is bench/micro/cnn-step.ts's model.
import { readFileSync } from "node:fs";
import * as torch from "../../src/node.js";
import { nn, optim, type Tensor } from "../../src/node.js";
import { gptStep, lstmStep } from "../workloads.js";

function cnnStep(): () => Tensor {
  torch.manualSeed(0);
  const model = new nn.Sequential(
    new nn.Conv2d(1, 16, 5, { padding: 2 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(16, 32, 5, { padding: 2 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(1568, 10),
  );
  const x = torch.randn([64, 1, 28, 28]);
  const y = torch.randint(0, 10, [64]);
  const criterion = new nn.CrossEntropyLoss();
  const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
  return () => {
    optimizer.zeroGrad();
    const loss = criterion(model(x), y);
    loss.backward();
    optimizer.step();
    return loss;
  };
}

const faults = (): number =>
  Number(readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ")[7]);
torch.setBackend(process.env.TORCHLET_BACKEND ?? "native");
torch.setNumThreads(1);
const which = process.argv[2] ?? "cnn";
const step = which === "w6" ? lstmStep() : which === "w5" ? gptStep() : cnnStep();
for (let i = 0; i < 2; i++) step().item();
const n = Number(process.argv[3] ?? 10);
const cpu: number[] = [];
const f0 = faults();
let loss = 0;
for (let i = 0; i < n; i++) {
  const c0 = process.cpuUsage();
  loss = step().item();
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
}
cpu.sort((a, b) => a - b);
console.log(
  `${which}: cpu ${cpu[n >> 1]!.toFixed(1)} ms/step (median of ${n}, min ${cpu[0]!.toFixed(1)}), ` +
    `${((faults() - f0) / n).toFixed(0)} minor faults/step, loss ${loss.toFixed(6)}`,
);
