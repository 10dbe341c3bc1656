// The native softmax kernel vs the reference backend on every layout it takes (long rows, a dim
// with rows along inner, strided and transposed views), on one thread and on several; what it
// leaves to the reference loops; and the addon's refusal of arguments outside its buffers.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { SoftmaxOp, StridedView } from "../../src/backend/backend.js";
import { ReferenceBackend } from "../../src/backend/reference/index.js";
import { NativeBackend, nativeAddon, nativeBackendStatus } from "../../src/backend/native/index.js";
import type { NativeAddon } from "../../src/backend/native/addon.js";
import { assertAllClose, rng } from "./native-helpers.js";

const status = nativeBackendStatus();
const skip = status.available ? false : `native backend not available: ${status.reason}`;
const reference = new ReferenceBackend();
const OPS: SoftmaxOp[] = ["softmax", "logSoftmax"];

/**
 * A random float32 view of `shape` whose dims lie in memory in `order` (outermost first), with
 * `pad` unused elements after each run of the innermost one (a slice's row padding) and a
 * leading offset; a few -Infinity, +Infinity and NaN elements.
 */
function view(
  shape: number[],
  order: number[],
  rand: () => number,
  pad = 0,
  offset = 1,
): StridedView {
  const strides = new Array<number>(shape.length).fill(0);
  let step = 1;
  for (let q = order.length - 1; q >= 0; q--) {
    strides[order[q]!] = step;
    step *= shape[order[q]!]! + (q === order.length - 1 ? pad : 0);
  }
  const data = new Float32Array(offset + step);
  for (let i = 0; i < data.length; i++) {
    const r = rand();
    data[i] = r > 0.99 ? -Infinity : r < -0.999 ? NaN : r > 0.985 ? Infinity : r * 20;
  }
  return { data, shape, strides, offset };
}

/** The addon with its softmax calls counted, to tell the native path from the fallback. */
function counted(addon: NativeAddon): { addon: NativeAddon; calls: () => number } {
  let calls = 0;
  const wrapped: NativeAddon = {
    ...addon,
    softmax: (...args: Parameters<NativeAddon["softmax"]>) => {
      calls++;
      addon.softmax(...args);
    },
  };
  return { addon: wrapped, calls: () => calls };
}

describe("native backend: softmax", { skip }, () => {
  const addon = nativeAddon()!;
  const threadsBefore = addon.getNumThreads();
  after(() => {
    addon.setEager(false);
    addon.setNumThreads(threadsBefore);
  });

  // [shape, memory order, dim, row padding to try]: rows along the last dim, a middle or first
  // dim (rows along inner, more than one block of 256), transposed and padded layouts, each one
  // whose dims before and after dim step as one dim.
  const layouts: [number[], number[], number, number][] = [
    [[7, 1000], [0, 1], 1, 2],
    [[3, 1031], [0, 1], -1, 2],
    [[1000, 7], [0, 1], 0, 2],
    [[3, 5, 300], [0, 1, 2], 1, 2],
    [[4, 6, 5], [0, 1, 2], 2, 2],
    [[2, 9, 3], [0, 1, 2], 0, 0],
    [[33, 65], [1, 0], 0, 2],
    [[33, 65], [1, 0], 1, 2],
    [[4, 5, 6], [2, 0, 1], 1, 2],
    [[4, 5, 6], [2, 0, 1], 2, 0],
  ];
  for (const threads of [1, 3]) {
    it(`matches the reference on every layout (${threads} threads)`, () => {
      addon.setNumThreads(threads);
      addon.setEager(threads > 1);
      const { addon: spy, calls } = counted(addon);
      const native = new NativeBackend(spy, { softmax: 0 });
      const rand = rng(21);
      for (const [shape, order, d, padding] of layouts) {
        for (const pad of new Set([0, padding])) {
          const x = view(shape, order, rand, pad);
          const dim = d < 0 ? d + shape.length : d;
          const n = shape.reduce((p, s) => p * s, 1);
          for (const op of OPS) {
            const before = calls();
            const got = new Float32Array(n);
            const want = new Float32Array(n);
            native.softmax(op, x, dim, got);
            reference.softmax(op, x, dim, want);
            assert.equal(
              calls(),
              before + 1,
              `${op} ${shape} order ${order} dim ${d} ran natively`,
            );
            assertAllClose(got, want, 1e-6, 1e-7, `${op} ${shape} order ${order} dim ${d}`);
          }
        }
      }
    });
  }

  it("leaves float64, small and unmergeable views to the reference kernel", () => {
    const { addon: spy, calls } = counted(addon);
    const native = new NativeBackend(spy);
    const rand = rng(22);
    const f64 = view([4, 100], [0, 1], rand);
    // Padded rows of [4, 5, 6] stored as [5, 4, 6]: dims 0 and 1 do not step as one dim.
    const cases: [StridedView, number][] = [
      [{ ...f64, data: Float64Array.from(f64.data) }, 1],
      [view([2, 3], [0, 1], rand), 1],
      [view([4, 5, 6], [1, 0, 2], rand, 1), 2],
    ];
    for (const [x, dim] of cases) {
      const n = x.shape.reduce((p, s) => p * s, 1);
      const got = x.data instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
      const want = x.data instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
      native.softmax("logSoftmax", x, dim, got);
      reference.softmax("logSoftmax", x, dim, want);
      assert.deepEqual(got, want);
    }
    assert.equal(calls(), 0);
  });

  it("refuses views outside their buffers and malformed arguments", () => {
    const x = new Float32Array(12);
    const out = new Float32Array(12);
    // The valid call: [3, 4, 1] dense.
    addon.softmax(0, x, 0, 3, 4, 1, 4, 1, 0, out);
    const bad: [string, () => void][] = [
      ["offset past the end", () => addon.softmax(0, x, 1, 3, 4, 1, 4, 1, 0, out)],
      ["stride past the end", () => addon.softmax(1, x, 0, 3, 4, 1, 5, 1, 0, out)],
      ["out too short", () => addon.softmax(0, x, 0, 3, 4, 1, 4, 1, 0, out.subarray(1))],
      [
        "sizes that overflow",
        () => addon.softmax(0, x, 0, 2 ** 40, 2 ** 40, 2 ** 40, 0, 0, 0, out),
      ],
      ["negative stride", () => addon.softmax(0, x, 11, 3, 4, 1, -4, 1, 0, out)],
      ["unknown op", () => addon.softmax(2 as 0, x, 0, 3, 4, 1, 4, 1, 0, out)],
      [
        "float64 input",
        () => addon.softmax(0, new Float64Array(12) as never, 0, 3, 4, 1, 4, 1, 0, out),
      ],
    ];
    for (const [label, call] of bad) assert.throws(call, RangeError, label);
  });
});
