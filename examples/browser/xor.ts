// The founding XOR program (examples/seed.ts) in a web page: the same program on torchlet's browser entry (src/index.ts, no
// Node built-ins), after the WebAssembly backend has compiled asynchronously. It writes what it
// learned into <pre id="result"> as JSON; test/browser/xor.test.ts reads it back from Chromium.
import * as torch from "../../src/index.js";
import { nn, optim, type Tensor } from "../../src/index.js";

class XORNet extends nn.Module {
  fc1 = new nn.Linear(2, 2);
  act1 = new nn.Sigmoid();
  fc2 = new nn.Linear(2, 1);
  act2 = new nn.Sigmoid();

  forward(x: Tensor): [Tensor, Tensor] {
    const h = this.act1(this.fc1(x));
    const out = this.act2(this.fc2(h));
    return [out, h];
  }
}

/** What the page reports (the test's contract with it). */
export interface BrowserXorResult {
  backend: string;
  variant: string;
  memory: string;
  lossEvery1000: number[];
  prediction: number[];
  msPerEpoch: number;
  /** Largest difference of a 32x32 product on the WASM kernel vs the reference loops. */
  gemmMaxDiff: number;
}

/** Runs in WASM: XOR's tensors are all below the kernels' size thresholds. */
function gemmMaxDiff(): number {
  const a = torch.randn([32, 32]);
  const b = torch.randn([32, 32]);
  const fast = a.matmul(b).toArray() as Float32Array;
  const slow = torch.withBackend("reference", () => a.matmul(b)).toArray() as Float32Array;
  return fast.reduce((m, v, i) => Math.max(m, Math.abs(v - slow[i]!)), 0);
}

async function main(): Promise<BrowserXorResult> {
  // Browsers compile the kernels asynchronously; until this resolves ops run on "reference".
  const wasm = await torch.initWasmBackend();

  torch.manualSeed(16);
  const X = torch.tensor(
    [
      [0, 1],
      [1, 0],
      [1, 1],
      [0, 0],
    ],
    { dtype: "float32" },
  );
  const Y = torch.tensor([[1], [1], [0], [0]], { dtype: "float32" });

  const model = new XORNet();
  const criterion = new nn.MSELoss();
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });

  const epochs = 10000;
  const lossEvery1000: number[] = [];
  const start = performance.now();
  for (let epoch = 0; epoch < epochs; epoch++) {
    optimizer.zeroGrad();
    const [outputs] = model(X);
    const loss = criterion(outputs, Y);
    loss.backward();
    optimizer.step();
    if (epoch % 1000 === 0) lossEvery1000.push(loss.item());
  }
  const msPerEpoch = (performance.now() - start) / epochs;

  const test = torch.tensor(
    [
      [1, 1],
      [0, 1],
    ],
    { dtype: "float32" },
  );
  const [pred] = torch.noGrad(() => model(test));
  return {
    backend: torch.getBackend().name,
    variant: wasm.variant,
    memory: wasm.memory,
    lossEvery1000,
    prediction: Array.from(pred.toArray() as Float32Array),
    msPerEpoch,
    gemmMaxDiff: gemmMaxDiff(),
  };
}

const out = document.getElementById("result")!;
main().then(
  (result) => {
    out.textContent = JSON.stringify(result, null, 2);
    out.dataset.status = "done";
  },
  (e: unknown) => {
    out.textContent = `error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
    out.dataset.status = "error";
  },
);
