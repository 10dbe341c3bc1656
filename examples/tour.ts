// The README's API tour, as one program (test/examples/tour.test.ts runs it).
import * as torch from "torchlet";
import { autograd, data, nn, optim } from "torchlet";

// Tensors: PyTorch's dtypes, promotion, broadcasting, views and printing.
const x = torch.tensor(
  [
    [1, 2, 3],
    [4, 5, 6],
  ],
  { dtype: "float32" },
);
console.log(String(x.add(torch.tensor([10, 20, 30])).T)); // broadcasting, then a transposed view
console.log(String(x.sum({ dim: 1, keepdim: true })), String(x.max(1).indices));
console.log(String(x.index(":", "1:")), x.reshape(3, 2).isContiguous(), x.T.isContiguous());
console.log(torch.tensor([1, 2]).add(0.5).dtype, torch.tensor([1], { dtype: "float64" }).dtype);

// Autograd: backward into leaves, autograd.grad with higher order, gradcheck.
torch.manualSeed(0);
const w = torch.randn([3, 1], { requiresGrad: true });
x.matmul(w).sigmoid().mean().backward();
console.log(String(w.grad));
const [dydw] = autograd.grad(w.pow(3).sum(), w, { createGraph: true });
const [d2ydw2] = autograd.grad(dydw!.sum(), w); // 6 * w
console.log(String(d2ydw2));
const z = torch.randn([4], { dtype: "float64", requiresGrad: true });
console.log(autograd.gradcheck((t) => t.tanh().mul(t).logsumexp(0), [z]));
torch.noGrad(() => w.mul_(0.5)); // in-place updates outside the graph

// nn and optim: modules find their parameters, state dicts use PyTorch's keys.
const model = new nn.Sequential(
  new nn.Linear(3, 8),
  new nn.ReLU(),
  new nn.Dropout(0.1),
  new nn.Linear(8, 2),
);
console.log(model.toString());
console.log(Object.keys(model.stateDict()).join(" "));
const optimizer = new optim.AdamW(model.parameters(), { lr: 1e-2 });
const scheduler = new optim.lrScheduler.StepLR(optimizer, { stepSize: 5, gamma: 0.5 });

// data: a dataset, a seeded shuffling loader, a training loop.
const dataset = new data.TensorDataset(torch.randn(64, 3), torch.randint(0, 2, [64]));
const loader = new data.DataLoader(dataset, { batchSize: 16, shuffle: true });
for (let epoch = 0; epoch < 10; epoch++) {
  for (const [inputs, labels] of loader) {
    optimizer.zeroGrad();
    const loss = nn.F.crossEntropy(model(inputs!), labels!);
    loss.backward();
    nn.utils.clipGradNorm_(model.parameters(), 1.0);
    optimizer.step();
  }
  scheduler.step();
}
console.log(scheduler.getLastLr());

// Weights in safetensors, readable by PyTorch; a failed load changes nothing.
torch.save(model.stateDict(), "/tmp/torchlet-tour.safetensors");
model.eval();
model.loadStateDict(torch.load("/tmp/torchlet-tour.safetensors"));
try {
  new nn.Linear(4, 2).loadStateDict({ weight: torch.zeros([2, 3]) });
} catch (e) {
  console.log((e as Error).message.split("\n").slice(0, 3).join("\n"));
}
