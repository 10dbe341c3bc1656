/**
 * The arguments of `to`, shared by Tensor.to and Module.to: PyTorch's overloads read into one
 * target (device, dtype, copy). Internal: not re-exported from the public entry.
 */
import { DeviceError, ValueError } from "../errors.js";
import { Device, device as toDevice, looksLikeDevice, type DeviceLike } from "../tensor/device.js";
import { isDTypeLike, toDType, type DType, type DTypeLike } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";

/** `to`'s keywords besides device and dtype. */
export interface ToOptions {
  /** Always return a new tensor, even when device and dtype already match. */
  copy?: boolean;
  /** Accepted for PyTorch's signature; CPU copies are synchronous anyway. */
  nonBlocking?: boolean;
}

/** What a `to(...)` call asks for; null: keep the current one. */
export interface ToTarget {
  device: Device | null;
  dtype: DType | null;
  copy: boolean;
}

/** What the first argument of `to` may be. */
export type ToArg =
  DTypeLike | DeviceLike | Tensor | (ToOptions & { device?: DeviceLike; dtype?: DTypeLike });

/**
 * @internal Reads PyTorch's `to` overloads (Tensor.to and Module.to): a dtype, a device (string
 * or Device), a tensor (its device and dtype), or keywords, optionally followed by a dtype and
 * options. A string is a dtype if it names one, else a device.
 */
export function parseToArgs(
  a: ToArg | undefined,
  b?: DTypeLike | ToOptions,
  c?: ToOptions,
): ToTarget {
  let device: Device | null = null;
  let dtype: DType | null = null;
  let options: ToOptions = {};
  if (a instanceof Tensor) {
    device = a.device;
    dtype = a.dtype;
  } else if (typeof a === "string") {
    if (isDTypeLike(a)) dtype = toDType(a);
    else if (looksLikeDevice(a)) device = toDevice(a);
    else
      throw new DeviceError(
        `to(): expected a dtype or a device, got ${JSON.stringify(a)} (dtypes: float32, float64, int32/int64, bool; devices available: cpu)`,
      );
  } else if (a instanceof Device) {
    device = toDevice(a);
  } else if (a !== undefined) {
    const kw = a as ToOptions & { device?: DeviceLike; dtype?: DTypeLike };
    if (kw.device !== undefined) device = toDevice(kw.device);
    if (kw.dtype !== undefined) dtype = toDType(kw.dtype);
    options = kw;
  }
  if (typeof b === "string") {
    if (dtype !== null && !(a instanceof Tensor) && device === null)
      throw new ValueError("to(): a dtype cannot be followed by another dtype");
    dtype = toDType(b);
    options = c ?? options;
  } else if (b !== undefined) options = b;
  return { device, dtype, copy: options.copy ?? false };
}
