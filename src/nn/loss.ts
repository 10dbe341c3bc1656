import { ArgumentTypeError } from "../errors.js";
import { isKeywords, pyTypeName } from "../validation/arguments.js";
/** Loss modules: each holds its options and calls the nn.functional loss of the same name. */
import type { Tensor } from "../tensor/tensor.js";
import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  huberLoss,
  klDiv,
  l1Loss,
  mseLoss,
  smoothL1Loss,
  type KLDivReduction,
} from "./functional/loss.js";
import {
  crossEntropy,
  nllLoss,
  type CrossEntropyOptions,
  type NLLLossOptions,
} from "./functional/classification.js";
import { checkReduction, type ReductionOptions } from "./functional/reduction.js";
import { Module } from "./module.js";

/** Base of the loss modules: validates `reduction` once, at construction. */
abstract class Loss<O extends object> extends Module {
  constructor(readonly options: O & { reduction?: string }) {
    super();
    if (!isKeywords(options)) {
      throw new ArgumentTypeError(
        `${new.target.name}(): the options must be an object, not ${pyTypeName(options)}`,
      );
    }
    if (options.reduction !== undefined && options.reduction !== "batchmean") {
      checkReduction(options.reduction);
    }
  }

  abstract override forward(input: Tensor, target: Tensor): Tensor;
}

/** Mean squared error. @example new nn.MSELoss().forward(pred, y) */
export class MSELoss extends Loss<ReductionOptions> {
  constructor(options: ReductionOptions = {}) {
    super(options);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, this.options);
  }
}

/** Mean absolute error. @example new nn.L1Loss({ reduction: "sum" }) */
export class L1Loss extends Loss<ReductionOptions> {
  constructor(options: ReductionOptions = {}) {
    super(options);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, this.options);
  }
}

/** Smooth L1 with threshold `beta`. @example new nn.SmoothL1Loss({ beta: 0.5 }) */
export class SmoothL1Loss extends Loss<ReductionOptions & { beta?: number }> {
  constructor(options: ReductionOptions & { beta?: number } = {}) {
    super(options);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, this.options);
  }
}

/** Huber loss with threshold `delta`. @example new nn.HuberLoss({ delta: 2 }) */
export class HuberLoss extends Loss<ReductionOptions & { delta?: number }> {
  constructor(options: ReductionOptions & { delta?: number } = {}) {
    super(options);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, this.options);
  }
}

type BCEOptions = ReductionOptions & { weight?: Tensor | null };

/** Binary cross entropy of probabilities. @example new nn.BCELoss() */
export class BCELoss extends Loss<BCEOptions> {
  constructor(options: BCEOptions = {}) {
    super(options);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, this.options);
  }
}

type BCEWithLogitsOptions = BCEOptions & { posWeight?: Tensor | null };

/** Binary cross entropy on logits, stable. @example new nn.BCEWithLogitsLoss({ posWeight }) */
export class BCEWithLogitsLoss extends Loss<BCEWithLogitsOptions> {
  constructor(options: BCEWithLogitsOptions = {}) {
    super(options);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, this.options);
  }
}

/** Cross entropy on raw scores. @example new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }) */
export class CrossEntropyLoss extends Loss<CrossEntropyOptions> {
  constructor(options: CrossEntropyOptions = {}) {
    super(options);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, this.options);
  }
}

/** Negative log likelihood of log-probabilities. @example new nn.NLLLoss({ ignoreIndex: 0 }) */
export class NLLLoss extends Loss<NLLLossOptions> {
  constructor(options: NLLLossOptions = {}) {
    super(options);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, this.options);
  }
}

type KLDivOptions = { reduction?: KLDivReduction; logTarget?: boolean };

/** KL divergence with log-probability input. @example new nn.KLDivLoss({ reduction: "batchmean" }) */
export class KLDivLoss extends Loss<KLDivOptions> {
  constructor(options: KLDivOptions = {}) {
    super(options);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, this.options);
  }
}
