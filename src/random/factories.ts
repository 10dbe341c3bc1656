/**
 * Random tensor factories (`rand`, `randn`, `randint`, `randperm`, `normal`, `bernoulli` and the
 * `*Like` forms). Each allocates a tensor and fills it with the in-place initialiser PyTorch's
 * factory calls, so `torch.manualSeed(s)` gives PyTorch's numbers.
 */
import { ShapeError, ValueError } from "../errors.js";
import { noGrad } from "../autograd/grad-mode.js";
import { finish, parseSizeArgs, type FactoryOptions } from "../tensor/create.js";
import { allocate, toDType, type DType } from "../tensor/dtype.js";
import { type Shape, broadcastShapes, numel, sizeList } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { defaultGenerator } from "./generator.js";
import {
  bernoulliInto,
  normalInto,
  randomInto,
  requireFloat,
  uniformInto,
  type GeneratorOptions,
} from "./inplace.js";
import { checkTensor } from "../validation/tensors.js";

/** Options of the random factories: dtype, requiresGrad and the generator to draw from. */
export interface RandomOptions extends FactoryOptions, GeneratorOptions {}

/** Sizes as a list or spread, then options: `rand([2, 3], opts)`, `rand(2, 3)`, `rand(2, 3, opts)`. */
export type RandomSizeArgs =
  [Shape | number, RandomOptions?] | number[] | [...number[], RandomOptions];

function blank(shape: Shape, dtype: DType): Tensor {
  return Tensor.fromData(allocate(dtype, numel(shape)), shape);
}

function floatFactory(
  op: string,
  args: readonly unknown[],
  fill: (t: Tensor, options: RandomOptions) => void,
): Tensor {
  const { shape, options } = parseSizeArgs(op, args);
  const opts = options as RandomOptions;
  const t = blank(shape, toDType(opts.dtype ?? "float32"));
  fill(t, opts);
  return finish(t, opts);
}

/**
 * Uniform samples from [0, 1) (torch.rand).
 *
 * @example
 * torch.manualSeed(0);
 * torch.rand(3); // tensor([0.4963, 0.7682, 0.0885]), as PyTorch
 */
export function rand(...args: RandomSizeArgs): Tensor {
  return floatFactory("rand", args, (t, o) =>
    uniformInto(t, 0, 1, o.generator ?? defaultGenerator),
  );
}

/**
 * Standard normal samples (torch.randn).
 *
 * @example
 * torch.manualSeed(0);
 * torch.randn([2, 3], { dtype: "float64" });
 */
export function randn(...args: RandomSizeArgs): Tensor {
  return floatFactory("randn", args, (t, o) =>
    normalInto(t, 0, 1, o.generator ?? defaultGenerator),
  );
}

/** Uniform samples with `like`'s shape and dtype (torch.rand_like). @example torch.randLike(x); */
export function randLike(like: Tensor, options: RandomOptions = {}): Tensor {
  checkTensor("randLike", "like", like);
  return rand([...like.shape], { dtype: like.dtype, ...options });
}

/**
 * Standard normal samples with `like`'s shape and dtype (torch.randn_like).
 *
 * @example
 * torch.randnLike(x);
 */
export function randnLike(like: Tensor, options: RandomOptions = {}): Tensor {
  checkTensor("randnLike", "like", like);
  return randn([...like.shape], { dtype: like.dtype, ...options });
}

function toShape(op: string, size: Shape | number): number[] {
  return sizeList(size, op);
}

/**
 * Integers drawn uniformly from [low, high) (torch.randint), int64 (stored as int32) unless a
 * dtype is given. `randint(high, size)` draws from [0, high).
 *
 * @example
 * torch.randint(0, 10, [2, 3]);
 * torch.randint(5, [4]);
 */
export function randint(high: number, size: Shape | number, options?: RandomOptions): Tensor;
export function randint(
  low: number,
  high: number,
  size: Shape | number,
  options?: RandomOptions,
): Tensor;
export function randint(
  a: number,
  b: number | Shape,
  c?: Shape | number | RandomOptions,
  d?: RandomOptions,
): Tensor {
  const [low, high, size, options] =
    typeof b === "number" && (typeof c === "number" || Array.isArray(c))
      ? [a, b, c as Shape | number, d ?? {}]
      : [0, a, b as Shape | number, (c as RandomOptions | undefined) ?? {}];
  const t = blank(toShape("randint", size), toDType(options.dtype ?? "int64"));
  randomInto(t, low, high, options.generator ?? defaultGenerator);
  return finish(t, options);
}

/**
 * Integers from [low, high) with `like`'s shape and dtype (torch.randint_like).
 *
 * @example
 * torch.randintLike(x, 0, 10);
 */
export function randintLike(
  like: Tensor,
  low: number,
  high?: number,
  options: RandomOptions = {},
): Tensor {
  checkTensor("randintLike", "like", like);
  const [lo, hi] = high === undefined ? [0, low] : [low, high];
  return randint(lo, hi, [...like.shape], { dtype: like.dtype, ...options });
}

/**
 * A random permutation of 0..n-1 (torch.randperm), by PyTorch's CPU Fisher-Yates: for each i,
 * swap element i with element i + random() % (n - i).
 *
 * @example
 * torch.manualSeed(0);
 * torch.randperm(5);
 */
export function randperm(n: number, options: RandomOptions = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) {
    throw new ShapeError(`Trying to create tensor with negative dimension ${n}: [${n}]`);
  }
  const g = options.generator ?? defaultGenerator;
  const t = blank([n], toDType(options.dtype ?? "int64"));
  const data = t.storage.data;
  for (let i = 0; i < n; i++) data[i] = i;
  for (let i = 0; i < n - 1; i++) {
    const z = g.random() % (n - i);
    const saved = data[i]!;
    data[i] = data[z + i]!;
    data[z + i] = saved;
  }
  return finish(t, options);
}

/**
 * Normal samples with the given mean and std (torch.normal). With numbers, `size` gives the
 * shape; with tensors, the broadcast shape of mean and std, drawn as standard normals and then
 * scaled and shifted, as PyTorch does.
 *
 * @example
 * torch.normal(0, 0.02, [3, 3]);
 * torch.normal(torch.zeros(4), torch.ones(4));
 */
export function normal(
  mean: number | Tensor,
  std: number | Tensor,
  size?: Shape | number,
  options: RandomOptions = {},
): Tensor {
  const g = options.generator ?? defaultGenerator;
  if (typeof mean === "number" && typeof std === "number") {
    if (size === undefined) {
      throw new ValueError("normal: a size is needed when mean and std are both numbers");
    }
    const t = blank(toShape("normal", size), toDType(options.dtype ?? "float32"));
    return finish(normalInto(t, mean, std, g), options);
  }
  const tensors = [mean, std].filter((x): x is Tensor => x instanceof Tensor);
  const dtype = tensors[0]!.dtype;
  requireFloat("normal_kernel_cpu", dtype);
  if (typeof std === "number" && !(std >= 0)) {
    throw new ValueError(`normal expects std >= 0.0, but found std ${std}`);
  }
  if (std instanceof Tensor && std.toArray().some((v) => !(v >= 0))) {
    throw new ValueError("normal expects all elements of std >= 0.0");
  }
  const shape = broadcastShapes(...tensors.map((x) => x.shape));
  return noGrad(() => {
    // PyTorch: normal_(0, std) then add mean for a number std; normal_(0, 1), mul std, add mean.
    if (typeof std === "number") return normalInto(blank(shape, dtype), 0, std, g).add(mean);
    return normalInto(blank(shape, dtype), 0, 1, g).mul(std).add(mean);
  });
}

/**
 * 0/1 samples, 1 with probability `input` elementwise (torch.bernoulli), or with probability
 * `p` everywhere when given.
 *
 * @example
 * torch.bernoulli(torch.full([4], 0.3, { dtype: "float32" }));
 */
export function bernoulli(input: Tensor, p?: number, options: GeneratorOptions = {}): Tensor {
  checkTensor("bernoulli", "input", input);
  requireFloat("bernoulli_tensor_cpu_p_", input.dtype);
  const g = options.generator ?? defaultGenerator;
  const out = blank(input.shape, input.dtype);
  return bernoulliInto(out, p ?? input, g);
}
