/**
 * What stands for a PIL image. torchvision datasets hand out PIL images; torchlet hands out
 * either a tensor of byte values (int32 in 0..255: [H, W] for grayscale, [H, W, C] for colour,
 * the layout of `numpy.asarray(pil_image)`), or an ImageLike object (the browser's ImageData
 * fits: RGBA bytes, width and height).
 */
import type { Tensor } from "../../tensor/tensor.js";

/** Interleaved bytes of an image, row by row (HWC), as the browser's ImageData holds them. */
export interface ImageLike {
  readonly data: Uint8Array | Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
  /** Channels per pixel; `data.length / (width * height)` when left out (4 for ImageData). */
  readonly channels?: number;
}

/** What ToTensor accepts: a byte-valued HW/HWC tensor, a float HWC tensor, or an ImageLike. */
export type ImageInput = Tensor | ImageLike;

/**
 * True when `x` looks like an ImageLike (data, width and height).
 *
 * @example
 * torch.data.transforms.isImageLike({ data, width: 28, height: 28 }); // true
 */
export function isImageLike(x: unknown): x is ImageLike {
  return (
    typeof x === "object" &&
    x !== null &&
    ArrayBuffer.isView((x as ImageLike).data) &&
    typeof (x as ImageLike).width === "number" &&
    typeof (x as ImageLike).height === "number"
  );
}
