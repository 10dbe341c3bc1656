import type { StridedView } from "../backend.js";
import { forEachOffset } from "../reference/iterate.js";
import { numel } from "../../tensor/shape.js";

/** The functions src/backend/wasm/assembly/index.ts exports (pointers are byte addresses). */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  gemmWorkspaceBytes(): number;
  gemmF32(
    m: number,
    n0: number,
    n1: number,
    k: number,
    a: number,
    sam: number,
    sak: number,
    b: number,
    sbk: number,
    sbn: number,
    c: number,
    ldc: number,
    ws: number,
  ): void;
  binaryF32(
    op: number,
    rows: number,
    cols: number,
    a: number,
    sa0: number,
    sa1: number,
    b: number,
    sb0: number,
    sb1: number,
    out: number,
  ): void;
  unaryF32(op: number, n: number, x: number, out: number): void;
  reduceRowsF32(isMax: number, rows: number, cols: number, x: number, out: number): void;
  reduceColsF32(
    isMax: number,
    rows: number,
    cols: number,
    x: number,
    out: number,
    acc: number,
  ): void;
}

/** A float32 view staged in WASM memory: `ptr` is the byte address of element `offset` 0. */
export interface Staged {
  readonly ptr: number;
  readonly offset: number;
  readonly strides: readonly number[];
}

/**
 * One instance of the kernels and a bump allocator over its linear memory. Every kernel call
 * starts with `reset()`, stages its inputs, runs, and copies its result out: tensors stay in
 * GC-owned typed arrays, and WASM memory is only scratch, reused by the next call.
 */
export class KernelInstance {
  readonly exports: KernelExports;
  private readonly base: number;
  private top: number;
  private view: Float32Array;

  /** `memory`: the memory a shared build imports (none for a build that owns its memory). */
  constructor(module: WebAssembly.Module, memory?: WebAssembly.Memory) {
    const imports: WebAssembly.Imports = memory ? { env: { memory } } : {};
    this.exports = new WebAssembly.Instance(module, imports).exports as unknown as KernelExports;
    this.base = (this.exports.heapBase() + 63) & ~63;
    this.top = this.base;
    this.view = new Float32Array(this.exports.memory.buffer);
  }

  reset(): void {
    this.top = this.base;
  }

  /** Reserves `bytes` (64-byte aligned), growing memory as needed; returns the address. */
  alloc(bytes: number): number {
    const ptr = this.top;
    this.top = (ptr + bytes + 63) & ~63;
    const have = this.exports.memory.buffer.byteLength;
    if (this.top > have) this.exports.memory.grow(Math.ceil((this.top - have) / 65536));
    return ptr;
  }

  /**
   * The memory as float32s, re-made after a grow (which detaches a private memory's buffer and
   * gives a shared one a new, longer buffer object).
   */
  heap(): Float32Array {
    if (this.view.byteLength !== this.exports.memory.buffer.byteLength) {
      this.view = new Float32Array(this.exports.memory.buffer);
    }
    return this.view;
  }

  /**
   * Copies a float32 view into WASM memory. The span of the buffer the view touches is copied as
   * is with one `set` (strides and broadcast dims survive, so transposes cost nothing extra); a
   * view that touches a small part of a large span is gathered densely instead.
   */
  stage(view: StridedView): Staged {
    const data = view.data as Float32Array;
    let lo = view.offset;
    let hi = view.offset;
    for (let d = 0; d < view.shape.length; d++) {
      const reach = view.strides[d]! * (view.shape[d]! - 1);
      if (reach > 0) hi += reach;
      else lo += reach;
    }
    const count = numel(view.shape);
    const span = hi - lo + 1;
    if (span <= 2 * count + 1024) {
      const ptr = this.alloc(span * 4);
      this.heap().set(data.subarray(lo, hi + 1), ptr >> 2);
      return { ptr, offset: view.offset - lo, strides: view.strides };
    }
    const ptr = this.alloc(count * 4);
    const heap = this.heap();
    const at = ptr >> 2;
    forEachOffset([view], (i, off) => {
      heap[at + i] = data[off[0]!]!;
    });
    const strides = new Array<number>(view.shape.length);
    for (let d = view.shape.length - 1, acc = 1; d >= 0; d--) {
      strides[d] = acc;
      acc *= view.shape[d]!;
    }
    return { ptr, offset: 0, strides };
  }

  /** Copies `out.length` float32s from address `ptr` into `out`. */
  copyOut(ptr: number, out: Float32Array): void {
    out.set(this.heap().subarray(ptr >> 2, (ptr >> 2) + out.length));
  }
}
