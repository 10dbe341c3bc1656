import { empty } from "../tensor/create.js";
import type { Shape } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { normal } from "../random/factories.js";
import { noGrad } from "../autograd/grad-mode.js";
import {
  Distribution,
  broadcastAll,
  positive,
  real,
  type Constraint,
  type DistributionOptions,
  type Param,
} from "./distribution.js";

/**
 * The normal distribution with mean `loc` and standard deviation `scale`
 * (torch.distributions.Normal); samples draw from torchlet's RNG as PyTorch's do.
 *
 * @example
 * torch.manualSeed(0);
 * const d = new torch.distributions.Normal(torch.zeros(2), torch.ones(2));
 * d.sample([3]); // [3, 2], PyTorch's numbers for seed 0
 */
export class Normal extends Distribution {
  readonly loc: Tensor;
  readonly scale: Tensor;

  constructor(loc: Param, scale: Param, options?: DistributionOptions) {
    const [l, s] = broadcastAll(loc, scale) as [Tensor, Tensor];
    const scalar = !(loc instanceof Tensor) && !(scale instanceof Tensor);
    super(scalar ? [] : l.shape, [], options);
    this.loc = l;
    this.scale = s;
    this.checkParams([
      ["loc", l, real],
      ["scale", s, positive],
    ]);
  }

  protected params(): [string, Tensor][] {
    return [
      ["loc", this.loc],
      ["scale", this.scale],
    ];
  }

  get support(): Constraint {
    return real;
  }

  get mean(): Tensor {
    return this.loc;
  }

  override get stddev(): Tensor {
    return this.scale;
  }

  get variance(): Tensor {
    return this.scale.pow(2);
  }

  /** torch.normal(loc.expand(shape), scale.expand(shape)), as PyTorch's Normal.sample. */
  override sample(sampleShape: Shape = []): Tensor {
    const shape = this.extendedShape(sampleShape);
    return noGrad(() => normal(this.loc.expand(shape), this.scale.expand(shape)));
  }

  /** loc + ε·scale with ε from empty(shape).normal_(), as PyTorch's rsample. */
  override rsample(sampleShape: Shape = []): Tensor {
    const shape = this.extendedShape(sampleShape);
    const eps = empty(shape, { dtype: this.loc.dtype }).normal_();
    return this.loc.add(eps.mul(this.scale));
  }

  logProb(value: Tensor): Tensor {
    this.validateSample(value);
    const variance = this.scale.pow(2);
    return value
      .sub(this.loc)
      .pow(2)
      .neg()
      .div(variance.mul(2))
      .sub(this.scale.log())
      .sub(Math.log(Math.sqrt(2 * Math.PI)));
  }

  entropy(): Tensor {
    return this.scale.log().add(0.5 + 0.5 * Math.log(2 * Math.PI));
  }
}
