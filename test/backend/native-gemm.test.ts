// Native GEMM vs the reference backend: every layout, odd sizes, batches (broadcast too),
// padded/offset views, float32 and float64, on every micro-kernel this CPU can run, on one
// thread and on several (which must give identical numbers: each output element is summed in the
// same order whichever thread computes it).
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { StridedView } from "../../src/backend/backend.js";
import { ReferenceBackend } from "../../src/backend/reference/index.js";
import {
  NATIVE_THRESHOLDS,
  NativeBackend,
  nativeAddon,
  nativeBackend,
  nativeBackendStatus,
} from "../../src/backend/native/index.js";
import type { NativeAddon, NativeIsa } from "../../src/backend/native/addon.js";
import { assertAllClose, matrixView, rng } from "./native-helpers.js";

const status = nativeBackendStatus();
const skip = status.available ? false : `native backend not available: ${status.reason}`;
const reference = new ReferenceBackend();
const SIZES = [1, 3, 5, 17, 63, 65, 129, 257];
const ISAS: NativeIsa[] = ["avx512", "avx2", "portable"];

/** The ISAs this CPU supports, best first (each is forced in turn). */
function isasHere(addon: NativeAddon): NativeIsa[] {
  return ISAS.slice(ISAS.indexOf(addon.bestIsa()));
}

interface Case {
  label: string;
  a: StridedView;
  b: StridedView;
  outLength: number;
}

function layoutCases(ctor: Float32ArrayConstructor | Float64ArrayConstructor): Case[] {
  const rand = rng(ctor === Float32Array ? 1 : 2);
  const cases: Case[] = [];
  SIZES.forEach((m, i) => {
    const n = SIZES[(i + 3) % SIZES.length]!;
    const k = SIZES[(i + 5) % SIZES.length]!;
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const pad = i % 3;
      cases.push({
        label: `${ta ? "Aᵀ" : "A"}·${tb ? "Bᵀ" : "B"} m=${m} n=${n} k=${k} pad=${pad}`,
        a: matrixView(m, k, ta, rand, ctor, pad, i),
        b: matrixView(k, n, tb, rand, ctor, pad, 2 * i),
        outLength: m * n,
      });
    }
  });
  return cases;
}

/** [2, 3, m, k] · [2, 3, k, n] with a's dim 1 and b's dim 0 broadcast (stride 0). */
function batchedCase(m: number, n: number, k: number, seed: number): Case {
  const rand = rng(seed);
  const a = matrixView(m, k, seed % 2 === 0, rand, Float32Array, 1, 3);
  const b = matrixView(k, n, seed % 3 === 0, rand, Float32Array, 0, 0);
  // Give a two distinct matrices along dim 0 and b three along dim 1, inside bigger buffers.
  const aSize = a.data.length;
  const bSize = b.data.length;
  const aData = new Float32Array(aSize * 2);
  const bData = new Float32Array(bSize * 3);
  for (let i = 0; i < aData.length; i++) aData[i] = rand();
  for (let i = 0; i < bData.length; i++) bData[i] = rand();
  return {
    label: `batched broadcast m=${m} n=${n} k=${k}`,
    a: { data: aData, shape: [2, 3, m, k], strides: [aSize, 0, ...a.strides], offset: a.offset },
    b: { data: bData, shape: [2, 3, k, n], strides: [0, bSize, ...b.strides], offset: 0 },
    outLength: 6 * m * n,
  };
}

function run(backend: ReferenceBackend, c: Case): Float32Array | Float64Array {
  const out =
    c.a.data instanceof Float64Array
      ? new Float64Array(c.outLength)
      : new Float32Array(c.outLength);
  backend.matmul(c.a, c.b, out);
  return out;
}

describe("native backend: GEMM conformance", { skip }, () => {
  const addon = nativeAddon()!;
  const native = nativeBackend!;
  const threadsBefore = addon.getNumThreads();
  after(() => {
    addon.setIsa("best");
    addon.setEager(false);
    addon.setNumThreads(threadsBefore);
  });

  const f32 = layoutCases(Float32Array);
  const f64 = layoutCases(Float64Array);
  const batched = [batchedCase(5, 17, 63, 4), batchedCase(65, 3, 129, 9), batchedCase(1, 65, 5, 6)];
  const expected = new Map<Case, Float32Array | Float64Array>();
  for (const c of [...f32, ...f64, ...batched]) expected.set(c, run(reference, c));

  for (const isa of ISAS) {
    it(`${isa}: all four layouts, odd sizes, batches, float32 and float64, 1 and 3 threads`, (t) => {
      if (!isasHere(addon).includes(isa)) {
        t.skip(`this CPU has no ${isa}`);
        return;
      }
      assert.equal(addon.setIsa(isa), isa);
      for (const c of [...f32, ...f64, ...batched]) {
        addon.setNumThreads(1);
        addon.setEager(false);
        const single = run(native, c);
        const tol = c.a.data instanceof Float64Array ? 1e-10 : 1e-5;
        assertAllClose(single, expected.get(c)!, tol, tol, `${isa} ${c.label}`);
        addon.setNumThreads(3);
        addon.setEager(true);
        const threaded = run(native, c);
        assert.deepEqual(threaded, single, `${isa} ${c.label}: 3 threads differ from 1`);
      }
    });
  }

  it("hands thousands of back-to-back jobs between 3 threads without losing one", () => {
    // The pool's workers poll for a while after each job and then sleep; a lost wake-up in that
    // hand-off would hang here (the test times out) or leave an element unwritten.
    const rand = rng(11);
    const c = { a: matrixView(13, 17, false, rand), b: matrixView(17, 19, true, rand) };
    const want = new Float32Array(13 * 19);
    reference.matmul(c.a, c.b, want);
    addon.setNumThreads(3);
    addon.setEager(true);
    try {
      for (let i = 0; i < 5000; i++) {
        const out = new Float32Array(13 * 19).fill(Number.NaN);
        native.matmul(c.a, c.b, out);
        if (i % 500 === 0 || out.some(Number.isNaN))
          assertAllClose(out, want, 1e-5, 1e-5, `job ${i}`);
      }
    } finally {
      addon.setEager(false);
      addon.setNumThreads(threadsBefore);
    }
  });

  it("writes every output element and nothing outside out (k = 0 gives zeros)", () => {
    const rand = rng(7);
    const a = matrixView(9, 0, false, rand);
    const b = matrixView(0, 70, false, rand);
    const backing = new Float32Array(9 * 70 + 2).fill(Number.NaN);
    const out = backing.subarray(1, 1 + 9 * 70);
    native.matmul(a, b, out);
    assert.ok(out.every((v) => v === 0));
    assert.ok(Number.isNaN(backing[0]!) && Number.isNaN(backing[backing.length - 1]!));
  });

  it("uses the addon above the threshold and the reference kernel below it or for int32", () => {
    let calls = 0;
    const counting: NativeAddon = {
      ...addon,
      gemm: (...args) => {
        calls++;
        addon.gemm(...args);
      },
    };
    const spy = new NativeBackend(counting);
    const rand = rng(8);
    const small = { a: matrixView(2, 3, false, rand), b: matrixView(3, 4, false, rand) };
    assert.ok(2 * 3 * 4 < NATIVE_THRESHOLDS.matmul);
    const out = new Float32Array(8);
    spy.matmul(small.a, small.b, out);
    assert.equal(calls, 0);
    const big = {
      label: "",
      a: matrixView(16, 16, false, rand),
      b: matrixView(16, 16, true, rand),
      outLength: 256,
    };
    assert.ok(16 * 16 * 16 >= NATIVE_THRESHOLDS.matmul);
    assertAllClose(run(spy, big), run(reference, big), 1e-5, 1e-5, "16x16x16");
    assert.equal(calls, 1);
    const ints = {
      data: Int32Array.from({ length: 4096 }, (_, i) => i % 7),
      shape: [64, 64],
      strides: [64, 1],
      offset: 0,
    };
    const intOut = new Int32Array(64 * 64);
    spy.matmul(ints, ints, intOut);
    assert.equal(calls, 1);
    const want = new Int32Array(64 * 64);
    reference.matmul(ints, ints, want);
    assert.deepEqual(intOut, want);
  });

  it("falls back to the reference kernel when out shares memory with an input", () => {
    const data = new Float32Array(2 * 256);
    data.fill(1, 0, 256);
    const a: StridedView = {
      data: data.subarray(0, 256),
      shape: [16, 16],
      strides: [16, 1],
      offset: 0,
    };
    const out = data.subarray(256);
    native.matmul(a, a, out);
    assert.ok(out.every((v) => v === 16));
  });

  it("the addon itself rejects views that reach outside their buffers", () => {
    const a = new Float32Array(10);
    const params = new Float64Array(58);
    params.set([0, 4, 4, 4, 0, 4, 1, 0, 4, 1]);
    assert.throws(
      () => addon.gemm(a, new Float32Array(16), new Float32Array(16), params),
      RangeError,
    );
    assert.throws(() => addon.gemm(a, a, new Float32Array(3), params), RangeError);
  });
});
