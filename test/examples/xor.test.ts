import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/node.js";
import { nn, optim, type Tensor } from "../../src/node.js";
import { assertClose } from "../helpers/assert.js";
import { decode, loadFixture, type EncodedTensor } from "../helpers/fixtures.js";

interface XorRun {
  seed: number;
  initial: Record<string, EncodedTensor>;
  lossEvery1000: number[];
  final: Record<string, EncodedTensor>;
  probe: EncodedTensor;
  probeHidden: EncodedTensor;
  rows: EncodedTensor;
  learned: boolean;
}
const { runs } = loadFixture<{ runs: XorRun[] }>("xor", "xor");

class XORNet extends nn.Module {
  fc1 = new nn.Linear(2, 2);
  act1 = new nn.Sigmoid();
  fc2 = new nn.Linear(2, 1);
  act2 = new nn.Sigmoid();
  forward(x: Tensor): [Tensor, Tensor] {
    const h = this.act1.forward(this.fc1.forward(x));
    return [this.act2.forward(this.fc2.forward(h)), h];
  }
}

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

/** The founding program's loop; returns the loss every 1000 epochs. */
function train(model: XORNet): number[] {
  const criterion = new nn.MSELoss();
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
  const losses: number[] = [];
  for (let epoch = 0; epoch < 10000; epoch++) {
    optimizer.zeroGrad();
    const [out] = model.forward(X);
    const loss = criterion.forward(out, Y);
    loss.backward();
    optimizer.step();
    if (epoch % 1000 === 0) losses.push(loss.item());
  }
  return losses;
}

function checkAgainstPytorch(model: XORNet, losses: number[], run: XorRun): void {
  losses.forEach((l, i) => {
    const want = run.lossEvery1000[i]!;
    assert.ok(
      Math.abs(l - want) <= 1e-5 * Math.abs(want),
      `epoch ${i * 1000}: loss ${l}, PyTorch ${want}`,
    );
  });
  const sd = model.stateDict();
  for (const [k, v] of Object.entries(run.final))
    assertClose(sd[k]!, v, { rtol: 1e-5, atol: 1e-6, message: k });
  const [probe, hidden] = torch.noGrad(() =>
    model.forward(
      torch.tensor(
        [
          [1, 1],
          [0, 1],
        ],
        { dtype: "float32" },
      ),
    ),
  );
  assertClose(probe, run.probe, { rtol: 1e-5, atol: 1e-6, message: "prediction" });
  assertClose(hidden, run.probeHidden, { rtol: 1e-5, atol: 1e-6, message: "hidden" });
  const [rows] = torch.noGrad(() => model.forward(X));
  const learned = (rows.toArray() as Float32Array).every(
    (v, i) => Math.round(v) === Y.toArray()[i],
  );
  assert.equal(learned, run.learned, "whether XOR was learned");
}

describe("the XOR program matches PyTorch step for step", () => {
  for (const run of runs) {
    it(`seed ${run.seed}: manualSeed gives PyTorch's initial weights, losses and predictions`, () => {
      torch.manualSeed(run.seed);
      const model = new XORNet();
      const sd = model.stateDict();
      for (const [k, v] of Object.entries(run.initial))
        assertClose(sd[k]!, v, { rtol: 0, atol: 0, message: `initial ${k}` });
      checkAgainstPytorch(model, train(model), run);
    });

    it(`seed ${run.seed}: PyTorch's initial weights loaded with loadStateDict give the same run`, () => {
      const model = new XORNet();
      model.loadStateDict(
        Object.fromEntries(Object.entries(run.initial).map(([k, v]) => [k, decode(v)])),
      );
      checkAgainstPytorch(model, train(model), run);
    });
  }
});
