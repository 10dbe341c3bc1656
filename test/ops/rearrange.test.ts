import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import { autograd } from "../../src/index.js";
import { loadFixture } from "../helpers/fixtures.js";
import { f64 } from "../helpers/inputs.js";
import { runOpCases, type OpCase } from "../helpers/op-cases.js";

const cases = (name: string): OpCase[] => loadFixture<{ cases: OpCase[] }>("ops_index", name).cases;
const nums = (v: unknown): number[] => v as number[];

describe("repeat", () => {
  runOpCases(cases("repeat"), ([x], k) => x!.repeat(nums(k.sizes)));
  it("passes gradcheck", () => {
    assert.ok(autograd.gradcheck((x) => x!.repeat(2, 1, 3), [f64(2, 2)]));
  });
});

describe("tile", () => {
  runOpCases(cases("tile"), ([x], k) => torch.tile(x!, nums(k.dims)));
  it("passes gradcheck", () => {
    assert.ok(autograd.gradcheck((x) => x!.tile([2]), [f64(2, 3)]));
  });
});

describe("flip", () => {
  runOpCases(cases("flip"), ([x], k) => torch.flip(x!, nums(k.dims)));
  it("copies (no shared storage) and passes gradcheck", () => {
    const x = torch.arange(3);
    const y = x.flip(0);
    y.fill_(7);
    assert.deepEqual(x.tolist(), [0, 1, 2]);
    assert.ok(autograd.gradcheck((t) => t!.flip([0, 1]), [f64(2, 3)]));
  });
});

describe("roll", () => {
  runOpCases(cases("roll"), ([x], k) =>
    torch.roll(x!, k.shifts as number | number[], k.dims as number[] | undefined),
  );
  it("passes gradcheck", () => {
    assert.ok(autograd.gradcheck((x) => x!.roll([1, -2], [0, 1]), [f64(3, 4)]));
  });
});

describe("tril / triu", () => {
  runOpCases(cases("tril"), ([x], k) => torch.tril(x!, k.diagonal as number));
  runOpCases(cases("triu"), ([x], k) => torch.triu(x!, k.diagonal as number));
  it("pass gradcheck", () => {
    assert.ok(autograd.gradcheck((x) => x!.tril(-1), [f64(2, 3, 3)]));
    assert.ok(autograd.gradcheck((x) => x!.triu(1), [f64(3, 4)]));
  });
  it("keep bool and int dtypes", () => {
    assert.deepEqual(torch.ones(2, 2).bool().tril().tolist(), [
      [true, false],
      [true, true],
    ]);
    assert.equal(torch.ones(2, 2).int().triu().dtype, "int32");
  });
});
