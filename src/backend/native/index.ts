import type { BinaryOp, ReduceOp, SoftmaxOp, StridedView, UnaryOp, Windows2d } from "../backend.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { isContiguous, numel } from "../../tensor/shape.js";
import { ReferenceBackend } from "../reference/index.js";
import { getBackend, listBackends, registerBackend, setBackend } from "../registry.js";
import { ValueError } from "../../errors.js";
import type { NativeAddon, NativeBackendStatus } from "./addon.js";
import { loadNativeAddon } from "./load.js";
import { gemmParams } from "./gemm-params.js";

export type { NativeBackendStatus, NativeIsa } from "./addon.js";

/**
 * Sizes below which a kernel stays in JavaScript: a Node-API call costs ~0.1-0.3 µs, so the
 * crossing pays once the JavaScript loop would take longer than that. Measured with
 * bench/native-gemm.ts --thresholds on the development machine (see bench/NATIVE.md).
 */
export const NATIVE_THRESHOLDS = {
  /** m·n·k·batches multiply-adds. */
  matmul: 1024,
  /** Elements, for add/sub/mul/div. */
  binary: 256,
  /** Elements, for exp/sigmoid/tanh/relu/sqrt/erf/neg/rsqrt/reciprocal. */
  unary: 128,
  /** Elements of the input of a sum. */
  sum: 256,
  /** Window elements (P·kH·kW·oH·oW) of im2col, col2im and max pooling. */
  windows: 256,
  /** Elements of the input of softmax and log-softmax (native is ahead from ~8: an exp each). */
  softmax: 16,
} as const;

const binaryCodes: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3 };
/** Comparisons of float32 operands into bool bytes (binaryBroadcast only). */
const compareCodes: Partial<Record<BinaryOp, number>> = {
  eq: 4,
  ne: 5,
  lt: 6,
  le: 7,
  gt: 8,
  ge: 9,
};
/** The addon's extreme() op codes. */
const extremeCodes: Partial<Record<ReduceOp, 0 | 1 | 2 | 3>> = {
  max: 0,
  min: 1,
  argmax: 2,
  argmin: 3,
};
/** Binary ops the addon has only for dense operands of the output's shape. */
const denseOnlyCodes: Partial<Record<BinaryOp, number>> = { reluGrad: 16 };
const unaryCodes: Partial<Record<UnaryOp, number>> = {
  exp: 0,
  sigmoid: 1,
  tanh: 2,
  relu: 3,
  sqrt: 4,
  erf: 5,
  neg: 6,
  rsqrt: 7,
  reciprocal: 8,
};

function isDenseF32(v: StridedView, n: number): v is StridedView & { data: Float32Array } {
  return (
    v.data instanceof Float32Array &&
    isContiguous(v.shape, v.strides) &&
    Number.isSafeInteger(v.offset) &&
    v.offset >= 0 &&
    v.offset + n <= v.data.length
  );
}

/**
 * How a float32 view of n elements repeats one dense run, as [period, repeat]: element i is
 * data[offset + floor(i / repeat) % period]. That holds when, ignoring size-1 dims, its trailing
 * dims have stride 0 (each element repeated `repeat` times: LayerNorm's [B, T, 1] statistics, a
 * conv bias [1, C, 1, 1]), the dims before them are contiguous (the run of `period` elements)
 * and every leading dim has stride 0 (the run repeated: a bias row, a scalar). Else undefined.
 */
function broadcastPattern(v: StridedView, n: number): [number, number] | undefined {
  if (!(v.data instanceof Float32Array) || !Number.isSafeInteger(v.offset) || v.offset < 0)
    return undefined;
  let repeat = 1;
  let d = v.shape.length - 1;
  for (; d >= 0; d--) {
    if (v.shape[d] === 1) continue;
    if (v.strides[d] !== 0) break;
    repeat *= v.shape[d]!;
  }
  let run = 1;
  for (; d >= 0; d--) {
    if (v.shape[d] === 1) continue;
    if (v.strides[d] !== run) break;
    run *= v.shape[d]!;
  }
  for (; d >= 0; d--) if (v.shape[d] !== 1 && v.strides[d] !== 0) return undefined;
  if (numel(v.shape) !== n || v.offset + run > v.data.length) return undefined;
  // A scalar needs no repeat count; a dense view is one run.
  return run === 1 ? [1, 1] : [run, repeat];
}

/**
 * The native CPU backend: a C addon with AVX-512/AVX2/portable GEMM micro-kernels and a thread
 * pool, working in place on the same typed arrays as the other CPU backends. It overrides only
 * the kernels where leaving JavaScript pays (matrix products, large float32 elementwise ops and
 * sums) and inherits every other kernel, and every small or unusual case, from the reference
 * backend.
 *
 * @example
 * torch.setBackend("native"); // when torch.nativeBackendStatus().available
 */
export class NativeBackend extends ReferenceBackend {
  override readonly name: string = "native";

  /** Size thresholds (the conformance tests lower them to 0 to run every kernel natively). */
  readonly thresholds: Record<keyof typeof NATIVE_THRESHOLDS, number>;

  constructor(
    private readonly addon: NativeAddon,
    thresholds: Partial<Record<keyof typeof NATIVE_THRESHOLDS, number>> = {},
  ) {
    super();
    this.thresholds = { ...NATIVE_THRESHOLDS, ...thresholds };
  }

  override matmul(a: StridedView, b: StridedView, out: TypedArray): void {
    const nd = a.shape.length;
    const macs = numel(a.shape) * (b.shape[nd - 1] ?? 0);
    const params = macs >= this.thresholds.matmul ? gemmParams(a, b, out) : undefined;
    if (params)
      this.addon.gemm(a.data as Float32Array, b.data as Float32Array, out as Float32Array, params);
    else super.matmul(a, b, out);
  }

  override binary(op: BinaryOp, a: StridedView, b: StridedView, out: TypedArray): void {
    const code = binaryCodes[op];
    const denseCode = code ?? denseOnlyCodes[op];
    const n = out.length;
    if (
      denseCode !== undefined &&
      n >= this.thresholds.binary &&
      out instanceof Float32Array &&
      isDenseF32(a, n) &&
      isDenseF32(b, n) &&
      numel(a.shape) === n
    ) {
      this.addon.binary(denseCode, a.data, a.offset, b.data, b.offset, out);
      return;
    }
    // Broadcast operands (a scalar such as SGD's lr, a bias row): the reference loop walks these
    // at ~30 ns an element, so they go native when each operand repeats one dense run.
    // Comparisons (ReLU's backward mask x > 0) write bool bytes; the reference loop is as slow.
    const broadcastCode = code ?? compareCodes[op];
    if (
      broadcastCode !== undefined &&
      n > 0 &&
      n >= this.thresholds.binary &&
      (code !== undefined ? out instanceof Float32Array : out instanceof Uint8Array)
    ) {
      const ba = broadcastPattern(a, n);
      const bb = broadcastPattern(b, n);
      // out may share a buffer only with a dense operand (then at the same index).
      if (
        ba !== undefined &&
        bb !== undefined &&
        (a.data.buffer !== out.buffer || (ba[0] === n && a.data === out && a.offset === 0)) &&
        (b.data.buffer !== out.buffer || (bb[0] === n && b.data === out && b.offset === 0))
      ) {
        this.addon.binaryBroadcast(
          broadcastCode,
          a.data as Float32Array,
          a.offset,
          ba[0],
          ba[1],
          b.data as Float32Array,
          b.offset,
          bb[0],
          bb[1],
          out as Float32Array | Uint8Array,
        );
        return;
      }
    }
    super.binary(op, a, b, out);
  }

  override addScaled(a: StridedView, b: StridedView, alpha: number, out: TypedArray): void {
    const n = out.length;
    if (
      n >= this.thresholds.binary &&
      out instanceof Float32Array &&
      isDenseF32(a, n) &&
      isDenseF32(b, n) &&
      numel(a.shape) === n
    ) {
      this.addon.addScaled(a.data, a.offset, b.data, b.offset, alpha, out);
      return;
    }
    super.addScaled(a, b, alpha, out);
  }

  override unary(op: UnaryOp, x: StridedView, out: TypedArray): void {
    const code = unaryCodes[op];
    const n = out.length;
    if (
      code !== undefined &&
      n >= this.thresholds.unary &&
      out instanceof Float32Array &&
      isDenseF32(x, n) &&
      numel(x.shape) === n
    ) {
      this.addon.unary(code, x.data, x.offset, out);
      return;
    }
    super.unary(op, x, out);
  }

  /**
   * Sums of a dense float32 tensor over any dims (a conv bias gradient sums [N, C, H, W] over
   * [0, 2, 3]), and maxima, minima and their indices over a leading or trailing run of dims (a
   * batch's argmax); other reductions use the reference loops.
   */
  override reduce(op: ReduceOp, x: StridedView, axes: readonly number[], out: TypedArray): void {
    const total = numel(x.shape);
    if (
      op === "sum" &&
      total >= this.thresholds.sum &&
      out instanceof Float32Array &&
      axes.length > 0 &&
      x.shape.length <= 64 &&
      isDenseF32(x, total)
    ) {
      const dims = new Float64Array(1 + 2 * x.shape.length);
      dims[0] = x.shape.length;
      x.shape.forEach((s, d) => {
        dims[1 + 2 * d] = s;
        dims[2 + 2 * d] = axes.includes(d) ? 1 : 0;
      });
      this.addon.sumDims(x.data, x.offset, dims, out);
      return;
    }
    const code = extremeCodes[op];
    if (
      (op === "sum" || code !== undefined) &&
      total >= this.thresholds.sum &&
      (code === 2 || code === 3 ? out instanceof Int32Array : out instanceof Float32Array) &&
      axes.length > 0 &&
      isDenseF32(x, total)
    ) {
      const nd = x.shape.length;
      const run = axes.every((d, i) => d === axes[0]! + i);
      const trailing = run && axes[axes.length - 1] === nd - 1;
      const leading = !trailing && run && axes[0] === 0;
      // [rows, cols] with the reduced dims as the columns (trailing) or the rows (leading).
      const cols = trailing
        ? numel(x.shape.slice(axes[0]))
        : numel(x.shape.slice(axes[axes.length - 1]! + 1));
      const rows = cols === 0 ? 0 : total / cols;
      if ((trailing || leading) && out.length === (trailing ? rows : cols)) {
        const alongRows = trailing ? 1 : 0;
        if (code !== undefined)
          this.addon.extreme(
            code,
            x.data,
            x.offset,
            rows,
            cols,
            alongRows,
            out as Float32Array | Int32Array,
          );
        else this.addon.sum(x.data, x.offset, rows, cols, alongRows, out as Float32Array);
        return;
      }
    }
    super.reduce(op, x, axes, out);
  }

  /**
   * Strided copies between float32 (or int32) views, contiguous() and clone() of a transposed or
   * sliced tensor: the reference loop walks them at ~5-30 ns an element. Dense copies stay on
   * the reference's TypedArray.set.
   */
  override copy(src: StridedView, dst: StridedView): void {
    const S = src.data;
    const D = dst.data;
    const n = numel(src.shape);
    const nd = src.shape.length;
    if (
      n >= this.thresholds.binary &&
      nd > 0 &&
      nd <= 64 &&
      ((S instanceof Float32Array && D instanceof Float32Array) ||
        (S instanceof Int32Array && D instanceof Int32Array)) &&
      S.buffer !== D.buffer &&
      !(isContiguous(src.shape, src.strides) && isContiguous(dst.shape, dst.strides)) &&
      Number.isSafeInteger(src.offset) &&
      Number.isSafeInteger(dst.offset)
    ) {
      const params = new Float64Array(3 + 3 * nd);
      params[0] = nd;
      params[1] = src.offset;
      params[2] = dst.offset;
      for (let d = 0; d < nd; d++) {
        params[3 + 3 * d] = src.shape[d]!;
        params[4 + 3 * d] = src.strides[d]!;
        params[5 + 3 * d] = dst.strides[d]!;
      }
      this.addon.copyStrided(S, D, params);
      return;
    }
    super.copy(src, dst);
  }

  /**
   * Softmax of float32 views as [outer, dim, inner]: any layout whose dims before `dim`, and
   * those after it, each step through memory as one dim (dense, transposed, padded rows).
   */
  override softmax(op: SoftmaxOp, x: StridedView, dim: number, out: TypedArray): void {
    const n = out.length;
    const size = x.shape[dim]!;
    const step = x.strides[dim]!;
    const native =
      n > 0 &&
      n >= this.thresholds.softmax &&
      x.data instanceof Float32Array &&
      out instanceof Float32Array &&
      step >= 0 &&
      Number.isSafeInteger(x.offset) &&
      x.offset >= 0;
    const outer = native ? collapse(x, 0, dim) : undefined;
    const inner = outer ? collapse(x, dim + 1, x.shape.length) : undefined;
    if (outer && inner) {
      const code = op === "logSoftmax" ? 1 : 0;
      const [no, so] = outer;
      const [ni, si] = inner;
      const data = x.data as Float32Array;
      this.addon.softmax(code, data, x.offset, no, size, ni, so, step, si, out as Float32Array);
      return;
    }
    super.softmax(op, x, dim, out);
  }

  override im2col(x: StridedView, windows: Windows2d, out: TypedArray): void {
    const params = out.length >= this.thresholds.windows ? windowParams(x, windows) : undefined;
    if (params && out instanceof Float32Array)
      this.addon.im2col(x.data as Float32Array, params, out);
    else super.im2col(x, windows, out);
  }

  override col2im(cols: StridedView, windows: Windows2d, out: TypedArray): void {
    const [P, kH, kW, oH, oW] = cols.shape as [number, number, number, number, number];
    // The addon reads cols dense: a view of the planes [P, H, W] it folds into, at cols' offset.
    const n = P * kH * kW * oH * oW;
    const planes = { ...cols, shape: [P, ...windows.input], strides: [0, 0, 0] };
    const params =
      n >= this.thresholds.windows && isDenseF32(cols, n)
        ? windowParams(planes, windows)
        : undefined;
    if (params && out instanceof Float32Array)
      this.addon.col2im(cols.data as Float32Array, params, out);
    else super.col2im(cols, windows, out);
  }

  override maxPool2d(
    x: StridedView,
    windows: Windows2d,
    values: TypedArray,
    indices: Int32Array,
  ): void {
    const n = values.length * windows.kernel[0] * windows.kernel[1];
    const params = n >= this.thresholds.windows ? windowParams(x, windows) : undefined;
    if (params && values instanceof Float32Array)
      this.addon.maxPool2d(x.data as Float32Array, params, values, indices);
    else super.maxPool2d(x, windows, values, indices);
  }
}

/**
 * Dims [from, to) of a view as one [size, stride] (stride 0 when there are none), or undefined
 * when they do not step through memory as one dim (row-major, every stride non-negative).
 */
function collapse(x: StridedView, from: number, to: number): [number, number] | undefined {
  let size = 1;
  let stride = 0;
  for (let d = to - 1; d >= from; d--) {
    const s = x.shape[d]!;
    if (s === 1) continue;
    const st = x.strides[d]!;
    if (size === 1) stride = st;
    else if (st !== stride * size) return undefined;
    if (st < 0) return undefined;
    size *= s;
  }
  return [size, stride];
}

/**
 * The addon's window geometry for a float32 [P, H, W] view with non-negative strides, or
 * undefined (other dtypes and layouts stay on the reference loops).
 */
function windowParams(x: StridedView, w: Windows2d): Float64Array | undefined {
  if (!(x.data instanceof Float32Array) || x.shape.length !== 3) return undefined;
  const [P, H, W] = x.shape as [number, number, number];
  const [sP, sH, sW] = x.strides as [number, number, number];
  if (sP < 0 || sH < 0 || sW < 0 || !Number.isSafeInteger(x.offset) || x.offset < 0)
    return undefined;
  if (H !== w.input[0] || W !== w.input[1]) return undefined;
  return Float64Array.of(
    P,
    H,
    W,
    sP,
    sH,
    sW,
    x.offset,
    ...w.output,
    ...w.kernel,
    ...w.stride,
    ...w.dilation,
    ...w.padding,
  );
}

const loaded = loadNativeAddon();

/**
 * Whether the native backend is usable in this process, and if not, why (not built, forced off
 * with TORCHLET_NATIVE=0, failed to load).
 *
 * @example
 * const { available, reason } = nativeBackendStatus();
 * if (!available) console.log(`native backend off: ${reason}`);
 */
export function nativeBackendStatus(): NativeBackendStatus {
  return loaded.status;
}

/** The native backend, or undefined when it is not available (see nativeBackendStatus). */
export const nativeBackend: NativeBackend | undefined = loaded.addon
  ? new NativeBackend(loaded.addon)
  : undefined;

/** Tests and benchmarks: the raw addon (undefined when not available). */
export function nativeAddon(): NativeAddon | undefined {
  return loaded.addon;
}

let fallbackThreads = 1;

/**
 * Sets the number of threads the CPU kernels use (PyTorch's torch.set_num_threads); the default
 * is the number of cores this process may run on.
 *
 * @example
 * setNumThreads(1); // deterministic single-threaded timing
 * getNumThreads(); // 1
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n <= 0) {
    throw new ValueError(`set_num_threads expects a positive integer number of threads, got ${n}`);
  }
  if (loaded.addon) loaded.addon.setNumThreads(n);
  else fallbackThreads = n;
}

/**
 * The number of threads the CPU kernels use (PyTorch's torch.get_num_threads).
 *
 * @example
 * getNumThreads(); // e.g. 8
 */
export function getNumThreads(): number {
  return loaded.addon ? loaded.addon.getNumThreads() : fallbackThreads;
}

let fallbackSaid = false;

/**
 * Registers the native backend and picks the startup backend: TORCHLET_BACKEND (reference, wasm
 * or native) when set and registered, else native when available. A forced backend that is not
 * available gives one warning line and leaves the current backend in place; so does falling back
 * for lack of a binary (no prebuild for this platform and no local build), once per process,
 * unless TORCHLET_BACKEND or TORCHLET_NATIVE=0 chose the backend explicitly.
 */
export function registerNativeBackend(
  env: string | undefined = process.env.TORCHLET_BACKEND,
): string {
  if (nativeBackend) registerBackend(nativeBackend);
  const wanted = env || (nativeBackend ? "native" : undefined);
  if (wanted && listBackends().includes(wanted)) setBackend(wanted);
  else if (wanted) {
    const why = wanted === "native" ? `: ${loaded.status.reason}` : "";
    console.warn(
      `torchlet: TORCHLET_BACKEND=${wanted} is not available${why}; using ${getBackend().name}`,
    );
  } else if (!fallbackSaid && process.env.TORCHLET_NATIVE !== "0") {
    fallbackSaid = true;
    console.warn(
      `torchlet: native backend not available (${loaded.status.reason}); using the slower ` +
        `${getBackend().name} backend (set TORCHLET_BACKEND to choose one and silence this)`,
    );
  }
  return getBackend().name;
}
