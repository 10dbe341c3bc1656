import { describe, it } from "node:test";
import * as torch from "../../src/index.js";
import { nn } from "../../src/index.js";
import { assertClose } from "../helpers/assert.js";
import { decode, loadFixture, type EncodedTensor } from "../helpers/fixtures.js";

interface State {
  linear: { in: number; out: number; weight: EncodedTensor; bias: EncodedTensor }[];
  dropout: { x: EncodedTensor; p: number; out: EncodedTensor; seed: number }[];
}
const state = loadFixture<State>("rng", "state");

describe("seeded nn reproduces PyTorch's draws exactly", () => {
  it("nn.Linear after manualSeed(0) has PyTorch's initial weight and bias", () => {
    for (const c of state.linear) {
      torch.manualSeed(0);
      const layer = new nn.Linear(c.in, c.out);
      assertClose(layer.weight, c.weight, { rtol: 0, atol: 0 });
      assertClose(layer.bias!, c.bias, { rtol: 0, atol: 0 });
    }
  });

  it("F.dropout and nn.Dropout in training draw PyTorch's mask", () => {
    for (const c of state.dropout) {
      torch.manualSeed(c.seed);
      assertClose(nn.F.dropout(decode(c.x), { p: c.p, training: true }), c.out, {
        rtol: 0,
        atol: 0,
      });
      torch.manualSeed(c.seed);
      assertClose(new nn.Dropout(c.p).forward(decode(c.x)), c.out, { rtol: 0, atol: 0 });
    }
  });
});
