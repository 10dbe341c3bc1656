import { checkIterable } from "../../validation/arguments.js";
/**
 * Gradient clipping (torch.nn.utils.clip_grad_norm_ / clip_grad_value_): in place on `.grad`,
 * with PyTorch's exact formula so clipped gradients match its numbers.
 */
import { noGrad } from "../../autograd/grad-mode.js";
import { ValueError } from "../../errors.js";
import { tensor } from "../../tensor/create.js";
import { Tensor } from "../../tensor/tensor.js";
import { div } from "../../ops/binary.js";
import { scalarTensor } from "../../ops/support.js";
import { formatPyNumber } from "../../optim/optimizer.js";
import "../../ops/index.js";

function gradsOf(parameters: Iterable<Tensor> | Tensor): Tensor[] {
  if (!(parameters instanceof Tensor)) checkIterable("clip_grad", "parameters", parameters);
  const list = parameters instanceof Tensor ? [parameters] : [...parameters];
  return list.flatMap((p) => (p.grad === null ? [] : [p.grad]));
}

/** The p-norm of all elements of `t` as a 0-d tensor of its dtype (torch.norm(t, p)). */
function vectorNorm(t: Tensor, p: number): Tensor {
  if (p === Infinity || p === -Infinity) {
    // No max-reduction kernel yet: the extreme of |t| is read out (Math.max keeps NaN).
    const values = Array.from(t.abs().toArray());
    return scalarTensor(p > 0 ? Math.max(...values) : Math.min(...values), t.dtype);
  }
  if (p === 0) return t.ne(0).to(t.dtype).sum();
  if (p === 1) return t.abs().sum();
  if (p === 2) return t.mul(t).sum().sqrt();
  return t
    .abs()
    .pow(p)
    .sum()
    .pow(1 / p);
}

/**
 * Scales the gradients of `parameters` in place so that their total `normType`-norm (all grads
 * seen as one vector) is at most `maxNorm`, and returns that total norm before clipping.
 * PyTorch's formula: coef = maxNorm / (totalNorm + 1e-6), clamped to 1, multiplies every grad.
 *
 * @example
 * loss.backward();
 * nn.utils.clipGradNorm_(model.parameters(), 1.0);
 * opt.step();
 */
export function clipGradNorm_(
  parameters: Iterable<Tensor> | Tensor,
  maxNorm: number,
  normType = 2,
  options: { errorIfNonfinite?: boolean } = {},
): Tensor {
  const grads = gradsOf(parameters);
  if (grads.length === 0) return tensor(0.0);
  return noGrad(() => {
    const norms = grads.map((g) => vectorNorm(g.detach(), normType));
    const stacked = tensor(
      norms.map((n) => n.item()),
      { dtype: norms[0]!.dtype },
    );
    const totalNorm =
      Math.abs(normType) === Infinity && norms.length === 1
        ? norms[0]!
        : vectorNorm(stacked, normType);
    const total = totalNorm.item();
    if (options.errorIfNonfinite && !Number.isFinite(total)) {
      throw new ValueError(
        `The total norm of order ${formatPyNumber(normType)} for gradients from \`parameters\` is non-finite, ` +
          "so it cannot be clipped. To disable this error and scale the gradients by the non-finite " +
          "norm anyway, set `error_if_nonfinite=False`",
      );
    }
    const coef = div(maxNorm, totalNorm.add(1e-6)).clamp(null, 1.0);
    for (const g of grads) g.mul_(coef);
    return totalNorm;
  });
}

/**
 * Clamps every gradient of `parameters` to [-clipValue, clipValue] in place.
 *
 * @example
 * nn.utils.clipGradValue_(model.parameters(), 0.5);
 */
export function clipGradValue_(parameters: Iterable<Tensor> | Tensor, clipValue: number): void {
  noGrad(() => {
    for (const g of gradsOf(parameters)) g.clamp_(-clipValue, clipValue);
  });
}
