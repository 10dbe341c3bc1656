// One training step of a small CNN (batch 64, 1x28x28): conv(1->16,5,pad 2) relu maxpool(2)
// conv(16->32,5,pad 2) relu maxpool(2) flatten linear(1568->10), cross-entropy, Adam.
// `npx tsx bench/micro/cnn-step.ts [steps]`; TORCHLET_BACKEND=wasm|reference|native picks the
// backend. Prints ms per step (median of the timed steps, after 2 warm-up steps).
import { performance } from "node:perf_hooks";
import * as torch from "torchlet";
import { nn, optim } from "torchlet";

const steps = Number(process.argv[2] ?? 10);
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
const step = (): number => {
  optimizer.zeroGrad();
  const loss = criterion(model(x), y);
  loss.backward();
  optimizer.step();
  return loss.item();
};
for (let i = 0; i < 2; i++) step();
const times: number[] = [];
let loss = NaN;
for (let i = 0; i < steps; i++) {
  const t = performance.now();
  loss = step();
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
console.log(
  `${torch.getBackend().name}: ${median.toFixed(1)} ms/step (median of ${steps}; min ${times[0]!.toFixed(1)}), loss ${loss.toFixed(6)}`,
);
