// The child process of native-sanitize.test.ts (not a test file itself): a few SGD steps of an MLP
// and of a small CNN on the native backend, loaded from the ASan build that TORCHLET_NATIVE_ADDON
// names, with every size threshold at 0 and 2 eager threads, so that each kernel of the addon runs
// (and its threaded path) on real training buffers. Exits non-zero when a kernel was not reached
// or the loss did not fall; prints SANITIZED_TRAINING_OK otherwise.
import * as torch from "../../src/node.js";
import { nn, optim, type Tensor } from "../../src/node.js";
import { nativeAddon } from "../../src/backend/native/index.js";
import type { NativeAddon } from "../../src/backend/native/addon.js";

function fail(message: string): never {
  console.error(`sanitized training: ${message}`);
  process.exit(1);
}

const raw =
  nativeAddon() ?? fail(`native backend unavailable: ${torch.nativeBackendStatus().reason}`);

/** Which addon functions ran, GEMM by operand layout (N: row-major, T: transposed view). */
const reached = new Set<string>();
const counted: NativeAddon = {
  ...raw,
  gemm(a, b, out, params) {
    // params: [batchDims, m, n, k, aOff, sam, sak, bOff, sbk, sbn, ...]
    const layout = (unitStride: number | undefined) => (unitStride === 1 ? "N" : "T");
    reached.add(`gemm ${layout(params[6])}${layout(params[9])}`);
    raw.gemm(a, b, out, params);
  },
  binary(...args) {
    reached.add("binary");
    raw.binary(...args);
  },
  addScaled(...args) {
    reached.add("addScaled");
    raw.addScaled(...args);
  },
  binaryBroadcast(...args) {
    reached.add(args[0] >= 4 ? "compare" : "binaryBroadcast");
    raw.binaryBroadcast(...args);
  },
  unary(...args) {
    reached.add("unary");
    raw.unary(...args);
  },
  sum(...args) {
    reached.add(args[4] === 1 ? "sum rows" : "sum columns");
    raw.sum(...args);
  },
  sumDims(x, xOffset, dims, out) {
    // dims: [nd, size, reduced, ...]; whether the last dim is summed picks the kernel's path.
    reached.add(dims[2 * dims[0]!] === 1 ? "sumDims last reduced" : "sumDims last kept");
    raw.sumDims(x, xOffset, dims, out);
  },
  copyStrided(...args) {
    reached.add("copyStrided");
    raw.copyStrided(...args);
  },
  extreme(...args) {
    reached.add(args[5] === 1 ? "extreme rows" : "extreme columns");
    raw.extreme(...args);
  },
  softmax(...args) {
    reached.add("softmax");
    raw.softmax(...args);
  },
  im2col(...args) {
    reached.add("im2col");
    raw.im2col(...args);
  },
  col2im(...args) {
    reached.add("col2im");
    raw.col2im(...args);
  },
  maxPool2d(...args) {
    reached.add("maxPool2d");
    raw.maxPool2d(...args);
  },
};
const zero = { matmul: 0, binary: 0, unary: 0, sum: 0, windows: 0 };
const backend = new torch.NativeBackend(counted, zero);
torch.setNumThreads(2);
raw.setEager(true); // thread even these small calls, so the pool's split paths run too

/** Trains `model` for `steps` SGD steps on a fixed batch; returns the first and last loss. */
function train(model: nn.Module & { forward(x: Tensor): Tensor }, x: Tensor, y: Tensor, steps = 8) {
  const criterion = new nn.CrossEntropyLoss();
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    optimizer.zeroGrad();
    const loss = criterion.forward(model.forward(x), y);
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
  }
  return { first: losses[0]!, last: losses[losses.length - 1]! };
}

class MLP extends nn.Module {
  fc1 = new nn.Linear(20, 32);
  fc2 = new nn.Linear(32, 4);
  forward(x: Tensor): Tensor {
    return this.fc2.forward(this.fc1.forward(x).relu());
  }
}

/** Two convolutions, so that the second one's input gradient runs col2im. */
class CNN extends nn.Module {
  conv1 = new nn.Conv2d(1, 4, 3, { padding: 1 });
  conv2 = new nn.Conv2d(4, 4, 3, { padding: 1 });
  pool = new nn.MaxPool2d(2);
  fc = new nn.Linear(4 * 4 * 4, 3);
  forward(x: Tensor): Tensor {
    const h = this.pool.forward(this.conv1.forward(x).relu());
    return this.fc.forward(this.conv2.forward(h).relu().flatten(1));
  }
}

/** Both models from the same seed, on the GEMM micro-kernel `isa` (each one this CPU has). */
function trainBoth(isa: string) {
  raw.setIsa(isa);
  torch.manualSeed(0);
  return torch.withBackend(backend, () => {
    // Labels a fixed projection can separate, so a few steps lower the loss.
    const xm = torch.randn([24, 20]);
    const ym = torch.argmax(xm.matmul(torch.randn([20, 4])), 1);
    const xc = torch.randn([6, 1, 8, 8]);
    const yc = torch.argmax(xc.flatten(1).matmul(torch.randn([64, 3])), 1);
    // A product of two transposed views: training's Linear layers use the other three layouts.
    torch
      .matmul(torch.randn([40, 20]).t(), torch.randn([30, 40]).t())
      .sum()
      .item();
    // A transposed copy (contiguous() of a transpose, as attention's head split needs).
    torch.randn([30, 40]).t().contiguous().sum().item();
    // Accuracy-style argmax over rows and a max over columns.
    xm.matmul(torch.randn([20, 4]))
      .argmax(1)
      .sum()
      .item();
    xm.max(0).values.sum().item();
    // A broadcast comparison (training's ReLU gradient is one dense kernel, reluGrad).
    torch
      .randn([24, 20])
      .gt(torch.randn([20]))
      .sum()
      .item();
    return { mlp: train(new MLP(), xm, ym), cnn: train(new CNN(), xc, yc) };
  });
}

const isas = [...new Set(["avx512", "avx2", "portable"].map((isa) => raw.setIsa(isa)))];
const results = Object.fromEntries(isas.map((isa) => [isa, trainBoth(isa)]));

const expected = [
  "gemm NN",
  "gemm NT",
  "gemm TN",
  "gemm TT",
  "binary",
  "addScaled",
  "binaryBroadcast",
  "compare",
  "unary",
  "sumDims last reduced",
  "sumDims last kept",
  "copyStrided",
  "extreme rows",
  "extreme columns",
  "softmax",
  "im2col",
  "col2im",
  "maxPool2d",
];
const missed = expected.filter((k) => !reached.has(k));
if (missed.length > 0) fail(`kernels never reached: ${missed.join(", ")}`);
for (const [isa, models] of Object.entries(results)) {
  for (const [name, { first, last }] of Object.entries(models)) {
    if (!(last < first)) fail(`${name} (${isa}) loss did not fall: ${first} -> ${last}`);
  }
}
console.log(`SANITIZED_TRAINING_OK ${JSON.stringify(results)}`);
