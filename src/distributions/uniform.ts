import { ValueError } from "../errors.js";
import { rand } from "../random/factories.js";
import type { Shape } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import {
  Distribution,
  broadcastAll,
  type Constraint,
  type DistributionOptions,
  type Param,
} from "./distribution.js";

/**
 * The uniform distribution on [low, high) (torch.distributions.Uniform); rsample is
 * low + rand(shape)·(high - low), PyTorch's draws.
 *
 * @example
 * const d = new torch.distributions.Uniform(0, 2);
 * d.rsample([4]);
 */
export class Uniform extends Distribution {
  readonly low: Tensor;
  readonly high: Tensor;

  constructor(low: Param, high: Param, options?: DistributionOptions) {
    const [lo, hi] = broadcastAll(low, high) as [Tensor, Tensor];
    const scalar = !(low instanceof Tensor) && !(high instanceof Tensor);
    super(scalar ? [] : lo.shape, [], options);
    this.low = lo;
    this.high = hi;
    // low and high are "dependent" constraints, which PyTorch skips; it checks low < high instead.
    if (this.validate && !lo.lt(hi).all().item()) {
      throw new ValueError("Uniform is not defined when low>= high");
    }
  }

  protected params(): [string, Tensor][] {
    return [
      ["low", this.low],
      ["high", this.high],
    ];
  }

  get support(): Constraint {
    const { low, high } = this;
    return {
      repr: `Interval(lower_bound=${String(low)}, upper_bound=${String(high)})`,
      check: (v) => low.le(v).logicalAnd(v.le(high)),
    };
  }

  get mean(): Tensor {
    return this.high.add(this.low).div(2);
  }

  override get stddev(): Tensor {
    return this.high.sub(this.low).div(12 ** 0.5);
  }

  get variance(): Tensor {
    return this.high.sub(this.low).pow(2).div(12);
  }

  override rsample(sampleShape: Shape = []): Tensor {
    const shape = this.extendedShape(sampleShape);
    const r = rand(shape, { dtype: this.low.dtype });
    return this.low.add(r.mul(this.high.sub(this.low)));
  }

  logProb(value: Tensor): Tensor {
    this.validateSample(value);
    const lb = this.low.le(value).to(this.low.dtype);
    const ub = this.high.gt(value).to(this.low.dtype);
    return lb.mul(ub).log().sub(this.high.sub(this.low).log());
  }

  entropy(): Tensor {
    return this.high.sub(this.low).log();
  }
}
