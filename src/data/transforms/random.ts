/**
 * Random augmentations on tensor images [..., H, W]. They draw exactly what torchvision 0.14
 * draws, from the same kind of generator: RandomHorizontalFlip one `rand(1)` per call,
 * RandomCrop two `randint` calls (none when the crop is the whole image). So with
 * `torch.manualSeed(s)` in both, the same images are flipped and cropped at the same places.
 */
import { ArgumentTypeError, NotImplementedError, ShapeError, ValueError } from "../../errors.js";
import { defaultGenerator, type Generator } from "../../random/generator.js";
import { rand, randint } from "../../random/factories.js";
import { Tensor } from "../../tensor/tensor.js";
import { pad } from "../../ops/pad.js";
import "../../ops/index.js";
import type { Transform } from "./compose.js";

function requireImage(x: unknown, op: string): Tensor {
  if (!(x instanceof Tensor))
    throw new ArgumentTypeError(`${op}: img should be a Tensor. Got ${typeof x}`);
  if (x.ndim < 2) {
    throw new ShapeError(
      `${op}: tensor is not a torch image (expected [..., H, W], got ${x.ndim} dims)`,
    );
  }
  return x;
}

/**
 * Flips the image left-right with probability p (torchvision.transforms.RandomHorizontalFlip).
 *
 * @example
 * transforms.RandomHorizontalFlip(); // p = 0.5, default generator
 * transforms.RandomHorizontalFlip(1); // always
 */
export function RandomHorizontalFlip(
  p = 0.5,
  options: { generator?: Generator } = {},
): Transform<Tensor, Tensor> {
  // torchvision compares a float32 draw with p, which PyTorch casts to float32 first.
  const threshold = Math.fround(p);
  return (x) => {
    const img = requireImage(x, "RandomHorizontalFlip");
    const r = rand([1], { generator: options.generator ?? defaultGenerator }).item();
    return r < threshold ? img.flip(-1) : img;
  };
}

/** Options of RandomCrop, torchvision's keyword arguments. */
export interface RandomCropOptions {
  /** Border added first: n on every side, [leftRight, topBottom] or [left, top, right, bottom]. */
  padding?: number | readonly number[];
  /** Pad with `fill` when the image is smaller than the crop (default false). */
  padIfNeeded?: boolean;
  /** The padding value (default 0). */
  fill?: number;
  /** Only "constant" is supported. */
  paddingMode?: "constant";
  /** The generator to draw from (default: the default generator). */
  generator?: Generator;
}

/** torchvision's [left, top, right, bottom] forms, as torch.pad's [left, right, top, bottom]. */
function torchPadding(padding: number | readonly number[]): number[] {
  const p = typeof padding === "number" ? [padding] : [...padding];
  if (p.length === 1) return [p[0]!, p[0]!, p[0]!, p[0]!];
  if (p.length === 2) return [p[0]!, p[0]!, p[1]!, p[1]!];
  if (p.length === 4) return [p[0]!, p[2]!, p[1]!, p[3]!];
  throw new ValueError(
    `Padding must be an int or a 1, 2, or 4 element tuple, not a ${p.length} element tuple`,
  );
}

function cropSize(size: number | readonly number[]): [number, number] {
  if (typeof size === "number") return [size, size];
  if (size.length === 1) return [size[0]!, size[0]!];
  if (size.length === 2) return [size[0]!, size[1]!];
  throw new ValueError("Please provide only two dimensions (h, w) for size.");
}

/**
 * Crops a random [h, w] window, after optional padding (torchvision.transforms.RandomCrop).
 *
 * @example
 * transforms.RandomCrop(28, { padding: 4 }); // the classic MNIST/CIFAR augmentation
 */
export function RandomCrop(
  size: number | readonly number[],
  options: RandomCropOptions = {},
): Transform<Tensor, Tensor> {
  const [th, tw] = cropSize(size);
  const { padding, padIfNeeded = false, fill = 0, paddingMode = "constant" } = options;
  if (paddingMode !== "constant") {
    throw new NotImplementedError(
      `RandomCrop: paddingMode "${String(paddingMode)}" is not supported`,
    );
  }
  const border = padding === undefined ? null : torchPadding(padding);
  return (x) => {
    let img = requireImage(x, "RandomCrop");
    if (border) img = pad(img, border, fill);
    if (padIfNeeded && img.shape[img.ndim - 1]! < tw) {
      const extra = tw - img.shape[img.ndim - 1]!;
      img = pad(img, [extra, extra], fill);
    }
    if (padIfNeeded && img.shape[img.ndim - 2]! < th) {
      const extra = th - img.shape[img.ndim - 2]!;
      img = pad(img, [0, 0, extra, extra], fill);
    }
    const h = img.shape[img.ndim - 2]!;
    const w = img.shape[img.ndim - 1]!;
    if (h < th || w < tw) {
      throw new ValueError(
        `Required crop size (${th}, ${tw}) is larger than input image size (${h}, ${w})`,
      );
    }
    if (h === th && w === tw) return img;
    const generator = options.generator ?? defaultGenerator;
    const i = randint(0, h - th + 1, [1], { generator }).item();
    const j = randint(0, w - tw + 1, [1], { generator }).item();
    return img.slice(-2, i, i + th).slice(-1, j, j + tw);
  };
}
