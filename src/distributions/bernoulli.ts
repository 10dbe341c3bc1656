import { noGrad } from "../autograd/grad-mode.js";
import { ValueError } from "../errors.js";
import { binaryCrossEntropyWithLogits } from "../nn/functional/loss.js";
import { bernoulli } from "../random/factories.js";
import type { Shape } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import {
  Distribution,
  boolean,
  broadcastAll,
  real,
  unitInterval,
  type Constraint,
  type DistributionOptions,
  type Param,
} from "./distribution.js";
import { logitsToProbs, probsToLogits } from "./probs.js";

/** Bernoulli's parameters: exactly one of probs and logits. */
export interface BernoulliParams extends DistributionOptions {
  probs?: Param;
  logits?: Param;
}

/**
 * The Bernoulli distribution over {0, 1} by `probs` or by `logits` (log-odds)
 * (torch.distributions.Bernoulli); samples are torch.bernoulli's.
 *
 * @example
 * const d = new torch.distributions.Bernoulli({ probs: torch.tensor([0.3, 0.9]) });
 * d.sample([5]); // [5, 2] of 0 / 1
 */
export class Bernoulli extends Distribution {
  #probs: Tensor | null = null;
  #logits: Tensor | null = null;

  constructor(params: BernoulliParams) {
    const { probs, logits } = params;
    if ((probs === undefined) === (logits === undefined)) {
      throw new ValueError("Either `probs` or `logits` must be specified, but not both.");
    }
    const given = (probs ?? logits)!;
    const [param] = broadcastAll(given) as [Tensor];
    super(given instanceof Tensor ? param.shape : [], [], params);
    if (probs !== undefined) this.#probs = param;
    else this.#logits = param;
    this.checkParams(
      probs !== undefined ? [["probs", param, unitInterval]] : [["logits", param, real]],
    );
  }

  protected params(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    if (this.#probs) out.push(["probs", this.#probs]);
    if (this.#logits) out.push(["logits", this.#logits]);
    return out;
  }

  /** The probability of 1 (computed from logits on first use, as PyTorch's lazy_property). */
  get probs(): Tensor {
    this.#probs ??= logitsToProbs(this.#logits!, true);
    return this.#probs;
  }

  /** The log-odds of 1. */
  get logits(): Tensor {
    this.#logits ??= probsToLogits(this.#probs!, true);
    return this.#logits;
  }

  get support(): Constraint {
    return boolean;
  }

  get mean(): Tensor {
    return this.probs;
  }

  get variance(): Tensor {
    return this.probs.mul(this.probs.neg().add(1));
  }

  override sample(sampleShape: Shape = []): Tensor {
    const shape = this.extendedShape(sampleShape);
    return noGrad(() => bernoulli(this.probs.expand(shape).contiguous()));
  }

  logProb(value: Tensor): Tensor {
    this.validateSample(value);
    const [logits, v] = broadcastAll(this.logits, value) as [Tensor, Tensor];
    return binaryCrossEntropyWithLogits(logits, v.to(logits.dtype), { reduction: "none" }).neg();
  }

  entropy(): Tensor {
    return binaryCrossEntropyWithLogits(this.logits, this.probs, { reduction: "none" });
  }
}
