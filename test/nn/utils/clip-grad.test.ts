import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { tensor, zeros, type Tensor } from "../../../src/index.js";
import { clipGradNorm_, clipGradValue_ } from "../../../src/nn/utils/index.js";
import { assertClose } from "../../helpers/assert.js";
import { decode, loadFixture, type EncodedTensor } from "../../helpers/fixtures.js";

interface ClipCase {
  kind: "norm" | "value";
  normType?: number | "inf";
  maxNorm?: number;
  clipValue?: number;
  grads: EncodedTensor[];
  total?: EncodedTensor;
  clipped: EncodedTensor[];
}
const fx = loadFixture<{ cases: ClipCase[]; nonfiniteError: string }>("optim", "clip-grad");

function withGrads(grads: EncodedTensor[]): Tensor[] {
  return grads.map((g) => {
    const p = zeros(g.shape, { dtype: g.dtype }).requiresGrad_();
    p.grad = decode(g);
    return p;
  });
}

describe("clipGradNorm_ / clipGradValue_ match PyTorch", () => {
  for (const c of fx.cases) {
    const label =
      c.kind === "norm"
        ? `norm p=${c.normType} maxNorm=${c.maxNorm} ${c.grads[0]!.dtype}`
        : `value ${c.clipValue} ${c.grads[0]!.dtype}`;
    it(label, () => {
      const params = withGrads(c.grads);
      if (c.kind === "norm") {
        const p = c.normType === "inf" ? Infinity : c.normType!;
        const total = clipGradNorm_(params, c.maxNorm!, p);
        assertClose(total, c.total!, { message: "total norm" });
      } else {
        clipGradValue_(params, c.clipValue!);
      }
      params.forEach((p, i) => assertClose(p.grad!, c.clipped[i]!, { message: `grad ${i}` }));
    });
  }

  it("skips parameters without a grad and returns 0 when none has one", () => {
    const p = zeros(2).requiresGrad_();
    assert.equal(clipGradNorm_([p], 1).item(), 0);
    const q = zeros(2).requiresGrad_();
    q.grad = tensor([3, 4], { dtype: "float32" });
    assert.ok(Math.abs(clipGradNorm_([p, q], 1).item() - 5) < 1e-6);
    assert.equal(p.grad, null);
  });

  it("errorIfNonfinite rejects an infinite norm with PyTorch's message", () => {
    const p = zeros(2).requiresGrad_();
    p.grad = tensor([1, Infinity]);
    assert.throws(() => clipGradNorm_(p, 1, 2, { errorIfNonfinite: true }), {
      name: "ValueError",
      message: fx.nonfiniteError,
    });
  });
});
