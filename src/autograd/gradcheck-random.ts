import { Tensor } from "../tensor/tensor.js";
import { allocate } from "../tensor/dtype.js";

/**
 * Random gradient outputs for gradgradcheck, from a fixed-seed LCG so a failing check is
 * reproducible and the global generator (torch.manualSeed) is left untouched.
 */
export function randnLikeForCheck(like: Tensor): Tensor {
  const data = allocate(like.dtype, like.numel());
  let state = 0x2545f491;
  for (let i = 0; i < data.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    data[i] = state / 2 ** 32 - 0.5;
  }
  return Tensor.fromData(data, like.shape);
}
