import assert from "node:assert/strict";
import type { Tensor } from "../../src/index.js";
import { decodeNumber, type EncodedTensor } from "../helpers/fixtures.js";

/** Asserts bit-for-bit equality with a PyTorch fixture tensor (shape, dtype and every value). */
export function assertExact(actual: Tensor, expected: EncodedTensor, message = ""): void {
  assert.deepEqual([...actual.shape], expected.shape, `${message} shape`);
  assert.equal(actual.dtype, expected.dtype, `${message} dtype`);
  assert.deepEqual(
    Array.from(actual.toArray()),
    expected.data.map(decodeNumber),
    `${message} values`,
  );
}
