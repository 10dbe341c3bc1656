/** ToTensor: an image (HWC bytes) as a float32 CHW tensor in [0, 1], as torchvision's. */
import { ArgumentTypeError, DTypeError, ShapeError, ValueError } from "../../errors.js";
import { Tensor } from "../../tensor/tensor.js";
import { formatShape } from "../../tensor/shape.js";
import "../../ops/index.js";
import type { Transform } from "./compose.js";
import { isImageLike, type ImageInput, type ImageLike } from "./image.js";

function imageLikeToTensor(image: ImageLike): Tensor {
  const { data, width, height } = image;
  const pixels = width * height;
  const channels = image.channels ?? (pixels > 0 ? data.length / pixels : 1);
  if (!Number.isInteger(channels) || channels < 1 || data.length !== pixels * channels) {
    throw new ShapeError(
      `ToTensor: an image of ${width}x${height} with ${image.channels ?? "?"} channels cannot hold ${data.length} bytes`,
    );
  }
  const out = new Float32Array(data.length);
  // HWC bytes to CHW floats; x / 255 rounded once to float32, as PyTorch's float32 division.
  for (let c = 0; c < channels; c++) {
    for (let p = 0; p < pixels; p++) out[c * pixels + p] = data[p * channels + c]! / 255;
  }
  return Tensor.fromData(out, [channels, height, width]);
}

function tensorToTensor(pic: Tensor): Tensor {
  if (pic.ndim !== 2 && pic.ndim !== 3) {
    throw new ShapeError(`pic should be 2/3 dimensional. Got ${pic.ndim} dimensions.`);
  }
  const hwc = pic.ndim === 2 ? pic.unsqueeze(2) : pic;
  const chw = hwc.permute(2, 0, 1).contiguous();
  if (pic.dtype === "float32" || pic.dtype === "float64") {
    // torchvision leaves non-byte arrays unscaled: only the layout changes.
    return chw;
  }
  if (pic.dtype === "bool") throw new DTypeError("ToTensor: a bool tensor is not an image");
  // int32 stands for uint8 here: PyTorch's `img.to(float32).div(255)`.
  const values = chw.toArray();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < 0 || v > 255) {
      throw new ValueError(
        `ToTensor: an integer image must hold byte values in 0..255, got ${v} (shape ${formatShape(pic.shape)})`,
      );
    }
  }
  return chw.to("float32").div(255);
}

/**
 * Converts an image to a float32 tensor of shape [C, H, W] in [0, 1]
 * (torchvision.transforms.ToTensor). Accepts a byte-valued int32 tensor [H, W] or [H, W, C]
 * (torchlet's stand-in for a PIL image or uint8 ndarray), an ImageLike (ImageData, say), or a
 * float tensor [H, W(, C)], which, as a float ndarray in torchvision, is only transposed.
 *
 * @example
 * const x = transforms.ToTensor()(image); // [28, 28] int32 -> [1, 28, 28] float32
 */
export function ToTensor(): Transform<ImageInput, Tensor> {
  return toTensor;
}

/**
 * ToTensor's conversion as a function (torchvision.transforms.functional.to_tensor).
 *
 * @example
 * const t = torch.data.transforms.toTensor(image); // [C, H, W] float32 in [0, 1]
 */
export function toTensor(pic: ImageInput): Tensor {
  if (pic instanceof Tensor) return tensorToTensor(pic);
  if (isImageLike(pic)) return imageLikeToTensor(pic);
  throw new ArgumentTypeError(
    `pic should be a Tensor or an ImageLike ({ data, width, height }). Got ${typeof pic}`,
  );
}
