import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { noGrad, optim, type Tensor } from "../../src/index.js";
import { assertClose } from "../helpers/assert.js";
import { decode, loadFixture, type EncodedTensor } from "../helpers/fixtures.js";
import { makeOptimizer, type OptName } from "./build.js";

interface Problem {
  params: EncodedTensor[];
  grads: EncodedTensor[][];
}
interface Case {
  name: string;
  optimizer: OptName;
  options: Record<string, unknown>;
  dtype: "float32" | "float64";
  noneSteps: number[];
  steps: EncodedTensor[][];
  state: Record<string, Record<string, EncodedTensor | number>>;
}
const fx = loadFixture<{ problems: Record<string, Problem>; cases: Case[] }>("optim", "optimizers");

function leaves(encoded: EncodedTensor[]): Tensor[] {
  return encoded.map((e) => decode(e, { requiresGrad: true }));
}

/** Feeds step i's fixture gradients (none for param 1 at the case's noneSteps). */
function setGrads(params: Tensor[], c: Case, i: number): void {
  const grads = fx.problems[c.dtype]!.grads[i]!;
  params[0]!.grad = decode(grads[0]!);
  params[1]!.grad = c.noneSteps.includes(i) ? null : decode(grads[1]!);
}

function checkState(opt: optim.Optimizer, params: Tensor[], c: Case): void {
  const keys = Object.keys(c.state).sort();
  assert.deepEqual(
    params.flatMap((p, i) => (opt.state.has(p) ? [String(i)] : [])),
    keys,
    `${c.name}: parameters with state`,
  );
  for (const k of keys) {
    const got = opt.state.get(params[Number(k)]!)!;
    const want = c.state[k]!;
    assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort(), `${c.name}: state keys`);
    for (const [key, value] of Object.entries(want)) {
      if (typeof value === "number") assert.equal(got[key], value, `${c.name}: state ${key}`);
      else assertClose(got[key] as Tensor, value, { message: `${c.name}: state ${key}` });
    }
  }
}

describe("optimizers match PyTorch 1.13 step for step", () => {
  for (const c of fx.cases) {
    it(c.name, () => {
      const params = leaves(fx.problems[c.dtype]!.params);
      const opt = makeOptimizer(c.optimizer, params, c.options);
      c.steps.forEach((want, i) => {
        setGrads(params, c, i);
        opt.step();
        want.forEach((w, j) =>
          assertClose(params[j]!, w, { message: `${c.name} step ${i} p${j}` }),
        );
      });
      checkState(opt, params, c);
      assert.ok(
        params.every((p) => p.isLeaf && p.requiresGrad),
        "params stay trainable leaves",
      );
    });
  }
});

describe("optimizer state dict round trip", () => {
  const picks = fx.cases.filter((c) => c.dtype === "float64" || c.noneSteps.length > 0);
  for (const c of picks) {
    it(`save after 8 steps, load into a fresh optimizer, continue: ${c.name}`, () => {
      const params = leaves(fx.problems[c.dtype]!.params);
      const opt = makeOptimizer(c.optimizer, params, c.options);
      for (let i = 0; i < 8; i++) {
        setGrads(params, c, i);
        opt.step();
      }
      const sd = opt.stateDict();
      const copies = params.map((p) => decode({ ...fxTensor(p) }, { requiresGrad: true }));
      // A fresh optimizer built with other options: loading must bring the saved ones back.
      const fresh = makeOptimizer(c.optimizer, copies, { ...c.options, lr: 123 });
      fresh.loadStateDict(sd);
      assert.equal(fresh.paramGroups[0]!.lr, c.options.lr ?? opt.defaults.lr);
      for (let i = 8; i < c.steps.length; i++) {
        setGrads(params, c, i);
        setGrads(copies, c, i);
        opt.step();
        fresh.step();
      }
      copies.forEach((p, j) => {
        assert.deepEqual(Array.from(p.toArray()), Array.from(params[j]!.toArray()));
        assertClose(p, c.steps.at(-1)![j]!, { message: `${c.name} p${j}` });
      });
    });
  }
});

function fxTensor(t: Tensor): EncodedTensor {
  return { shape: [...t.shape], dtype: t.dtype, data: Array.from(t.toArray()) };
}

describe("zeroGrad and skipped parameters", () => {
  it("sets grads to null by default and zeros them in place with setToNone: false", () => {
    const [a, b] = leaves(fx.problems.float32!.params);
    const opt = new optim.SGD([a!, b!], { lr: 0.1 });
    a!.grad = decode(fx.problems.float32!.grads[0]![0]!);
    const g = a!.grad;
    opt.zeroGrad({ setToNone: false });
    assert.equal(a!.grad, g, "same grad tensor");
    assert.deepEqual(Array.from(g.toArray()), [0, 0, 0, 0, 0, 0]);
    assert.equal(b!.grad, null);
    opt.zeroGrad();
    assert.equal(a!.grad, null);
  });

  it("accepts a parameter that does not require grad, as PyTorch does, and never moves it", () => {
    const [a, b] = leaves(fx.problems.float32!.params);
    const frozen = b!.detach();
    const before = Array.from(frozen.toArray());
    const opt = new optim.Adam([a!, frozen], { lr: 0.1 });
    a!.grad = decode(fx.problems.float32!.grads[0]![0]!);
    opt.step();
    assert.deepEqual(Array.from(frozen.toArray()), before);
    assert.equal(opt.state.has(frozen), false);
  });

  it("parameter groups keep their own options and fill the rest from the defaults", () => {
    const [a, b] = leaves(fx.problems.float32!.params);
    const opt = new optim.SGD([{ params: [a!] }, { params: [b!], lr: 0.01 }], {
      lr: 0.1,
      momentum: 0.9,
    });
    assert.equal(opt.paramGroups[0]!.lr, 0.1);
    assert.equal(opt.paramGroups[1]!.lr, 0.01);
    assert.equal(opt.paramGroups[1]!.momentum, 0.9);
    const w = noGrad(() => b!.clone());
    b!.grad = decode(fx.problems.float32!.grads[0]![1]!);
    opt.step();
    // First momentum step: p - lr * g with the group's lr.
    assertClose(b!, {
      shape: [2],
      data: Array.from(w.sub(b!.grad.mul(0.01)).toArray()),
    });
  });
});
