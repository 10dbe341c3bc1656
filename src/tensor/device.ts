/**
 * Devices, PyTorch's `torch.device`. torchlet computes on the CPU; the device API is here so that
 * every PyTorch script's device lines (`torch.device("cpu")`, `{ device }`, `t.to(device)`,
 * `model.to(device)`) run unchanged, and so that a second device (WebGPU) can join by
 * registering its type: storage carries its device, and `to` moves between them.
 */
import { DeviceError } from "../errors.js";
import { inspectCustom } from "./format.js";

/** Device types torchlet can run on. A WebGPU backend adds "webgpu" here. */
export type DeviceType = "cpu";

/** What a user may pass where a device is expected: a Device or a string such as "cpu". */
export type DeviceLike = Device | string;

/**
 * Device types PyTorch knows that torchlet has no backend for, with why: refused with a typed
 * error instead of being mistaken for something else.
 */
const UNAVAILABLE: Record<string, string> = {
  cuda: "Torch not compiled with CUDA enabled",
  mps: "the MPS backend is not available (torchlet has no Metal backend)",
  xpu: "the XPU backend is not available",
  hip: "the HIP backend is not available",
  meta: "meta tensors are not supported",
  webgpu: "no WebGPU backend is registered",
};

/** Device types that exist in this process, in PyTorch's order: the CPU first. */
const available = new Set<string>(["cpu"]);

/**
 * A device: its `type` ("cpu") and optional `index`, as torch.device. Compare with `equals`
 * (two Device objects for the same device are different objects).
 *
 * @example
 * const device = torch.device("cpu");
 * String(device); // "cpu"
 */
export class Device {
  /** @internal Build devices with `torch.device(...)`. */
  constructor(
    readonly type: DeviceType,
    readonly index: number | null = null,
  ) {}

  /** Whether `other` names the same device: same type and index (PyTorch's `==`). */
  equals(other: DeviceLike): boolean {
    const d = typeof other === "string" ? device(other) : other;
    return d.type === this.type && d.index === this.index;
  }

  /** PyTorch's `str(device)`: `cpu`, `cpu:0`. */
  toString(): string {
    return this.index === null ? this.type : `${this.type}:${this.index}`;
  }

  /** PyTorch's `repr(device)`: `device(type='cpu')`. */
  repr(): string {
    return this.index === null
      ? `device(type='${this.type}')`
      : `device(type='${this.type}', index=${this.index})`;
  }

  [inspectCustom](): string {
    return this.repr();
  }
}

/** The CPU device every CPU storage shares. */
export const CPU = new Device("cpu");

function availableList(): string {
  return [...available].join(", ");
}

/**
 * A device from a string (`"cpu"`, `"cpu:0"`) or a type and index, as torch.device. A device
 * type torchlet has no backend for ("cuda", "mps") is a DeviceError naming the devices that do
 * exist.
 *
 * @example
 * torch.device("cpu"); torch.device("cpu", 0);
 * const device = torch.cuda.isAvailable() ? "cuda" : "cpu";
 */
export function device(spec: DeviceLike, index?: number): Device {
  if (spec instanceof Device) return spec;
  if (typeof spec !== "string") {
    throw new DeviceError(`device(): expected a string or a device, got ${typeof spec}`);
  }
  const m = /^([a-z_]+)(?::(\d+))?$/.exec(spec.trim());
  if (m === null || (m[2] !== undefined && index !== undefined)) {
    throw new DeviceError(
      `Invalid device string: '${spec}' (devices available: ${availableList()})`,
    );
  }
  const type = m[1]!;
  const idx = m[2] !== undefined ? Number(m[2]) : (index ?? null);
  if (!available.has(type)) {
    const why = UNAVAILABLE[type];
    throw new DeviceError(
      why !== undefined
        ? `device '${spec}' is not available: ${why}; devices available: ${availableList()}`
        : `Expected a device type such as ${availableList()} at start of device string: ${spec}`,
    );
  }
  if (idx !== null && (!Number.isInteger(idx) || idx !== 0)) {
    throw new DeviceError(
      `device '${type}:${idx}' does not exist: torchlet has one ${type} device, index 0`,
    );
  }
  return idx === null && type === "cpu" ? CPU : new Device(type as DeviceType, idx);
}

/** @internal Checks a device a factory or `to` was given: one that exists, else DeviceError. */
export function checkDevice(spec: DeviceLike): Device {
  return device(spec);
}

/** Whether `s` names a device type PyTorch knows (so `to("cuda")` is a device, not a dtype). */
export function looksLikeDevice(s: string): boolean {
  const type = /^([a-z_]+)(?::\d+)?$/.exec(s)?.[1];
  return type !== undefined && (available.has(type) || type in UNAVAILABLE);
}
