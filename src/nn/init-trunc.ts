/**
 * nn.init.truncNormal_ with PyTorch 1.13's algorithm (torch.nn.init._no_grad_trunc_normal_):
 * uniform draws on [2 cdf(a) - 1, 2 cdf(b) - 1], the inverse error function, a scale by
 * std * sqrt(2), a shift by mean and a clamp to [a, b]. The uniform draws are PyTorch's under
 * manualSeed; erfinv is computed in float64 and rounded to the tensor's dtype, so float32
 * values can differ from PyTorch's float32 erfinv in the last bit.
 */
import { checkTensor } from "../validation/tensors.js";
import { checkNumber } from "../validation/arguments.js";
import { noGrad } from "../autograd/grad-mode.js";
import { erf } from "../backend/reference/scalar-math.js";
import { tensor } from "../tensor/create.js";
import type { Tensor } from "../tensor/tensor.js";
import "../random/index.js";

/** The inverse error function: ATen's calc_erfinv start, then Newton steps in float64. */
export function erfinv(y: number): number {
  const ay = Math.abs(y);
  if (Number.isNaN(y) || ay > 1) return NaN;
  if (ay === 1) return Math.sign(y) * Infinity;
  let x: number;
  if (ay <= 0.7) {
    const z = y * y;
    const num = ((-0.140543331 * z + 0.914624893) * z - 1.645349621) * z + 0.886226899;
    const dem = (((0.012229801 * z - 0.329097515) * z + 1.442710462) * z - 2.118377725) * z + 1;
    x = (y * num) / dem;
  } else {
    const z = Math.sqrt(-Math.log((1 - ay) / 2));
    const num = ((1.641345311 * z + 3.429567803) * z - 1.624906493) * z - 1.970840454;
    const dem = (1.6370678 * z + 3.5438892) * z + 1;
    x = (Math.sign(y) * num) / dem;
  }
  for (let k = 0; k < 3; k++) x -= (erf(x) - y) / ((2 / Math.sqrt(Math.PI)) * Math.exp(-x * x));
  return x;
}

const normCdf = (x: number): number => (1 + erf(x / Math.SQRT2)) / 2;

/**
 * Fills `t` in place from N(mean, std^2) truncated to [a, b] (torch.nn.init.trunc_normal_).
 *
 * @example
 * nn.init.truncNormal_(w, 0, 0.02, -0.04, 0.04);
 */
export function truncNormal_(t: Tensor, mean = 0, std = 1, a = -2, b = 2): Tensor {
  checkTensor("trunc_normal_", "tensor", t);
  for (const [name, v] of [
    ["mean", mean],
    ["std", std],
    ["a", a],
    ["b", b],
  ] as const) {
    checkNumber("trunc_normal_", name, v, { finite: true });
  }
  const l = normCdf((a - mean) / std);
  const u = normCdf((b - mean) / std);
  return noGrad(() => {
    t.uniform_(2 * l - 1, 2 * u - 1);
    const values = t.contiguous().toArray().map(erfinv);
    t.copy_(tensor(values, { dtype: t.dtype }).reshape(t.shape));
    t.mul_(std * Math.SQRT2);
    t.add_(mean);
    return t.clamp_(a, b);
  });
}
