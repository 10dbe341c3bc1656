import { noGrad } from "../autograd/grad-mode.js";
import { ValueError } from "../errors.js";
import { gather } from "../ops/indexing.js";
import { multinomial } from "../random/multinomial.js";
import { full } from "../tensor/create.js";
import { broadcastShapes, type Shape } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { Distribution, type Constraint, type DistributionOptions } from "./distribution.js";
import { finfoMin, logitsToProbs, probsToLogits } from "./probs.js";

/** Categorical's parameters: exactly one of probs and logits, events along the last dim. */
export interface CategoricalParams extends DistributionOptions {
  probs?: Tensor;
  logits?: Tensor;
}

const simplex: Constraint = {
  repr: "Simplex()",
  check: (v) => v.ge(0).all(-1).logicalAnd(v.sum(-1).sub(1).abs().lt(1e-6)),
};
const realVector: Constraint = {
  repr: "IndependentConstraint(Real(), 1)",
  check: (v) => v.eq(v).all(-1),
};

/**
 * The categorical distribution over 0 … K-1 by `probs` (normalised to sum 1) or `logits`
 * (normalised log-probabilities) along the last dim (torch.distributions.Categorical); samples
 * are torch.multinomial's with replacement. Samples are int32 (PyTorch: int64).
 *
 * @example
 * const d = new torch.distributions.Categorical({ logits: torch.tensor([0.1, 2, -1]) });
 * d.sample([4]); // [4] class indices
 */
export class Categorical extends Distribution {
  #probs: Tensor | null = null;
  #logits: Tensor | null = null;
  readonly numEvents: number;

  constructor(params: CategoricalParams) {
    const { probs, logits } = params;
    if ((probs === undefined) === (logits === undefined)) {
      throw new ValueError("Either `probs` or `logits` must be specified, but not both.");
    }
    const which = probs !== undefined ? "probs" : "logits";
    const given = (probs ?? logits)!;
    if (given.ndim < 1) {
      throw new ValueError(`\`${which}\` parameter must be at least one-dimensional.`);
    }
    const param =
      probs !== undefined
        ? probs.div(probs.sum(-1, true))
        : logits!.sub(logits!.logsumexp(-1, true));
    super(param.ndim > 1 ? param.shape.slice(0, -1) : [], [], params);
    this.numEvents = param.shape[param.ndim - 1]!;
    if (probs !== undefined) this.#probs = param;
    else this.#logits = param;
    this.checkParams([[which, param, probs !== undefined ? simplex : realVector]]);
  }

  protected params(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    if (this.#probs) out.push(["probs", this.#probs]);
    if (this.#logits) out.push(["logits", this.#logits]);
    return out;
  }

  /** The event probabilities [..., K]. */
  get probs(): Tensor {
    this.#probs ??= logitsToProbs(this.#logits!, false);
    return this.#probs;
  }

  /** The normalised log-probabilities [..., K]. */
  get logits(): Tensor {
    this.#logits ??= probsToLogits(this.#probs!, false);
    return this.#logits;
  }

  get support(): Constraint {
    const upper = this.numEvents - 1;
    return {
      repr: `IntegerInterval(lower_bound=0, upper_bound=${upper})`,
      check: (v) => v.remainder(1).eq(0).logicalAnd(v.ge(0)).logicalAnd(v.le(upper)),
    };
  }

  /** NaN, as PyTorch's (a categorical has no mean). */
  get mean(): Tensor {
    return full(this.extendedShape(), NaN, { dtype: this.probs.dtype });
  }

  /** NaN, as PyTorch's. */
  get variance(): Tensor {
    return full(this.extendedShape(), NaN, { dtype: this.probs.dtype });
  }

  /** multinomial(probs as [-1, K], n, true)ᵀ reshaped, as PyTorch's Categorical.sample. */
  override sample(sampleShape: Shape = []): Tensor {
    const n = sampleShape.reduce((p, d) => p * d, 1);
    return noGrad(() => {
      const probs2d = this.probs.reshape([-1, this.numEvents]);
      const samples2d = multinomial(probs2d, n, true).mT;
      return samples2d.reshape(this.extendedShape(sampleShape));
    });
  }

  logProb(value: Tensor): Tensor {
    this.validateSample(value);
    const logits = this.logits;
    const v = value.to("int32").unsqueeze(-1);
    const shape = broadcastShapes(v.shape, logits.shape);
    const index = v.expand(shape).narrow(-1, 0, 1);
    return gather(logits.expand(shape), -1, index).squeeze(-1);
  }

  entropy(): Tensor {
    const logits = this.logits.clamp(finfoMin(this.logits.dtype));
    return logits.mul(this.probs).sum(-1).neg();
  }
}
