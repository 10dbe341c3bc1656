// Custom autograd Functions against PyTorch 1.13: each Function here is the TypeScript twin of
// the one of the same name in scripts/fixtures/autograd_function.py, which recorded PyTorch's
// values, gradients and messages for the same calls.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import { autograd, type Tensor } from "../../src/index.js";
import type { FunctionCtx } from "../../src/autograd/index.js";
import { assertClose } from "../helpers/assert.js";
import { loadFixture, type EncodedTensor } from "../helpers/fixtures.js";

type Case = Record<string, unknown>;
const fx = loadFixture<{ x: number[]; y: number[]; w: number[]; cases: Record<string, Case> }>(
  "autograd_function",
  "autograd_function",
);
const { cases } = fx;
const enc = (v: unknown): EncodedTensor => v as EncodedTensor;
const encs = (v: unknown): EncodedTensor[] => v as EncodedTensor[];

const leaf = (values: number[], dtype: "float32" | "float64" = "float32", requiresGrad = true) =>
  torch.tensor(values, { dtype, requiresGrad });
const X = (): Tensor => leaf(fx.x);
const Y = (): Tensor => leaf(fx.y);
const W = torch.tensor(fx.w, { dtype: "float32" });

/** (out * w).sum().backward(), then the inputs' gradients. */
function weightedGrads(out: Tensor, inputs: Tensor[]): (Tensor | null)[] {
  out.mul(W.to(out.dtype)).sum().backward();
  return inputs.map((t) => t.grad);
}

function checkGrads(got: (Tensor | null)[], want: EncodedTensor[], label: string): void {
  assert.equal(got.length, want.length);
  got.forEach((g, i) => assertClose(g!, want[i]!, { message: `${label} grad ${i}` }));
}

/** Throws an AutogradError/NotImplementedError whose message is exactly PyTorch's `want`. */
function throwsExactly(fn: () => unknown, want: unknown): void {
  assert.throws(fn, (e: Error) => {
    assert.equal(e.message, want);
    return true;
  });
}

class LegendrePolynomial3 extends autograd.Function {
  static override forward(ctx: FunctionCtx, input: Tensor): Tensor {
    ctx.saveForBackward(input);
    return input.pow(3).mul(5).sub(input.mul(3)).mul(0.5);
  }
  static override backward(ctx: FunctionCtx, gradOutput: Tensor): Tensor {
    const [input] = ctx.savedTensors;
    return gradOutput.mul(1.5).mul(input!.pow(2).mul(5).sub(1));
  }
}

class ScaleBy extends autograd.Function {
  static override forward(
    ctx: FunctionCtx & { k: number; seen: readonly boolean[] },
    x: Tensor,
    k: number,
  ): Tensor {
    ctx.k = k;
    ctx.seen = ctx.needsInputGrad;
    return x.mul(k);
  }
  static override backward(ctx: FunctionCtx & { k: number }, g: Tensor): [Tensor, null] {
    return [g.mul(ctx.k), null];
  }
}

/** Records what each backward call received (null or the tensor's values). */
const received: (number[] | null)[][] = [];
const note = (...gs: (Tensor | null)[]) =>
  received.push(gs.map((g) => (g ? Array.from(g.toArray()) : null)));

class MulAdd extends autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor, y: Tensor): [Tensor, Tensor] {
    ctx.saveForBackward(x, y);
    return [x.mul(y), x.add(y)];
  }
  static override backward(ctx: FunctionCtx, g1: Tensor, g2: Tensor): [Tensor, Tensor] {
    note(g1, g2);
    const [x, y] = ctx.savedTensors;
    return [g1.mul(y!).add(g2), g1.mul(x!).add(g2)];
  }
}

class MulAddNoMaterialize extends autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor, y: Tensor): [Tensor, Tensor] {
    ctx.setMaterializeGrads(false);
    ctx.saveForBackward(x, y);
    return [x.mul(y), x.add(y)];
  }
  static override backward(
    ctx: FunctionCtx,
    g1: Tensor | null,
    g2: Tensor | null,
  ): [Tensor | null, Tensor | null] {
    note(g1, g2);
    const [x, y] = ctx.savedTensors;
    if (g1 === null) return [g2, g2];
    return [g1.mul(y!).add(g2 ?? 0), g1.mul(x!).add(g2 ?? 0)];
  }
}

class SortFn extends autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor): [Tensor, Tensor] {
    const v = x.toArray();
    const order = v.map((_, i) => i).sort((a, b) => v[a]! - v[b]!);
    const indices = torch.tensor(order, { dtype: "int32" });
    const values = x.gather(0, indices);
    ctx.markNonDifferentiable(indices);
    ctx.saveForBackward(indices);
    return [values, indices];
  }
  static override backward(ctx: FunctionCtx, g: Tensor, gIndices: Tensor): Tensor {
    note(gIndices);
    const [indices] = ctx.savedTensors;
    return torch.zerosLike(g).scatter(0, indices!, g);
  }
}

class MulInplace extends autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    x.mul_(2);
    ctx.markDirty(x);
    return x;
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    return g.mul(2);
  }
}

class DirtyNotReturned extends autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    x.mul_(2);
    ctx.markDirty(x);
    return x.mul(1);
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    return g;
  }
}

class Identity extends autograd.Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
    return x;
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    return g;
  }
}

class Cube extends autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.pow(3);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    const [x] = ctx.savedTensors;
    return g.mul(3).mul(x!.pow(2));
  }
}

const seen: boolean[][] = [];
class NeedsGrad extends autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor, y: Tensor, k: number): Tensor {
    seen.push([...ctx.needsInputGrad]);
    return x.mul(y).mul(k);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): [Tensor, Tensor, null] {
    seen.push([...ctx.needsInputGrad]);
    return [g, g, null];
  }
}

class BroadcastGrad extends autograd.Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
    return x.mul(2);
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    return g.expand(2, 3).mul(2);
  }
}

class DoubleGrad extends autograd.Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
    return x.mul(2);
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    return g.to("float64").mul(2);
  }
}

/** Functions whose backward returns the wrong things, one per PyTorch error. */
class TooFew extends autograd.Function {
  static override forward(_ctx: FunctionCtx, x: Tensor, k: number): Tensor {
    return x.mul(k);
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    return g;
  }
}
class TooMany extends autograd.Function {
  static override forward(_ctx: FunctionCtx, x: Tensor, k: number): Tensor {
    return x.mul(k);
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): [Tensor, null, Tensor] {
    return [g, null, g];
  }
}
class ExtraNones extends autograd.Function {
  static override forward(_ctx: FunctionCtx, x: Tensor, k: number): Tensor {
    return x.mul(k);
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): [Tensor, null, null] {
    return [g.mul(3), null, null];
  }
}
class GradForNumber extends autograd.Function {
  static override forward(_ctx: FunctionCtx, x: Tensor, k: number): Tensor {
    return x.mul(k);
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): [Tensor, Tensor] {
    return [g.mul(3), g];
  }
}
/** x * x with the gradient of x: gradcheck must catch it. */
class WrongGrad extends autograd.Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
    return x.mul(x);
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    return g;
  }
}
class WrongShape extends autograd.Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
    return x.mul(2);
  }
  static override backward(_ctx: FunctionCtx, g: Tensor): Tensor {
    return g.slice(0, 0, 2);
  }
}
class SaveOutput extends autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    const y = x.mul(2);
    ctx.saveForBackward(y);
    return y;
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    return g.mul(ctx.savedTensors[0]!);
  }
}
class SaveInput extends autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor): Tensor {
    ctx.saveForBackward(x);
    return x.mul(2);
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    return g.mul(ctx.savedTensors[0]!);
  }
}
class SaveSecondOutput extends autograd.Function {
  static override forward(ctx: FunctionCtx, x: Tensor): [Tensor, Tensor] {
    const [a, b] = [x.mul(2), x.mul(3)];
    ctx.saveForBackward(b);
    return [a, b];
  }
  static override backward(ctx: FunctionCtx, ga: Tensor, gb: Tensor): Tensor {
    return ga.mul(2).add(gb.mul(ctx.savedTensors[0]!));
  }
}
class NoBackward extends autograd.Function {
  static override forward(_ctx: FunctionCtx, x: Tensor): Tensor {
    return x.mul(2);
  }
}

describe("autograd.Function: values and gradients as PyTorch's", () => {
  it("LegendrePolynomial3: forward, backward, grad_fn name", () => {
    const c = cases.legendre!;
    const x = X();
    const out = LegendrePolynomial3.apply(x);
    assertClose(out, enc(c.out));
    assert.equal(out.gradFn!.name, c.gradFn);
    checkGrads(weightedGrads(out, [x]), encs(c.grads), "legendre");
  });

  it("a non-tensor argument: kept on ctx, needsInputGrad false, its gradient slot null", () => {
    const c = cases.scaleBy!;
    const x = X();
    const out = ScaleBy.apply(x, 3);
    assertClose(out, enc(c.out));
    checkGrads(weightedGrads(out, [x]), encs(c.grads), "scaleBy");
  });

  it("needsInputGrad: one entry per argument, from requiresGrad (also under noGrad)", () => {
    seen.length = 0;
    NeedsGrad.apply(X(), leaf(fx.y, "float32", false), 2)
      .sum()
      .backward();
    const nograd = torch.noGrad(() => NeedsGrad.apply(X(), Y(), 2));
    const c = cases.needsInputGrad!;
    assert.deepEqual(seen, c.seen);
    assert.equal(nograd.requiresGrad, c.noGradRequiresGrad);
    assert.equal(nograd.gradFn, null);
  });

  it("two outputs: one node for both, backward gets one gradient per output", () => {
    const c = cases.mulAdd!;
    received.length = 0;
    const both = c.both as Case;
    let [x, y] = [X(), Y()];
    let [p, s] = MulAdd.apply(x, y);
    assertClose(p, encs(both.outs)[0]!);
    assertClose(s, encs(both.outs)[1]!);
    assert.equal(p.gradFn!.name, "MulAddBackward");
    assert.equal(s.gradFn!.name, "MulAddBackward");
    p.mul(W).sum().add(s.mul(s).sum()).backward();
    checkGrads([x.grad, y.grad], encs(both.grads), "both outputs");
    // Only the first output used: the second's gradient is zero-filled (materialize_grads).
    [x, y] = [X(), Y()];
    [p, s] = MulAdd.apply(x, y);
    p.mul(W).sum().backward();
    checkGrads([x.grad, y.grad], encs((c.firstOnly as Case).grads), "first output only");
    // autograd.grad from the second output alone.
    [x, y] = [X(), Y()];
    [p, s] = MulAdd.apply(x, y);
    const g = autograd.grad(s.sum(), [x, y]);
    checkGrads(g, encs(c.secondViaGrad), "second output via autograd.grad");
    // What backward received in those three runs (the fixture's later entries are the graph's).
    const want = (c.received as (EncodedTensor | null)[][]).slice(0, 3);
    assert.equal(received.length, want.length);
    received.forEach((r, i) =>
      r.forEach((v, j) => assert.deepEqual(v, want[i]![j]!.data, `call ${i} grad ${j}`)),
    );
  });

  it("outputs of one call feeding others, one output used twice, retainGrad on each output", () => {
    const c = (cases.mulAdd!.graph as Case)!;
    const [x, y] = [X(), Y()];
    const [p, s] = MulAdd.apply(x, y);
    p.retainGrad();
    s.retainGrad();
    const [q, r] = MulAdd.apply(p, s);
    const [, u] = MulAdd.apply(p, p);
    q.mul(W).sum().add(r.mul(r).sum()).add(u.sum()).backward();
    checkGrads([x.grad, y.grad], encs(c.grads), "graph");
    checkGrads([p.grad, s.grad], encs(c.retained), "retained");
  });

  it("apply is typed from forward: arguments and result", () => {
    const [p, s]: [Tensor, Tensor] = MulAdd.apply(X(), Y());
    const out: Tensor = ScaleBy.apply(X(), 2);
    // Type checks only (tsc runs over the tests): never called.
    const badArgument = () =>
      // @ts-expect-error: ScaleBy.forward takes (x: Tensor, k: number)
      ScaleBy.apply(X(), "two");
    assert.equal(typeof badArgument, "function");
    // @ts-expect-error: MulAdd.apply returns a pair, not one tensor
    const wrong: Tensor = MulAdd.apply(X(), Y());
    assert.ok(Array.isArray(wrong) && p.shape.length === 1 && s.shape.length === 1);
    assert.equal(out.shape[0], 3);
  });

  it("setMaterializeGrads(false): an unused output's gradient is null", () => {
    const c = cases.noMaterialize!;
    received.length = 0;
    const [x, y] = [X(), Y()];
    const [, s] = MulAddNoMaterialize.apply(x, y);
    s.mul(W).sum().backward();
    checkGrads([x.grad, y.grad], encs(c.grads), "noMaterialize");
    const want = c.received as (EncodedTensor | null)[][];
    assert.equal(received[0]![0], null);
    assert.deepEqual(received[0]![1], want[0]![1]!.data.map(Number));
    assert.equal(want[0]![0], null);
  });

  it("markNonDifferentiable: indices need no grad and backward gets zeros for them", () => {
    const c = cases.sort!;
    received.length = 0;
    const x = X();
    const [values, indices] = SortFn.apply(x);
    assertClose(values, enc(c.values));
    assertClose(indices, enc(c.indices));
    assert.deepEqual([values.requiresGrad, indices.requiresGrad], c.requiresGrad);
    assert.equal(values.gradFn!.name, "SortFnBackward");
    checkGrads(weightedGrads(values, [x]), encs(c.grads), "sort");
    assert.deepEqual(received, [encs(c.received).map((e) => e.data)]);
  });

  it("markDirty: the input itself is returned, bumped, with the Function as history", () => {
    const c = cases.dirty!;
    const base = X();
    const z = base.clone();
    const v0 = z.version;
    const out = MulInplace.apply(z);
    assert.equal(out === z, c.sameObject);
    assert.deepEqual([v0, z.version], c.versions);
    assertClose(out, enc(c.out));
    assert.equal(z.gradFn!.name, c.gradFn);
    checkGrads(weightedGrads(out, [base]), encs(c.grads), "dirty");
    throwsExactly(() => MulInplace.apply(X()), c.leafError);
    throwsExactly(() => DirtyNotReturned.apply(X().clone()), c.notReturnedError);
  });

  it("an input returned unchanged comes back as a new view with the Function's history", () => {
    const c = cases.identity!;
    const x = X();
    const o = Identity.apply(x);
    assert.equal(o === x, c.sameObject);
    assert.equal(o.base === x, c.isView);
    assert.equal(o.gradFn!.name, c.gradFn);
    assert.equal(x.gradFn, null);
    checkGrads(weightedGrads(o, [x]), encs(c.grads), "identity");
  });

  it("double backward through a backward written with tensor ops", () => {
    const c = cases.doubleBackward!;
    const x = leaf(fx.x, "float64");
    const [g1] = autograd.grad(Cube.apply(x).sum(), x, { createGraph: true });
    assertClose(g1!, enc(c.first));
    assert.equal(g1!.requiresGrad, c.firstRequiresGrad);
    const [g2] = autograd.grad(g1!.mul(torch.tensor(fx.w, { dtype: "float64" })).sum(), x);
    assertClose(g2!, enc(c.second));
  });

  it("a gradient the input broadcasts to is summed down; another dtype is cast", () => {
    const x = X();
    checkGrads(
      weightedGrads(BroadcastGrad.apply(x), [x]),
      encs(cases.broadcastGrad!.grads),
      "broadcast",
    );
    const x2 = X();
    DoubleGrad.apply(x2).sum().backward();
    assertClose(x2.grad!, enc(cases.castGrad!.grad));
    const x3 = X();
    checkGrads(
      weightedGrads(ExtraNones.apply(x3, 3), [x3]),
      encs(cases.extraNones!.grads),
      "extra nulls",
    );
  });

  it("no graph when grad mode is off or no input requires grad", () => {
    const plain = ScaleBy.apply(leaf(fx.x, "float32", false), 2);
    assert.equal(plain.requiresGrad, false);
    const off = torch.noGrad(() => LegendrePolynomial3.apply(X()));
    assert.equal(off.gradFn, null);
  });
});

describe("autograd.Function: PyTorch's errors for wrong returns and misuse", () => {
  const e = cases.errors as Record<string, string>;
  const backward = (t: Tensor) => () => t.sum().backward();

  it("the number of gradients, and a gradient for a non-tensor argument", () => {
    throwsExactly(backward(TooFew.apply(X(), 2)), e.tooFew);
    throwsExactly(backward(TooMany.apply(X(), 2)), e.tooMany);
    throwsExactly(backward(GradForNumber.apply(X(), 2)), e.gradForNumber);
  });

  it("a gradient of the wrong shape", () => {
    throwsExactly(backward(WrongShape.apply(X())), e.wrongShape);
  });

  it("a saved input or output modified in place", () => {
    const z = X().clone();
    const o = SaveInput.apply(z);
    z.add_(1);
    throwsExactly(backward(o), e.modifiedInput);
    const o2 = SaveOutput.apply(X());
    torch.noGrad(() => o2.add_(1));
    throwsExactly(backward(o2), e.modifiedOutput);
    const [a, b] = SaveSecondOutput.apply(X());
    torch.noGrad(() => b.add_(1));
    throwsExactly(() => a.sum().add(b.sum()).backward(), e.modifiedSecondOutput);
  });

  it("saved tensors freed by a first backward", () => {
    const o = SaveInput.apply(X());
    o.sum().backward();
    // torchlet names the option retainGraph where PyTorch says retain_graph=True.
    throwsExactly(backward(o), e.secondTime!.replace("retain_graph=True", "retainGraph: true"));
    // Saving nothing, a second backward runs (as PyTorch).
    const x = X();
    const s = ScaleBy.apply(x, 3);
    s.sum().backward();
    s.sum().backward();
    assert.deepEqual(x.grad!.tolist(), [6, 6, 6]);
  });

  it("a Function without backward, or without forward", () => {
    throwsExactly(backward(NoBackward.apply(X())), e.noBackward);
    // @ts-expect-error: the base class's forward takes no arguments, so the types refuse it too
    throwsExactly(() => autograd.Function.apply(X()), e.noForward);
  });
});

describe("autograd.Function: gradcheck and gradgradcheck in float64", () => {
  const x64 = () => torch.tensor([0.3, -0.7, 1.2], { dtype: "float64", requiresGrad: true });
  it("one output", () => {
    assert.ok(autograd.gradcheck((t) => LegendrePolynomial3.apply(t), [x64()]));
    assert.ok(autograd.gradgradcheck((t) => LegendrePolynomial3.apply(t), [x64()]));
    assert.ok(autograd.gradgradcheck((t) => Cube.apply(t), [x64()]));
  });
  it("two inputs, two outputs", () => {
    const y = torch.tensor([1.1, 0.4, -0.9], { dtype: "float64", requiresGrad: true });
    assert.ok(autograd.gradcheck((a, b) => MulAdd.apply(a!, b!), [x64(), y]));
    assert.ok(autograd.gradgradcheck((a, b) => MulAdd.apply(a!, b!), [x64(), y]));
  });
  it("a wrong backward fails gradcheck", () => {
    assert.equal(
      autograd.gradcheck((t) => WrongGrad.apply(t), [x64()], { raiseException: false }),
      false,
    );
  });
});
