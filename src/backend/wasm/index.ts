import type { BinaryOp, ReduceOp, SoftmaxOp, StridedView, UnaryOp } from "../backend.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { ReferenceBackend } from "../reference/index.js";
import { isDense } from "../reference/iterate.js";
import { registerBackend, setBackend } from "../registry.js";
import { contiguousStrides, numel } from "../../tensor/shape.js";
import { MAX_BATCH_DIMS, planSplit, runTask, taskCount, type GemmJob } from "./gemm-tasks.js";
import { KernelInstance } from "./kernels.js";
import {
  SHARED_MAX_PAGES,
  bestVariant,
  supportsSharedMemory,
  wasmBytes,
  type WasmMemoryKind,
  type WasmVariant,
} from "./load.js";
import { collapse2D } from "./plan.js";
import { acquirePool, usableThreads } from "./threads.js";

export type { WasmMemoryKind, WasmVariant } from "./load.js";
export { bestVariant, supportsSharedMemory, supportsVariant } from "./load.js";
export { getNumThreads, setNumThreads, setThreadHost, type ThreadHost } from "./threads.js";

// Op codes of src/backend/wasm/assembly/elementwise.ts.
const binaryCodes: Partial<Record<BinaryOp, number>> = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  maximum: 4,
  minimum: 5,
};
const unaryCodes: Partial<Record<UnaryOp, number>> = {
  neg: 0,
  abs: 1,
  sqrt: 2,
  rsqrt: 3,
  reciprocal: 4,
  relu: 5,
  floor: 6,
  ceil: 7,
  round: 8,
  trunc: 9,
  exp: 10,
  log: 11,
  sigmoid: 12,
  tanh: 13,
};
const FIRST_TRANSCENDENTAL = 10;

/**
 * Sizes from which a kernel runs in WASM; below them the reference backend's JS loops win because
 * staging costs ~60 ns per call (measured by bench/wasm-thresholds.ts; see defaultThresholds).
 */
export interface WasmThresholds {
  /** m·n·k of one matrix product (summed over the batch). */
  gemm: number;
  /** m·n·k from which a product is split over the thread pool (when getNumThreads() > 1). */
  gemmThreads: number;
  /** Elements of a binary op. */
  binary: number;
  /** Elements of a cheap unary op (neg, relu, ...). */
  unary: number;
  /** Elements of exp, log, sigmoid, tanh. */
  transcendental: number;
  /** Elements reduced by sum or max. */
  reduce: number;
  /** Elements of a softmax, which takes six kernel calls here (see WasmBackend.softmax). */
  softmax: number;
}

// Crossovers measured by `node --import tsx bench/wasm-thresholds.ts` (2026-11-29, 2-core AMD
// EPYC shared with other jobs, load average ~8, fastest of 7 rounds, Node 20, simd variant):
// - gemm n·n·n: WASM wins from n = 6-8 (n = 8: 2.4x; n = 16: 11x) -> 512.
// - binary: add crosses at 1024 (0.88x at 512), mul at 512 (1.2x) -> 512.
// - unary: relu crosses at 512 (0.87x at 256), neg at 32 (5x at 256) -> 256.
// - transcendental: exp crosses at 32, tanh at 8-16 -> 32.
// - reduce: sum and max win at every size from 4 elements (1.5-3x) -> 16.
// - softmax (six kernel calls against one JS loop): [128, 10] 18 µs in WASM, 15 µs in JS;
//   [32, 100] 30 µs against 41 µs -> 2048.
// - gemmThreads: waking the pool costs ~25-30 µs here (n = 32: 3.5 µs on one thread, 31 µs on
//   two). On this saturated machine two threads reached 0.82x at n = 128, 0.90x at 192, 0.95x
//   at 256-384 and 2x at 512 (the second core is mostly busy with other jobs); with a free core
//   the 25 µs are repaid from one-thread times of ~100 µs. 2^22 (n ~ 160, ~190 µs on one thread)
//   keeps the loss small where cores are busy and wins where they are not.
// Elementwise ops and reductions stay on one thread: their cost is the copy into and out of WASM
// memory on the calling thread (add of 4096 elements: 3.2 µs in all, against ~25 µs to wake a
// worker), which threads would not shorten.
export const defaultThresholds: WasmThresholds = {
  gemm: 512,
  gemmThreads: 1 << 22,
  binary: 512,
  unary: 256,
  transcendental: 32,
  reduce: 16,
  softmax: 2048,
};

/** Options of `new WasmBackend(...)`. */
export interface WasmBackendOptions {
  /** Which build to run; default: relaxed SIMD where the engine validates it, else plain SIMD. */
  variant?: WasmVariant;
  /** A compiled module of that variant (browsers compile asynchronously; see initWasmBackend). */
  module?: WebAssembly.Module;
  /**
   * "shared" (default where shared memory exists: Node, cross-origin isolated pages) lets large
   * matrix products run on the thread pool; "private" always computes on the calling thread.
   */
  memory?: WasmMemoryKind;
  /** Size thresholds (tests lower them to 0 to force every kernel through WASM). */
  thresholds?: Partial<WasmThresholds>;
}

const modules: Partial<Record<`${WasmVariant}-${WasmMemoryKind}`, WebAssembly.Module>> = {};

function compiled(variant: WasmVariant, memory: WasmMemoryKind): WebAssembly.Module {
  return (modules[`${variant}-${memory}`] ??= new WebAssembly.Module(wasmBytes(variant, memory)));
}

let shared: WebAssembly.Memory | undefined;

/**
 * The one shared memory of the process. Backends share it (and so the one thread pool): each
 * kernel call stages its inputs from the bottom of the memory and copies its result out before
 * returning, and calls never overlap, so one backend's call cannot see another's data.
 */
function sharedMemory(required: boolean): WebAssembly.Memory | undefined {
  try {
    return (shared ??= new WebAssembly.Memory({
      initial: 1,
      maximum: SHARED_MAX_PAGES,
      shared: true,
    }));
  } catch (e) {
    if (required) throw e;
    return undefined;
  }
}

function isF32(x: TypedArray): x is Float32Array {
  return x instanceof Float32Array;
}

/**
 * The WebAssembly SIMD backend: the reference backend with float32 matrix products, elementwise
 * ops and sum/max reductions replaced by WASM kernels when the tensors are big enough to pay for
 * copying them into WASM memory. Tensor storage stays in ordinary typed arrays.
 *
 * @example
 * setBackend("wasm"); // the default once torchlet has loaded in Node
 * torch.randn([512, 512]).matmul(torch.randn([512, 512]));
 */
export class WasmBackend extends ReferenceBackend {
  override readonly name: string = "wasm";
  readonly variant: WasmVariant;
  readonly thresholds: WasmThresholds;
  readonly memory: WasmMemoryKind;
  private readonly k: KernelInstance;
  private readonly module: WebAssembly.Module;
  private readonly workspaceBytes: number;

  constructor(options: WasmBackendOptions = {}) {
    super();
    const variant = options.variant ?? bestVariant();
    if (variant === undefined) {
      throw new Error("WasmBackend: this JavaScript engine has no WebAssembly SIMD");
    }
    this.variant = variant;
    this.thresholds = { ...defaultThresholds, ...options.thresholds };
    // Shared memory reserves its 4 GiB maximum of address space up front; where that fails (a
    // small `ulimit -v`), compute on one thread rather than fail to load.
    const memory =
      (options.memory ?? (supportsSharedMemory() ? "shared" : "private")) === "shared"
        ? sharedMemory(options.memory === "shared")
        : undefined;
    this.memory = memory ? "shared" : "private";
    this.module = options.module ?? compiled(variant, this.memory);
    this.k = new KernelInstance(this.module, memory);
    this.workspaceBytes = this.k.exports.gemmWorkspaceBytes();
  }

  override matmul(a: StridedView, b: StridedView, out: TypedArray): void {
    const nd = a.shape.length;
    const m = a.shape[nd - 2]!;
    const k = a.shape[nd - 1]!;
    const n = b.shape[nd - 1]!;
    const batches = numel(a.shape.slice(0, nd - 2));
    if (
      !isF32(out) ||
      !isF32(a.data) ||
      !isF32(b.data) ||
      out.length === 0 ||
      k === 0 ||
      m * n * k * batches < this.thresholds.gemm
    ) {
      super.matmul(a, b, out);
      return;
    }
    const K = this.k;
    K.reset();
    const sa = K.stage(a);
    const sb = K.stage(b);
    const c = K.alloc(out.length * 4);
    const work = m * n * k * batches;
    const threads =
      this.memory === "shared" && work >= this.thresholds.gemmThreads && nd - 2 <= MAX_BATCH_DIMS
        ? usableThreads()
        : 1;
    const pool = threads > 1 ? acquirePool(this.module, K.exports.memory, threads) : undefined;
    const split = planSplit(m, n, batches, pool ? threads : 1);
    const ws = K.alloc(this.workspaceBytes * (pool ? threads : 1));
    const job: GemmJob = {
      m,
      n,
      k,
      a: sa.ptr + sa.offset * 4,
      sam: sa.strides[nd - 2]!,
      sak: sa.strides[nd - 1]!,
      b: sb.ptr + sb.offset * 4,
      sbk: sb.strides[nd - 2]!,
      sbn: sb.strides[nd - 1]!,
      c,
      batchShape: a.shape.slice(0, nd - 2),
      batchStridesA: sa.strides.slice(0, nd - 2),
      batchStridesB: sb.strides.slice(0, nd - 2),
      ws,
      wsBytes: this.workspaceBytes,
      ...split,
    };
    if (pool) pool.run(K.exports, job, threads);
    else for (let t = 0, tasks = taskCount(job); t < tasks; t++) runTask(K.exports, job, t, 0);
    K.copyOut(c, out);
  }

  /** a + alpha * b through the SIMD mul and add kernels (rounds alpha * b first). */
  override addScaled(a: StridedView, b: StridedView, alpha: number, out: TypedArray): void {
    if (!isF32(out) || out.length < this.thresholds.binary) {
      super.addScaled(a, b, alpha, out);
      return;
    }
    const scaled = new Float32Array(out.length);
    const scalar: StridedView = {
      data: Float32Array.of(alpha),
      shape: b.shape,
      strides: b.shape.map(() => 0),
      offset: 0,
    };
    this.binary("mul", b, scalar, scaled);
    const strides = contiguousStrides(b.shape);
    this.binary("add", a, { data: scaled, shape: b.shape, strides, offset: 0 }, out);
  }

  override binary(op: BinaryOp, a: StridedView, b: StridedView, out: TypedArray): void {
    const code = binaryCodes[op];
    const plan =
      code !== undefined &&
      isF32(out) &&
      isF32(a.data) &&
      isF32(b.data) &&
      out.length >= this.thresholds.binary
        ? collapse2D(a.shape, [a, b])
        : undefined;
    if (!plan || plan.colStrides.some((s) => s !== 0 && s !== 1)) {
      super.binary(op, a, b, out);
      return;
    }
    const K = this.k;
    K.reset();
    const sa = K.stage(a);
    const sb = K.stage(b);
    const o = K.alloc(out.length * 4);
    const [ra, rb] = plan.rowStrides;
    const [ca, cb] = plan.colStrides;
    K.exports.binaryF32(
      code!,
      plan.rows,
      plan.cols,
      sa.ptr + sa.offset * 4,
      ra!,
      ca!,
      sb.ptr + sb.offset * 4,
      rb!,
      cb!,
      o,
    );
    K.copyOut(o, out as Float32Array);
  }

  override unary(op: UnaryOp, x: StridedView, out: TypedArray): void {
    const code = unaryCodes[op];
    const min =
      code !== undefined && code >= FIRST_TRANSCENDENTAL
        ? this.thresholds.transcendental
        : this.thresholds.unary;
    if (code === undefined || !isF32(out) || !isF32(x.data) || out.length < min || !isDense(x)) {
      super.unary(op, x, out);
      return;
    }
    const K = this.k;
    K.reset();
    const p = K.alloc(out.length * 4);
    K.heap().set(x.data.subarray(x.offset, x.offset + out.length), p >> 2);
    K.exports.unaryF32(code, out.length, p, p); // in place: each element is read before written
    K.copyOut(p, out);
  }

  /**
   * Softmax along the last dim of a dense float32 tensor from this backend's kernels (max, sub,
   * exp, sum, then log and sub, or div), as the op was composed before it had a kernel: the
   * SIMD exp outruns the reference loop's Math.exp on large tensors ([128, 1000]: 1.1 ms against
   * 2 ms). Small ones, other layouts and other dtypes run the reference kernel.
   */
  override softmax(op: SoftmaxOp, x: StridedView, dim: number, out: TypedArray): void {
    const n = out.length;
    const cols = x.shape[dim]!;
    if (
      dim !== x.shape.length - 1 ||
      n === 0 ||
      n < this.thresholds.softmax ||
      !isF32(out) ||
      !isF32(x.data) ||
      !isDense(x)
    ) {
      super.softmax(op, x, dim, out);
      return;
    }
    const rows = n / cols;
    const shape = [rows, cols];
    const matrix = (data: Float32Array, offset = 0): StridedView => ({
      data,
      shape,
      strides: [cols, 1],
      offset,
    });
    const perRow = (data: Float32Array): StridedView => ({
      data,
      shape,
      strides: [1, 0],
      offset: 0,
    });
    const max = new Float32Array(rows);
    this.reduce("max", matrix(x.data, x.offset), [1], max);
    const shifted = new Float32Array(n);
    this.binary("sub", matrix(x.data, x.offset), perRow(max), shifted);
    // Softmax keeps exp(x - max) in out and divides it in place (elementwise at one index).
    const e = op === "softmax" ? out : new Float32Array(n);
    this.unary("exp", matrix(shifted), e);
    const sum = new Float32Array(rows);
    this.reduce("sum", matrix(e), [1], sum);
    if (op === "softmax") {
      this.binary("div", matrix(e), perRow(sum), out);
      return;
    }
    this.unary("log", { data: sum, shape: [rows], strides: [1], offset: 0 }, sum);
    this.binary("sub", matrix(shifted), perRow(sum), out);
  }

  override reduce(op: ReduceOp, x: StridedView, axes: readonly number[], out: TypedArray): void {
    const nd = x.shape.length;
    const r = axes.length;
    const trailing = r > 0 && axes.every((a, i) => a === nd - r + i);
    const leading = r > 0 && axes.every((a, i) => a === i);
    const total = numel(x.shape);
    if (
      (op !== "sum" && op !== "max") ||
      !isF32(out) ||
      !isF32(x.data) ||
      total === 0 ||
      total < this.thresholds.reduce ||
      !(trailing || leading) ||
      !isDense(x)
    ) {
      super.reduce(op, x, axes, out);
      return;
    }
    const K = this.k;
    K.reset();
    const p = K.alloc(total * 4);
    K.heap().set(x.data.subarray(x.offset, x.offset + total), p >> 2);
    const o = K.alloc(out.length * 4);
    const isMax = op === "max" ? 1 : 0;
    if (trailing) {
      K.exports.reduceRowsF32(isMax, out.length, total / out.length, p, o);
    } else {
      const acc = K.alloc(out.length * 8);
      K.exports.reduceColsF32(isMax, total / out.length, out.length, p, o, acc);
    }
    K.copyOut(o, out);
  }
}

/**
 * Compiles the kernels asynchronously, registers the "wasm" backend and makes it current. Needed
 * in browsers, whose main thread may not compile large modules synchronously; until it resolves,
 * ops run on the reference backend. Node registers the backend synchronously on import.
 *
 * @example
 * await initWasmBackend();
 */
export async function initWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  const variant = options.variant ?? bestVariant();
  if (variant === undefined) throw new Error("WasmBackend: this engine has no WebAssembly SIMD");
  const memory = options.memory ?? (supportsSharedMemory() ? "shared" : "private");
  const module = options.module ?? (await WebAssembly.compile(wasmBytes(variant, memory)));
  const backend = new WasmBackend({ ...options, variant, memory, module });
  registerBackend(backend);
  setBackend(backend.name);
  return backend;
}

// In Node, compile synchronously on import and make WASM the default backend.
if (
  typeof process !== "undefined" &&
  process.versions?.node !== undefined &&
  bestVariant() !== undefined
) {
  registerBackend(new WasmBackend());
  setBackend("wasm");
}
