// Float32 GEMM for WebAssembly SIMD: Goto-style blocking with packed panels and a 4x8
// register-tiled micro-kernel (8 accumulators + 2 B vectors + 4 A splats = 14 live v128s: larger
// tiles make V8 spill vector registers and run at half speed; see shared/research/MEASUREMENTS.md).
// Packing reads A and B through arbitrary element strides, so every layout (A·B, Aᵀ·B, A·Bᵀ,
// Aᵀ·Bᵀ, broadcast, sliced) runs the same micro-kernel at the same speed.

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 128;
const NC: i32 = 1024;

/** Bytes of scratch `gemmF32` needs at `ws`: packed A block, packed B panel and an edge tile. */
export function gemmWorkspaceBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) * 4;
}

// a*b + c: fused where the engine supports relaxed SIMD (the variant built with it enabled).
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** Packs an mc x kc block of A (strides sam, sak) into MR-row slivers, zero padded. */
function packA(a: usize, mc: i32, kc: i32, sam: i32, sak: i32, dst: usize): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    const sliver = dst + <usize>(ir * kc) * 4;
    if (mr < MR) memory.fill(sliver, 0, <usize>(MR * kc) * 4);
    for (let i = 0; i < mr; i++) {
      let src = a + <usize>((ir + i) * sam) * 4;
      let d = sliver + <usize>i * 4;
      if (sak == 1) {
        for (let p = 0; p < kc; p++) {
          store<f32>(d, load<f32>(src));
          src += 4;
          d += MR * 4;
        }
      } else {
        const step = <usize>sak * 4;
        for (let p = 0; p < kc; p++) {
          store<f32>(d, load<f32>(src));
          src += step;
          d += MR * 4;
        }
      }
    }
  }
}

/** Packs a kc x nc panel of B (strides sbk, sbn) into NR-column slivers, zero padded. */
function packB(b: usize, kc: i32, nc: i32, sbk: i32, sbn: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const sliver = dst + <usize>(jr * kc) * 4;
    const col = b + <usize>(jr * sbn) * 4;
    if (nr == NR && sbn == 1) {
      for (let p = 0; p < kc; p++) {
        const src = col + <usize>(p * sbk) * 4;
        const d = sliver + <usize>(p * NR) * 4;
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      }
      continue;
    }
    if (nr < NR) memory.fill(sliver, 0, <usize>(NR * kc) * 4);
    // Column by column: reads run along k, which is the contiguous direction when B is transposed.
    for (let j = 0; j < nr; j++) {
      let src = col + <usize>(j * sbn) * 4;
      let d = sliver + <usize>j * 4;
      const step = <usize>sbk * 4;
      for (let p = 0; p < kc; p++) {
        store<f32>(d, load<f32>(src));
        src += step;
        d += NR * 4;
      }
    }
  }
}

/** C[mr x nr] += packed A sliver · packed B sliver, over kc steps. */
function microKernel(kc: i32, ap: usize, bp: usize, c: usize, ldc: i32, mr: i32, nr: i32, tmp: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    ap += MR * 4;
    bp += NR * 4;
  }
  const rs = <usize>ldc * 4;
  if (mr == MR && nr == NR) {
    let r = c;
    v128.store(r, f32x4.add(v128.load(r), c00));
    v128.store(r, f32x4.add(v128.load(r, 16), c01), 16);
    r += rs;
    v128.store(r, f32x4.add(v128.load(r), c10));
    v128.store(r, f32x4.add(v128.load(r, 16), c11), 16);
    r += rs;
    v128.store(r, f32x4.add(v128.load(r), c20));
    v128.store(r, f32x4.add(v128.load(r, 16), c21), 16);
    r += rs;
    v128.store(r, f32x4.add(v128.load(r), c30));
    v128.store(r, f32x4.add(v128.load(r, 16), c31), 16);
    return;
  }
  // Edge tile: spill the accumulators and add only the rows and columns that exist.
  v128.store(tmp, c00);
  v128.store(tmp, c01, 16);
  v128.store(tmp, c10, 32);
  v128.store(tmp, c11, 48);
  v128.store(tmp, c20, 64);
  v128.store(tmp, c21, 80);
  v128.store(tmp, c30, 96);
  v128.store(tmp, c31, 112);
  for (let i = 0; i < mr; i++) {
    const row = c + <usize>i * rs;
    for (let j = 0; j < nr; j++) {
      const q = row + <usize>j * 4;
      store<f32>(q, load<f32>(q) + load<f32>(tmp + <usize>(i * NR + j) * 4));
    }
  }
}

/**
 * C (m x n, row stride ldc) = A (m x k, strides sam/sak) · B (k x n, strides sbk/sbn). Strides
 * are in elements; pointers in bytes. Columns [n0, n1) only, so threads can split the work.
 * `ws` is gemmWorkspaceBytes() of scratch owned by the caller.
 */
export function gemmF32(
  m: i32, n0: i32, n1: i32, k: i32,
  a: usize, sam: i32, sak: i32,
  b: usize, sbk: i32, sbn: i32,
  c: usize, ldc: i32, ws: usize,
): void {
  const ap = ws;
  const bp = ws + <usize>(MC * KC) * 4;
  const tmp = bp + <usize>(KC * NC) * 4;
  for (let i = 0; i < m; i++) memory.fill(c + <usize>(i * ldc + n0) * 4, 0, <usize>(n1 - n0) * 4);
  for (let jc = n0; jc < n1; jc += NC) {
    const nc = min(NC, n1 - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB(b + <usize>(pc * sbk + jc * sbn) * 4, kc, nc, sbk, sbn, bp);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(a + <usize>(ic * sam + pc * sak) * 4, mc, kc, sam, sak, ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bs = bp + <usize>(jr * kc) * 4;
          for (let ir = 0; ir < mc; ir += MR) {
            const cp = c + <usize>((ic + ir) * ldc + jc + jr) * 4;
            microKernel(kc, ap + <usize>(ir * kc) * 4, bs, cp, ldc, min(MR, mc - ir), nr, tmp);
          }
        }
      }
    }
  }
}
