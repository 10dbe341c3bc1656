/** The functions the compiled addon (native/src/addon.c) exports. Arguments are trusted to have
 * been validated by the TypeScript side; the addon re-checks only buffer extents. */
export interface NativeAddon {
  /** params: [batchDims, m, n, k, aOff, sam, sak, bOff, sbk, sbn, (size, aStride, bStride)...]. */
  gemm(
    a: Float32Array | Float64Array,
    b: Float32Array | Float64Array,
    out: Float32Array | Float64Array,
    params: Float64Array,
  ): void;
  binary(
    op: number,
    a: Float32Array,
    aOffset: number,
    b: Float32Array,
    bOffset: number,
    out: Float32Array,
  ): void;
  /** out[i] = a[aOffset + i] + alpha * b[bOffset + i], rounded once (dense float32). */
  addScaled(
    a: Float32Array,
    aOffset: number,
    b: Float32Array,
    bOffset: number,
    alpha: number,
    out: Float32Array,
  ): void;
  /**
   * out[i] = a[aOffset + (i / aRepeat) % aPeriod] op b[bOffset + (i / bRepeat) % bPeriod];
   * period * repeat divides out.length. Ops 0-3 (add/sub/mul/div) write a Float32Array, 4-9
   * (eq/ne/lt/le/gt/ge) a Uint8Array of 0/1.
   */
  binaryBroadcast(
    op: number,
    a: Float32Array,
    aOffset: number,
    aPeriod: number,
    aRepeat: number,
    b: Float32Array,
    bOffset: number,
    bPeriod: number,
    bRepeat: number,
    out: Float32Array | Uint8Array,
  ): void;
  unary(op: number, x: Float32Array, xOffset: number, out: Float32Array): void;
  /** alongRows = 1: out[r] = sum of row r; 0: out[c] = sum of column c; x is dense [rows, cols]. */
  sum(
    x: Float32Array,
    xOffset: number,
    rows: number,
    cols: number,
    alongRows: 0 | 1,
    out: Float32Array,
  ): void;
  /**
   * Sums the dense float32 tensor at xOffset over the dims marked 1 in dims = [nd, size_0,
   * reduced_0, size_1, reduced_1, ...] into out (the kept dims' elements), each output's terms in
   * row-major order in double, as the reference backend adds them.
   */
  sumDims(x: Float32Array, xOffset: number, dims: Float64Array, out: Float32Array): void;
  /**
   * dst[i] = src[i], bitwise, over the index space params = [nd, srcOffset, dstOffset, (size,
   * srcStride, dstStride) per dim] (strides in elements, any sign); both Float32Array or both
   * Int32Array, in distinct buffers.
   */
  copyStrided(
    src: Float32Array | Int32Array,
    dst: Float32Array | Int32Array,
    params: Float64Array,
  ): void;
  /**
   * op 0: softmax, 1: log-softmax of the float32 view [outer, size, inner] at xOffset with those
   * element strides, along size, into dense out (outer * size * inner elements).
   */
  softmax(
    op: 0 | 1,
    x: Float32Array,
    xOffset: number,
    outer: number,
    size: number,
    inner: number,
    outerStride: number,
    sizeStride: number,
    innerStride: number,
    out: Float32Array,
  ): void;
  /**
   * Extrema of each row (alongRows = 1) or column of the dense float32 [rows, cols] matrix at
   * xOffset: op 0/1 max/min values (Float32Array out), 2/3 argmax/argmin (Int32Array out); the
   * first extremum wins ties and the first NaN wins, as the reference backend.
   */
  extreme(
    op: 0 | 1 | 2 | 3,
    x: Float32Array,
    xOffset: number,
    rows: number,
    cols: number,
    alongRows: 0 | 1,
    out: Float32Array | Int32Array,
  ): void;
  /**
   * The window kernels, float32. windows: [P, H, W, sP, sH, sW, offset, oH, oW, kH, kW, strideH,
   * strideW, dilationH, dilationW, padTop, padLeft]; x is strided [P, H, W], cols dense.
   */
  im2col(x: Float32Array, windows: Float64Array, out: Float32Array): void;
  col2im(cols: Float32Array, windows: Float64Array, out: Float32Array): void;
  maxPool2d(
    x: Float32Array,
    windows: Float64Array,
    values: Float32Array,
    indices: Int32Array,
  ): void;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  /** Forces a GEMM micro-kernel ("avx512" | "avx2" | "portable" | "best"); returns the one in use. */
  setIsa(name: string): NativeIsa;
  getIsa(): NativeIsa;
  bestIsa(): NativeIsa;
  /** Tests: thread even tiny calls so the threaded code paths run. */
  setEager(on: boolean): void;
  /**
   * Whether the addon tuned glibc malloc when it loaded (native/src/memory.c: freed tensor storage
   * stays mapped for reuse); false off glibc or with TORCHLET_MALLOC_TUNING=0.
   */
  mallocTuned(): boolean;
}

export type NativeIsa = "avx512" | "avx2" | "portable";

/** Whether the native backend can run here, and if not, why. */
export interface NativeBackendStatus {
  readonly available: boolean;
  /** Why it is not available. */
  readonly reason?: string;
  /** The .node file loaded: a local build, the package's prebuild or TORCHLET_NATIVE_ADDON. */
  readonly path?: string;
}
