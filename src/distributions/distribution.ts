/**
 * The base of torch.distributions: batch and event shapes, argument validation with PyTorch's
 * messages, and the shared pieces (broadcasting parameters, reprs, constraints).
 */
import { NotImplementedError, ValueError } from "../errors.js";
import { noGrad } from "../autograd/grad-mode.js";
import { tensor } from "../tensor/create.js";
import { broadcastShapes, type Shape } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";

/** A parameter: a tensor, or a number (made a float32 tensor, or of the other tensor's dtype). */
export type Param = Tensor | number;

/** Options every distribution takes. */
export interface DistributionOptions {
  /** Check parameters and logProb's values (default: Distribution.defaultValidateArgs, true). */
  validateArgs?: boolean;
}

/** What a parameter or a value must satisfy, with PyTorch's repr. */
export interface Constraint {
  readonly repr: string;
  check(value: Tensor): Tensor;
}

export const real: Constraint = { repr: "Real()", check: (v) => v.eq(v) };
export const positive: Constraint = { repr: "GreaterThan(lower_bound=0.0)", check: (v) => v.gt(0) };
export const unitInterval: Constraint = {
  repr: "Interval(lower_bound=0.0, upper_bound=1.0)",
  check: (v) => v.ge(0).logicalAnd(v.le(1)),
};
export const boolean: Constraint = {
  repr: "Boolean()",
  check: (v) => v.eq(0).logicalOr(v.eq(1)),
};

/** (2, 3) as Python prints a shape tuple. */
export function pyTuple(shape: Shape): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** torch.Size([2, 3]). */
export function torchSize(shape: Shape): string {
  return `torch.Size([${shape.join(", ")}])`;
}

/** PyTorch's broadcast_all: numbers become tensors of the first tensor's dtype (else float32). */
export function broadcastAll(...values: Param[]): Tensor[] {
  const like = values.find((v): v is Tensor => v instanceof Tensor);
  const tensors = values.map((v) =>
    v instanceof Tensor ? v : tensor(v, { dtype: like?.dtype ?? "float32" }),
  );
  const shape = broadcastShapes(...tensors.map((t) => t.shape));
  return tensors.map((t) => t.expand([...shape]));
}

/**
 * A probability distribution (torch.distributions.Distribution): `batchShape` independent
 * distributions over events of `eventShape`.
 *
 * @example
 * const d = new torch.distributions.Normal(torch.zeros(3), 1);
 * d.batchShape; // [3]
 */
export abstract class Distribution {
  /** PyTorch's default (`__debug__`): validation on. */
  static defaultValidateArgs = true;

  /** Turns argument validation on or off for distributions made afterwards. */
  static setDefaultValidateArgs(value: boolean): void {
    Distribution.defaultValidateArgs = value;
  }

  readonly batchShape: readonly number[];
  readonly eventShape: readonly number[];
  protected readonly validate: boolean;

  protected constructor(
    batchShape: Shape,
    eventShape: Shape,
    options: DistributionOptions | undefined,
  ) {
    this.batchShape = [...batchShape];
    this.eventShape = [...eventShape];
    this.validate = options?.validateArgs ?? Distribution.defaultValidateArgs;
  }

  /** The parameters present now, in PyTorch's arg_constraints order, for the repr. */
  protected abstract params(): [name: string, value: Tensor][];

  /** The support of the distribution (checked on logProb's values). */
  abstract get support(): Constraint;

  /** Checks each parameter against its constraint, as Distribution.__init__ does. */
  protected checkParams(constraints: [name: string, value: Tensor, c: Constraint][]): void {
    if (!this.validate) return;
    for (const [name, value, c] of constraints) {
      if (!c.check(value).all().item()) {
        throw new ValueError(
          `Expected parameter ${name} (Tensor of shape ${pyTuple(value.shape)}) of distribution ${this.toString()} to satisfy the constraint ${c.repr}, but found invalid values:\n${String(value)}`,
        );
      }
    }
  }

  /** sampleShape + batchShape + eventShape. */
  protected extendedShape(sampleShape: Shape = []): number[] {
    return [...sampleShape, ...this.batchShape, ...this.eventShape];
  }

  /** PyTorch's _validate_sample: the value's shape and support. */
  protected validateSample(value: unknown): Tensor {
    if (!(value instanceof Tensor)) {
      throw new ValueError("The value argument to log_prob must be a Tensor");
    }
    if (!this.validate) return value;
    const start = value.ndim - this.eventShape.length;
    const tail = value.shape.slice(start);
    if (start < 0 || tail.some((d, i) => d !== this.eventShape[i])) {
      throw new ValueError(
        `The right-most size of value must match event_shape: ${torchSize(value.shape)} vs ${torchSize(this.eventShape)}.`,
      );
    }
    const expected = [...this.batchShape, ...this.eventShape];
    for (let k = 1; k <= Math.min(value.ndim, expected.length); k++) {
      const i = value.shape[value.ndim - k]!;
      const j = expected[expected.length - k]!;
      if (i !== 1 && j !== 1 && i !== j) {
        throw new ValueError(
          `Value is not broadcastable with batch_shape+event_shape: ${torchSize(value.shape)} vs ${torchSize(expected)}.`,
        );
      }
    }
    const support = this.support;
    if (!support.check(value).all().item()) {
      throw new ValueError(
        `Expected value argument (Tensor of shape ${pyTuple(value.shape)}) to be within the support (${support.repr}) of the distribution ${this.toString()}, but found invalid values:\n${String(value)}`,
      );
    }
    return value;
  }

  /** Samples of shape sampleShape + batchShape + eventShape, without gradient. */
  sample(sampleShape: Shape = []): Tensor {
    return noGrad(() => this.rsample(sampleShape));
  }

  /** Reparameterized samples, differentiable in the parameters (where the distribution has them). */
  rsample(sampleShape: Shape = []): Tensor {
    void sampleShape;
    throw new NotImplementedError(`${this.constructor.name} does not implement rsample`);
  }

  /** The log of the probability density / mass at `value`. */
  abstract logProb(value: Tensor): Tensor;
  /** The entropy of each distribution of the batch. */
  abstract entropy(): Tensor;
  abstract get mean(): Tensor;
  abstract get variance(): Tensor;

  /** The standard deviation, sqrt(variance). */
  get stddev(): Tensor {
    return this.variance.sqrt();
  }

  /**
   * PyTorch's repr: a parameter's value when it has one element (a 0-d one formatted as a
   * Python float, as Tensor.__format__ does), else its size.
   */
  toString(): string {
    const show = (v: Tensor): string => {
      if (v.numel() !== 1) return torchSize(v.shape);
      if (v.ndim > 0) return String(v);
      const x = v.item();
      return Number.isInteger(x) && Math.abs(x) < 1e16 ? `${x}.0` : String(x);
    };
    const args = this.params()
      .map(([name, v]) => `${name}: ${show(v)}`)
      .join(", ");
    return `${this.constructor.name}(${args})`;
  }
}
