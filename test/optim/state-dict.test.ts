import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { optim, type Tensor } from "../../src/index.js";
import { assertClose } from "../helpers/assert.js";
import { decode, loadFixture, type EncodedTensor } from "../helpers/fixtures.js";
import { makeOptimizer, type OptName } from "./build.js";

interface SdCase {
  optimizer: OptName;
  options: Record<string, number>;
  params: EncodedTensor[];
  grads: EncodedTensor[][];
  stateDict: {
    state: Record<string, Record<string, EncodedTensor | number>>;
    param_groups: Record<string, unknown>[];
  };
}
interface ClosureCase {
  optimizer: OptName;
  options: Record<string, number>;
  params: EncodedTensor[];
  t0: EncodedTensor;
  w0: EncodedTensor;
  t1: EncodedTensor;
  losses: number[];
  final: EncodedTensor[];
}

// Keys of PyTorch 1.13's param groups for implementation switches torchlet does not have.
const PYTORCH_ONLY = new Set(["foreach", "differentiable", "capturable", "fused"]);

describe("stateDict has PyTorch's structure, keys and values", () => {
  for (const c of loadFixture<{ cases: SdCase[] }>("optim", "state-dict").cases) {
    it(`${c.optimizer} after 2 steps`, () => {
      const params = c.params.map((e) => decode(e, { requiresGrad: true }));
      const opt = makeOptimizer(c.optimizer, params, c.options);
      for (const [g0, g1] of c.grads) {
        params[0]!.grad = decode(g0!);
        params[1]!.grad = decode(g1!);
        opt.step();
      }
      const sd = opt.stateDict();
      const want = c.stateDict;
      assert.equal(sd.param_groups.length, want.param_groups.length);
      sd.param_groups.forEach((g, i) => {
        const w = want.param_groups[i]!;
        const expectedKeys = Object.keys(w).filter((k) => !PYTORCH_ONLY.has(k));
        assert.deepEqual(Object.keys(g).sort(), expectedKeys.sort());
        for (const k of expectedKeys) assert.deepEqual(g[k], w[k], `param_groups[${i}].${k}`);
      });
      assert.deepEqual(Object.keys(sd.state).sort(), Object.keys(want.state).sort());
      for (const [i, ws] of Object.entries(want.state)) {
        const gs = sd.state[Number(i)]!;
        assert.deepEqual(Object.keys(gs).sort(), Object.keys(ws).sort());
        for (const [k, v] of Object.entries(ws)) {
          if (typeof v === "number") assert.equal(gs[k], v);
          else assertClose(gs[k] as Tensor, v, { message: `state ${i}.${k}` });
        }
      }
      // A snapshot: stepping on does not change it.
      const before = Array.from(
        (Object.values(sd.state[0]!).find((v) => typeof v !== "number") as Tensor).toArray(),
      );
      opt.step();
      const after = Array.from(
        (Object.values(sd.state[0]!).find((v) => typeof v !== "number") as Tensor).toArray(),
      );
      assert.deepEqual(after, before);
    });
  }
});

describe("step(closure)", () => {
  for (const c of loadFixture<{ cases: ClosureCase[] }>("optim", "closure").cases) {
    it(`${c.optimizer} returns the closure's loss and matches PyTorch over 10 steps`, () => {
      const [p0, p1] = c.params.map((e) => decode(e, { requiresGrad: true }));
      const [t0, w0, t1] = [decode(c.t0), decode(c.w0), decode(c.t1)];
      const opt = makeOptimizer(c.optimizer, [p0!, p1!], c.options);
      const closure = (): Tensor => {
        opt.zeroGrad();
        const loss = p0!.sub(t0!).pow(2).mul(w0!).sum().add(p1!.sub(t1!).pow(4).sum());
        loss.backward();
        return loss;
      };
      c.losses.forEach((want, i) => {
        const loss = opt.step(closure)!;
        assert.ok(Math.abs(loss.item() - want) <= 1e-10 * Math.abs(want), `loss ${i}`);
      });
      assertClose(p0!, c.final[0]!);
      assertClose(p1!, c.final[1]!);
      assert.equal(opt.step(), undefined, "no closure, no loss");
    });
  }
});

describe("loadStateDict validation", () => {
  it("changes nothing when it rejects a state dict", () => {
    const p = decode({ shape: [2], dtype: "float32", data: [1, 2] }, { requiresGrad: true });
    const opt = new optim.SGD([p], { lr: 0.1, momentum: 0.9 });
    p.grad = decode({ shape: [2], dtype: "float32", data: [1, 1] });
    opt.step();
    const groups = opt.paramGroups;
    const state = opt.state;
    const sd = opt.stateDict();
    sd.param_groups[0]!.params = [0, 1];
    sd.param_groups[0]!.lr = 5;
    assert.throws(() => opt.loadStateDict(sd), { name: "ValueError" });
    assert.equal(opt.paramGroups, groups);
    assert.equal(opt.state, state);
    assert.equal(opt.paramGroups[0]!.lr, 0.1);
  });
});
