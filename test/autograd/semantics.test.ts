// Autograd behaviour checked against what PyTorch 1.13 does in the same situation (each test
// names the PyTorch snippet it mirrors; the expected numbers and messages come from running it).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";

const f = (values: number[], requiresGrad = true): torch.Tensor =>
  torch.tensor(values, { dtype: "float32", requiresGrad });

const throwsAutograd = (fn: () => unknown, text: string): void =>
  assert.throws(fn, (err: Error) => {
    assert.equal(err.name, "AutogradError");
    assert.ok(err.message.includes(text), `"${err.message}" lacks "${text}"`);
    return true;
  });

describe("backward", () => {
  it("accumulates into .grad across backward calls", () => {
    // y = (x*x).sum(); y.backward(retain_graph=True); y.backward() -> x.grad = [4, 8]
    const x = f([1, 2]);
    const y = x.mul(x).sum();
    y.backward(null, { retainGraph: true });
    assert.deepEqual(x.grad!.tolist(), [2, 4]);
    y.backward();
    assert.deepEqual(x.grad!.tolist(), [4, 8]);
  });

  it("refuses to run twice through a graph whose saved tensors were freed", () => {
    const x = f([1, 2]);
    const y = x.mul(x).sum();
    y.backward();
    throwsAutograd(() => y.backward(), "Trying to backward through the graph a second time");
  });

  it("allows a second backward through a graph that saved nothing, as PyTorch does", () => {
    const x = f([1, 2]);
    const y = x.add(1).sum();
    y.backward();
    y.backward();
    assert.deepEqual(x.grad!.tolist(), [2, 2]);
  });

  it("needs a gradient for a non-scalar output", () => {
    const x = f([1, 2]);
    throwsAutograd(
      () => x.mul(2).backward(),
      "grad can be implicitly created only for scalar outputs",
    );
    x.mul(2).backward(torch.tensor([1, 0.5]));
    assert.deepEqual(x.grad!.tolist(), [2, 1]);
  });

  it("reduces the gradient of a broadcast op to the input's shape", () => {
    const x = f([1, 2, 3]);
    const y = torch.ones([2, 3], { requiresGrad: true });
    const s = torch.tensor(0.5, { requiresGrad: true });
    x.add(y).mul(s).sum().backward();
    assert.deepEqual(x.grad!.shape, [3]);
    assert.deepEqual(x.grad!.tolist(), [1, 1, 1]);
    assert.deepEqual(y.grad!.shape, [2, 3]);
    assert.deepEqual(s.grad!.shape, []);
    assert.equal(s.grad!.item(), 18); // sum(x + y) = 2 * (1 + 2 + 3) + 6
  });

  it("fills .grad of a non-leaf only after retainGrad", () => {
    const x = f([1, 2]);
    const y = x.mul(3);
    const z = x.mul(2);
    y.retainGrad();
    assert.equal(y.retainsGrad, true);
    y.mul(y).add(z).sum().backward();
    assert.deepEqual(y.grad!.tolist(), [6, 12]); // d(y^2)/dy = 2y
    assert.equal(z.grad, null);
    assert.deepEqual(x.grad!.tolist(), [20, 38]); // 18x + 2
  });
});

describe("in-place ops and autograd", () => {
  it("refuse a leaf that requires grad, unless grad mode is off", () => {
    const x = f([1, 2]);
    throwsAutograd(
      () => x.add_(1),
      "a leaf Variable that requires grad is being used in an in-place operation.",
    );
    torch.noGrad(() => x.add_(1));
    assert.deepEqual(x.tolist(), [2, 3]);
  });

  // x = torch.tensor([1., 2.], requires_grad=True); y = x.sigmoid(); y.mul_(2); y.sum().backward()
  // RuntimeError: one of the variables needed for gradient computation has been modified by an
  // inplace operation: [torch.FloatTensor [2]], which is output 0 of SigmoidBackward0, is at
  // version 1; expected version 0 instead.
  const modified =
    "one of the variables needed for gradient computation has been modified by an inplace operation";
  const versions = "is at version 1; expected version 0 instead.";

  it("detect a saved output modified in place (sigmoid then mul_)", () => {
    const x = f([1, 2]);
    const y = x.sigmoid();
    y.mul_(2);
    throwsAutograd(() => y.sum().backward(), modified);
    throwsAutograd(() => x.sigmoid().mul_(2).sum().backward(), versions);
  });

  it("detect a saved input modified in place (a*a then a.add_)", () => {
    const x = f([1, 2]);
    const a = x.mul(1);
    const b = a.mul(a);
    a.add_(1);
    throwsAutograd(() => b.sum().backward(), modified);
  });

  // PyTorch 1.13's messages for these three programs (its "Hint: enable anomaly detection ..."
  // sentence is left out: torchlet has no anomaly mode). The node named is the one that made the
  // saved tensor, not the one that saved it; a leaf gets no "which is output" clause.
  it("word the in-place error as PyTorch does, naming the saved tensor's producer", () => {
    const start =
      "one of the variables needed for gradient computation has been modified by an inplace operation: ";
    const exact = (fn: () => void, rest: string) =>
      assert.throws(fn, (e: Error) => e.name === "AutogradError" && e.message === start + rest);
    const x = torch.tensor([0.5, -1.0], { requiresGrad: true });
    const y = x.sigmoid();
    y.mul_(2);
    exact(
      () => y.sum().backward(),
      "[torch.FloatTensor [2]], which is output 0 of SigmoidBackward0, is at version 1; expected version 0 instead.",
    );
    const a = torch.tensor([1, 2, 3], { dtype: "float32", requiresGrad: true });
    const b = torch.tensor([2, 2, 2], { dtype: "float32" });
    const z = a.mul(b);
    b.add_(1);
    exact(
      () => z.sum().backward(),
      "[torch.FloatTensor [3]] is at version 1; expected version 0 instead.",
    );
    const d = torch.tensor([1, 2], { dtype: "float64", requiresGrad: true });
    const w = d.exp();
    const w2 = w.mul(1);
    w.add_(1);
    exact(() => {
      w2.sum().backward();
      w.mul(d).sum().backward();
    }, "[torch.DoubleTensor [2]], which is output 0 of ExpBackward0, is at version 1; expected version 0 instead.");
  });

  it("let backward run when the modified tensor was not saved (a+2 then a.mul_)", () => {
    const x = f([1, 2]);
    const a = x.mul(1);
    const b = a.add(2);
    a.mul_(3);
    b.sum().backward();
    assert.deepEqual(x.grad!.tolist(), [1, 1]);
  });

  it("rebase the history: the in-place result differentiates through the op", () => {
    const x = f([1, 2]);
    const a = x.mul(1);
    a.mul_(3);
    a.sum().backward();
    assert.deepEqual(x.grad!.tolist(), [3, 3]);
  });
});

describe("grad mode", () => {
  it("noGrad and enableGrad nest and restore the previous mode", () => {
    const x = f([1]);
    assert.equal(torch.isGradEnabled(), true);
    torch.noGrad(() => {
      assert.equal(x.mul(2).requiresGrad, false);
      torch.enableGrad(() => {
        assert.equal(x.mul(2).requiresGrad, true);
        torch.noGrad(() => assert.equal(torch.isGradEnabled(), false));
        assert.equal(torch.isGradEnabled(), true);
      });
      assert.equal(torch.isGradEnabled(), false);
    });
    assert.equal(torch.isGradEnabled(), true);
  });

  it("restores the mode when the body throws", () => {
    assert.throws(() =>
      torch.noGrad(() => {
        throw new Error("boom");
      }),
    );
    assert.equal(torch.isGradEnabled(), true);
    torch.noGrad(() => {
      assert.throws(() =>
        torch.enableGrad(() => {
          throw new Error("boom");
        }),
      );
      assert.equal(torch.isGradEnabled(), false);
    });
    assert.equal(torch.isGradEnabled(), true);
  });

  it("refuses requiresGrad on an integer tensor", () => {
    throwsAutograd(
      () => torch.tensor([1, 2]).requiresGrad_(true),
      "only Tensors of floating point dtype can require gradients",
    );
    throwsAutograd(
      () => torch.tensor([true]).requiresGrad_(true),
      "only Tensors of floating point dtype can require gradients",
    );
  });
});

describe("detach and views", () => {
  it("detach shares storage and cuts the graph", () => {
    const x = f([1, 2]);
    const d = x.detach();
    assert.equal(d.requiresGrad, false);
    assert.equal(d.gradFn, null);
    d.add_(10); // allowed: d does not require grad
    assert.deepEqual(x.tolist(), [11, 12]);
    assert.equal(x.version, 1);
    const y = x.mul(2).detach().mul(x);
    y.sum().backward();
    assert.deepEqual(x.grad!.tolist(), [22, 24]); // the detached factor is a constant
  });

  it("views share storage and the version counter with their base", () => {
    const base = torch.arange(6, { dtype: "float32" }).reshape(2, 3);
    const v = base.view(6);
    const row = base.select(0, 1);
    const t = base.T;
    torch.noGrad(() => v.mul_(2));
    assert.deepEqual(base.tolist(), [
      [0, 2, 4],
      [6, 8, 10],
    ]);
    row.fill_(-1);
    assert.deepEqual(base.tolist(), [
      [0, 2, 4],
      [-1, -1, -1],
    ]);
    assert.deepEqual(t.tolist(), [
      [0, -1],
      [2, -1],
      [4, -1],
    ]);
    assert.equal(base.version, 2);
    assert.equal(v.version, 2);
    assert.equal(row.version, 2);
    // As PyTorch's _base, a view of a view points at the root tensor that owns the storage.
    assert.equal(t.base, base.base ?? base);
  });
});

describe("autograd.grad", () => {
  it("gives the second and third derivatives of x^3 with createGraph", () => {
    // g1 = 3x^2 = 12, g2 = 6x = 12, g3 = 6 at x = 2
    const x = f([2]);
    const [g1] = torch.autograd.grad(x.pow(3), x, { createGraph: true });
    assert.equal(g1!.item(), 12);
    assert.equal(g1!.requiresGrad, true);
    const [g2] = torch.autograd.grad(g1!, x, { createGraph: true });
    assert.equal(g2!.item(), 12);
    const [g3] = torch.autograd.grad(g2!, x);
    assert.equal(g3!.item(), 6);
    assert.equal(x.grad, null); // autograd.grad returns, it does not accumulate
  });

  it("mixed second derivative of sin(x) * y^2", () => {
    const x = torch.tensor(0.5, { dtype: "float64", requiresGrad: true });
    const y = torch.tensor(1.5, { dtype: "float64", requiresGrad: true });
    const [gx] = torch.autograd.grad(x.sin().mul(y.pow(2)), x, { createGraph: true });
    const [gxy] = torch.autograd.grad(gx!, y);
    assert.ok(Math.abs(gxy!.item() - Math.cos(0.5) * 3) < 1e-12);
  });

  it("throws for an unused input unless allowUnused", () => {
    const x = f([2]);
    const z = f([1]);
    const y = x.mul(2).sum();
    throwsAutograd(
      () => torch.autograd.grad(y, [x, z], { retainGraph: true }),
      "appears to not have been used in the graph",
    );
    const [gx, gz] = torch.autograd.grad(y, [x, z], { allowUnused: true });
    assert.deepEqual(gx!.tolist(), [2]);
    assert.equal(gz, null);
  });

  it("takes gradOutputs for non-scalar outputs", () => {
    const x = f([1, 2, 3]);
    const y = x.mul(x);
    throwsAutograd(
      () => torch.autograd.grad(y, x, { retainGraph: true }),
      "grad can be implicitly created only for scalar outputs",
    );
    const [g] = torch.autograd.grad(y, x, { gradOutputs: [torch.tensor([1, 0.5, -1])] });
    assert.deepEqual(g!.tolist(), [2, 2, -6]);
  });

  it("checks the gradOutputs shape", () => {
    const x = f([1, 2, 3]);
    throwsAutograd(
      () => torch.autograd.grad(x.mul(2), x, { gradOutputs: torch.ones([2]) }),
      "Mismatch in shape: grad_output[0] has a shape of [2] and output[0] has a shape of [3].",
    );
  });
});
