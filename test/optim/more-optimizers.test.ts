// Adadelta, Adamax, NAdam, RAdam, Rprop and ASGD against PyTorch 1.13 (fixtures/optim_more,
// scripts/fixtures/optim_more.py): parameters after every step, state keys and values after
// steps 8 and 20, param group keys, and a state dict round trip mid-run.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { optim, type Tensor } from "../../src/index.js";
import { assertClose } from "../helpers/assert.js";
import { decode, loadFixture, type EncodedTensor } from "../helpers/fixtures.js";

type Name = "Adadelta" | "Adamax" | "NAdam" | "RAdam" | "Rprop" | "ASGD";
type State = Record<string, Record<string, EncodedTensor | number>>;
interface Case {
  name: string;
  optimizer: Name;
  options: Record<string, unknown>;
  dtype: "float32" | "float64";
  noneSteps: number[];
  steps: EncodedTensor[][];
  midState: State;
  state: State;
  paramGroups: Record<string, unknown>[];
}
interface Problem {
  params: EncodedTensor[];
  grads: EncodedTensor[][];
}
const fx = loadFixture<{ problems: Record<string, Problem>; cases: Case[] }>(
  "optim_more",
  "optimizers",
);

function make(name: Name, params: Tensor[], o: Record<string, unknown>): optim.Optimizer {
  switch (name) {
    case "Adadelta":
      return new optim.Adadelta(params, o);
    case "Adamax":
      return new optim.Adamax(params, o);
    case "NAdam":
      return new optim.NAdam(params, o);
    case "RAdam":
      return new optim.RAdam(params, o);
    case "Rprop":
      return new optim.Rprop(params, o);
    case "ASGD":
      return new optim.ASGD(params, o);
  }
}

function leaves(c: Case): Tensor[] {
  return fx.problems[c.dtype]!.params.map((e) => decode(e, { requiresGrad: true }));
}

function setGrads(params: Tensor[], c: Case, i: number): void {
  const grads = fx.problems[c.dtype]!.grads[i]!;
  params[0]!.grad = decode(grads[0]!);
  params[1]!.grad = c.noneSteps.includes(i) ? null : decode(grads[1]!);
}

function checkState(opt: optim.Optimizer, want: State, label: string): void {
  const got = opt.stateDict().state;
  assert.deepEqual(
    Object.keys(got).sort(),
    Object.keys(want).sort(),
    `${label}: params with state`,
  );
  for (const [id, entries] of Object.entries(want)) {
    const mine = got[Number(id)]!;
    assert.deepEqual(Object.keys(mine).sort(), Object.keys(entries).sort(), `${label}: keys`);
    for (const [key, value] of Object.entries(entries)) {
      const message = `${label}: state ${id}.${key}`;
      if (typeof value === "number") {
        const v = mine[key] as number;
        assert.equal(typeof v, "number", message);
        assert.ok(Math.abs(v - value) <= 1e-12 * Math.abs(value), `${message}: ${v} vs ${value}`);
      } else {
        assertClose(mine[key] as Tensor, value, { message });
      }
    }
  }
}

describe("more optimizers match PyTorch 1.13 step for step", () => {
  for (const c of fx.cases) {
    it(c.name, () => {
      const params = leaves(c);
      const opt = make(c.optimizer, params, c.options);
      c.steps.forEach((want, i) => {
        setGrads(params, c, i);
        opt.step();
        want.forEach((w, j) =>
          assertClose(params[j]!, w, { message: `${c.name} step ${i} p${j}` }),
        );
        if (i === 7) checkState(opt, c.midState, `${c.name} after 8 steps`);
      });
      checkState(opt, c.state, c.name);
      const groups = opt.stateDict().param_groups;
      assert.deepEqual(
        Object.keys(groups[0]!).sort(),
        Object.keys(c.paramGroups[0]!).sort(),
        "param group keys as PyTorch's (without foreach)",
      );
      for (const [k, v] of Object.entries(c.paramGroups[0]!)) {
        if (k !== "params") assert.deepEqual(groups[0]![k], v, `group option ${k}`);
      }
    });
  }
});

describe("more optimizers: state dict round trip", () => {
  for (const c of fx.cases.filter((x) => x.dtype === "float64" || x.noneSteps.length > 0)) {
    it(`save after 8 steps, load into a fresh optimizer, continue: ${c.name}`, () => {
      const params = leaves(c);
      const opt = make(c.optimizer, params, c.options);
      for (let i = 0; i < 8; i++) {
        setGrads(params, c, i);
        opt.step();
      }
      const copies = params.map((p) => p.detach().clone().requiresGrad_());
      const fresh = make(c.optimizer, copies, { ...c.options, lr: 123 });
      fresh.loadStateDict(opt.stateDict());
      for (let i = 8; i < c.steps.length; i++) {
        setGrads(copies, c, i);
        fresh.step();
        copies.forEach((p, j) => assertClose(p, c.steps[i]![j]!, { message: `step ${i} p${j}` }));
      }
    });
  }

  it("loads PyTorch's 0-d tensor state (mu_product, eta, mu) as numbers", () => {
    const c = fx.cases.find((x) => x.optimizer === "ASGD" && x.dtype === "float64")!;
    const params = leaves(c);
    const opt = make("ASGD", params, c.options);
    for (let i = 0; i < 8; i++) {
      setGrads(params, c, i);
      opt.step();
    }
    const sd = opt.stateDict();
    for (const s of Object.values(sd.state)) {
      s.eta = decode({ shape: [], dtype: "float32", data: [s.eta as number] });
      s.mu = decode({ shape: [], dtype: "float32", data: [s.mu as number] });
    }
    const copies = params.map((p) => p.detach().clone().requiresGrad_());
    const fresh = make("ASGD", copies, c.options);
    fresh.loadStateDict(sd);
    setGrads(copies, c, 8);
    fresh.step();
    copies.forEach((p, j) => assertClose(p, c.steps[8]![j]!));
  });
});

interface Quadratic {
  x: EncodedTensor;
  y: EncodedTensor;
  params: EncodedTensor[];
  cases: {
    optimizer: Name;
    options: Record<string, unknown>;
    steps: { loss: number; params: EncodedTensor[] }[];
  }[];
}
const quad = loadFixture<Quadratic>("optim_more", "quadratic");

describe("more optimizers fit a least-squares layer with step(closure) as PyTorch does", () => {
  for (const c of quad.cases) {
    it(`${c.optimizer} ${JSON.stringify(c.options)} float64`, () => {
      const x = decode(quad.x);
      const y = decode(quad.y);
      const [w, b] = quad.params.map((e) => decode(e, { requiresGrad: true })) as [Tensor, Tensor];
      const opt = make(c.optimizer, [w, b], c.options);
      const closure = (): Tensor => {
        opt.zeroGrad();
        const loss = x.matmul(w.T).add(b).sub(y).pow(2).mean();
        loss.backward();
        return loss;
      };
      c.steps.forEach((want, i) => {
        const loss = opt.step(closure)!;
        assertClose(
          loss,
          { shape: [], dtype: "float64", data: [want.loss] },
          { message: `loss ${i}` },
        );
        [w, b].forEach((p, j) => assertClose(p, want.params[j]!, { message: `step ${i} p${j}` }));
      });
    });
  }
});
