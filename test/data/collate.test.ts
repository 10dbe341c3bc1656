import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ArgumentTypeError, ShapeError, Tensor, tensor, zeros } from "../../src/index.js";
import { defaultCollate } from "../../src/data/index.js";
import { assertClose } from "../helpers/assert.js";
import { decode, loadFixture, type EncodedTensor } from "../helpers/fixtures.js";

/** A value as data.py's tag() writes it. */
type Tagged =
  | { tensor: EncodedTensor }
  | { dict: Record<string, Tagged> }
  | { list: Tagged[] }
  | { str: string }
  | { bool: boolean }
  | { number: number };

function untag(v: Tagged): unknown {
  if ("tensor" in v) return decode(v.tensor);
  if ("dict" in v) return Object.fromEntries(Object.entries(v.dict).map(([k, x]) => [k, untag(x)]));
  if ("list" in v) return v.list.map(untag);
  if ("str" in v) return v.str;
  if ("bool" in v) return v.bool;
  return v.number;
}

/** Asserts the collated value has PyTorch's structure, dtypes and values. */
function assertMatches(actual: unknown, expected: Tagged, path: string): void {
  if ("tensor" in expected) {
    assert.ok(actual instanceof Tensor, `${path}: expected a tensor`);
    assertClose(actual, expected.tensor, { rtol: 0, atol: 0, message: path });
  } else if ("dict" in expected) {
    assert.ok(
      typeof actual === "object" && actual !== null && !Array.isArray(actual),
      `${path}: expected an object`,
    );
    assert.deepEqual(Object.keys(actual), Object.keys(expected.dict), `${path}: keys`);
    for (const [k, v] of Object.entries(expected.dict)) {
      assertMatches((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
    }
  } else if ("list" in expected) {
    assert.ok(Array.isArray(actual), `${path}: expected an array`);
    assert.equal(actual.length, expected.list.length, `${path}: length`);
    expected.list.forEach((v, i) => assertMatches(actual[i], v, `${path}[${i}]`));
  } else {
    assert.deepEqual(actual, untag(expected), path);
  }
}

interface CollateFixture {
  nested: { samples: Tagged; collated: Tagged };
  tuples: { samples: Tagged; collated: Tagged };
  errors: { stack: string; ragged: string };
}

const fx = loadFixture<CollateFixture>("data", "collate");

describe("defaultCollate vs PyTorch's default_collate", () => {
  for (const name of ["nested", "tuples"] as const) {
    it(`${name}: same structure, dtypes and values`, () => {
      const samples = untag(fx[name].samples) as unknown[];
      assertMatches(defaultCollate(samples), fx[name].collated, name);
    });
  }

  it("numbers: all integers -> int32 (PyTorch's int64), else float64; booleans -> bool", () => {
    const ints = defaultCollate([1, 2, 3]);
    assert.equal(ints.dtype, "int32");
    const floats = defaultCollate([1, 2.5]);
    assert.equal(floats.dtype, "float64");
    assert.deepEqual(floats.tolist(), [1, 2.5]);
    assert.equal(defaultCollate([true, false]).dtype, "bool");
    assert.deepEqual(defaultCollate(["a", "b"]), ["a", "b"]);
  });

  it("stacks tensors and refuses mismatched shapes with PyTorch's message", () => {
    assert.deepEqual(defaultCollate([tensor([1, 2]), tensor([3, 4])]).tolist(), [
      [1, 2],
      [3, 4],
    ]);
    // PyTorch writes shapes as [2, 3]; so does torchlet.
    assert.throws(
      () => defaultCollate([zeros([2, 3]), zeros([2, 4])]),
      (e: Error) => e instanceof ShapeError && e.message === fx.errors.stack,
    );
    assert.throws(
      () =>
        defaultCollate([
          [1, 2],
          [1, 2, 3],
        ]),
      (e: Error) => e.message === fx.errors.ragged,
    );
  });

  it("refuses values it cannot batch", () => {
    assert.throws(
      () => defaultCollate([new Map(), new Map()]),
      (e: Error) =>
        e instanceof ArgumentTypeError && /default_collate: batch must contain/.test(e.message),
    );
    assert.throws(() => defaultCollate([]), /empty/);
  });
});
