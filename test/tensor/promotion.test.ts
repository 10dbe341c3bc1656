// Type promotion against the table PyTorch produced (scripts/fixtures/tensor_core.py):
// torch.promote_types for every dtype pair, and torch.result_type for every pair of operand
// kinds (dimensioned tensor, 0-d tensor, Python scalar) as seen through add and mul.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import type { DType } from "../../src/index.js";
import { loadFixture } from "../helpers/fixtures.js";

type Operand =
  { kind: "tensor" | "zeroDim"; dtype: DType } | { kind: "scalar"; value: number | boolean };

interface PromotionFixture {
  promoteTypes: { a: DType; b: DType; promoteTypes: DType }[];
  resultType: { a: Operand; b: Operand; result: DType }[];
}

const table = loadFixture<PromotionFixture>("tensor_core", "promotion");

function build(o: Operand): torch.Tensor | number | boolean {
  if (o.kind === "scalar") return o.value;
  return torch.ones(o.kind === "tensor" ? [2] : [], { dtype: o.dtype });
}

const label = (o: Operand): string =>
  o.kind === "scalar" ? `scalar ${o.value}` : `${o.kind} ${o.dtype}`;

describe("type promotion vs PyTorch", () => {
  it("promoteTypes matches torch.promote_types for every pair", () => {
    assert.equal(table.promoteTypes.length, 16);
    for (const { a, b, promoteTypes } of table.promoteTypes)
      assert.equal(torch.promoteTypes(a, b), promoteTypes, `${a}, ${b}`);
  });

  for (const { a, b, result } of table.resultType) {
    it(`${label(a)} with ${label(b)} -> ${result}`, () => {
      const x = build(a) as torch.Tensor;
      const y = build(b);
      assert.equal(torch.add(x, y).dtype, result, "add");
      assert.equal(torch.mul(x, y).dtype, result, "mul");
      if (b.kind !== "scalar") assert.equal(torch.mul(y, x).dtype, result, "mul, operands swapped");
    });
  }
});
