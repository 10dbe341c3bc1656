// LBFGS against PyTorch 1.13 (fixtures/optim_more/lbfgs.json, scripts/fixtures/optim_more.py):
// Rosenbrock with and without the strong-Wolfe line search, one and two parameters; the loss
// each step returns, the parameters, the closure calls, func_evals / n_iter, and the state.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { cat, noGrad, optim, sub, type Tensor } from "../../src/index.js";
import { assertClose } from "../helpers/assert.js";
import { decode, loadFixture, type EncodedTensor } from "../helpers/fixtures.js";

type StateEntry = number | EncodedTensor | (number | EncodedTensor | null)[];
interface Step {
  loss: number;
  params: EncodedTensor[];
  calls: number;
  funcEvals: number;
  nIter: number;
}
interface Case {
  problem: "rosenbrock" | "two-params";
  options: Partial<optim.LBFGSOptions>;
  dtype: "float32" | "float64";
  params: EncodedTensor[];
  steps: Step[];
  state: Record<string, StateEntry>;
}
const fx = loadFixture<{ cases: Case[] }>("optim_more", "lbfgs");

function rosen(x: Tensor): Tensor {
  const n = x.shape[0]! - 1;
  const head = x.narrow(0, 0, n);
  const tail = x.narrow(0, 1, n);
  return tail.sub(head.pow(2)).pow(2).mul(100).add(sub(1, head).pow(2)).sum();
}

function setup(c: Case) {
  const params = c.params.map((e) => decode(e, { requiresGrad: true }));
  const opt = new optim.LBFGS(params, c.options);
  let calls = 0;
  const closure = (): Tensor => {
    calls += 1;
    opt.zeroGrad();
    const x = cat(params.map((p) => p.reshape(-1)));
    const loss = c.problem === "rosenbrock" ? rosen(x) : rosen(x).add(x.pow(2).sum().mul(0.1));
    loss.backward();
    return loss;
  };
  return { params, opt, closure, calls: () => calls };
}

function close(got: number, want: number, rtol: number, message: string, atol = 1e-12): void {
  assert.ok(Math.abs(got - want) <= rtol * Math.abs(want) + atol, `${message}: ${got} vs ${want}`);
}

function checkEntry(got: unknown, want: StateEntry, rtol: number, message: string): void {
  if (typeof want === "number") close(got as number, want, rtol, message, rtol * 1e-3);
  else if (Array.isArray(want)) {
    const list = got as unknown[];
    assert.equal(list.length, want.length, `${message}: length`);
    want.forEach((w, i) => {
      if (w === null) assert.equal(list[i], null, `${message}[${i}]`);
      else checkEntry(list[i], w, rtol, `${message}[${i}]`);
    });
  } else assertClose(got as Tensor, want, { rtol, atol: rtol * 1e-3, message });
}

describe("LBFGS matches PyTorch 1.13", () => {
  for (const c of fx.cases) {
    // float32: PyTorch keeps the scalars (gtd, ys, t) in float32 0-d tensors, torchlet in
    // doubles, so the line search sees slightly different numbers.
    const rtol = c.dtype === "float64" ? 1e-9 : 1e-2;
    it(`${c.problem} ${JSON.stringify(c.options)} ${c.dtype}`, () => {
      const { params, opt, closure, calls } = setup(c);
      c.steps.forEach((want, i) => {
        const before = calls();
        const loss = opt.step(closure)!;
        const label = `step ${i}`;
        close(loss.item(), want.loss, rtol, `${label} loss`);
        assert.equal(calls() - before, want.calls, `${label}: closure calls`);
        const st = opt.state.get(params[0]!)!;
        assert.equal(st.func_evals, want.funcEvals, `${label}: func_evals`);
        assert.equal(st.n_iter, want.nIter, `${label}: n_iter`);
        want.params.forEach((w, j) =>
          assertClose(params[j]!, w, { rtol, atol: rtol * 1e-3, message: `${label} p${j}` }),
        );
      });
      const sd = opt.stateDict();
      const mine = sd.state[0]!;
      assert.deepEqual(Object.keys(mine).sort(), Object.keys(c.state).sort(), "state keys");
      for (const [k, v] of Object.entries(c.state)) {
        // The history (y = differences of nearby gradients, al = s.q / y.s, the last gradient)
        // amplifies last-bit differences of the dot products' summation order, so it is
        // compared more loosely than the parameters (which match to 1e-9 at every step).
        const loose = [
          "al",
          "old_dirs",
          "old_stps",
          "ro",
          "H_diag",
          "d",
          "prev_flat_grad",
        ].includes(k);
        checkEntry(mine[k], v, loose ? Math.max(rtol, 1e-6) : rtol, `state ${k}`);
      }
    });
  }

  it("resumes from its state dict as if never stopped", () => {
    const c = fx.cases.find(
      (x) => x.options.lineSearchFn === "strong_wolfe" && x.dtype === "float64",
    )!;
    const a = setup(c);
    a.opt.step(a.closure);
    const b = setup(c);
    noGrad(() => b.params.forEach((p, i) => p.copy_(a.params[i]!)));
    b.opt.loadStateDict(a.opt.stateDict());
    for (let i = 1; i < c.steps.length; i++) {
      b.opt.step(b.closure);
      b.params.forEach((p, j) => assertClose(p, c.steps[i]!.params[j]!, { rtol: 1e-9 }));
    }
  });

  it("returns at once when the gradient is already below toleranceGrad", () => {
    const c = fx.cases[0]!;
    const { params, opt } = setup(c);
    const before = Array.from(params[0]!.toArray());
    const loss = opt.step(() => {
      opt.zeroGrad();
      const l = params[0]!.sum().mul(0);
      l.backward();
      return l;
    });
    assert.equal(loss!.item(), 0);
    assert.deepEqual(Array.from(params[0]!.toArray()), before);
    assert.equal(opt.state.get(params[0]!)!.n_iter, 0);
  });
});
