import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import { autograd, type Tensor } from "../../src/index.js";
import { loadFixture } from "../helpers/fixtures.js";
import { f64 } from "../helpers/inputs.js";
import { runOpCases, type OpCase } from "../helpers/op-cases.js";

const cases = (name: string): OpCase[] => loadFixture<{ cases: OpCase[] }>("ops_index", name).cases;
const dimOf = (k: Record<string, unknown>): number => k.dim as number;
const long = (values: number[], shape: number[] = [values.length]): Tensor =>
  torch.tensor(values, { dtype: "int64" }).reshape(shape);

describe("gather", () => {
  runOpCases(cases("gather"), ([x, i], k) => torch.gather(x!, dimOf(k), i!));

  it("passes gradcheck and gradgradcheck", () => {
    const i = long([0, 2, 2, 1, 1, 0], [3, 2]);
    assert.ok(autograd.gradcheck((x) => x!.gather(1, i), [f64(3, 3)]));
    assert.ok(autograd.gradgradcheck((x) => x!.gather(0, i), [f64(3, 2)]));
  });
});

describe("scatter", () => {
  runOpCases(cases("scatter"), ([x, i, s], k) =>
    torch.scatter(x!, dimOf(k), i!, s ?? (k.value as number)),
  );

  it("passes gradcheck (self and src)", () => {
    const i = long([3, 0, 1, 2], [2, 2]);
    assert.ok(autograd.gradcheck((x, s) => x!.scatter(1, i, s!), [f64(2, 4), f64(2, 2)]));
    assert.ok(autograd.gradcheck((x) => x!.scatter(1, i, 2.5), [f64(2, 4)]));
  });

  it("scatter_ writes in place and bumps the version", () => {
    const x = torch.zeros(2, 3);
    const v = x.version;
    const out = x.scatter_(1, long([2, 0], [2, 1]), 1);
    assert.equal(out, x);
    assert.deepEqual(x.tolist(), [
      [0, 0, 1],
      [1, 0, 0],
    ]);
    assert.ok(x.version > v);
  });
});

describe("scatterAdd", () => {
  runOpCases(cases("scatter_add"), ([x, i, s], k) => torch.scatterAdd(x!, dimOf(k), i!, s!));

  it("passes gradcheck, including a src larger than index", () => {
    const i = long([0, 0, 2, 1], [2, 2]);
    assert.ok(autograd.gradcheck((x, s) => x!.scatterAdd(1, i, s!), [f64(2, 3), f64(2, 2)]));
    // PyTorch refuses this backward ("invalid gradient"); torchlet pads src's gradient with zeros.
    assert.ok(autograd.gradcheck((x, s) => x!.scatterAdd(1, i, s!), [f64(2, 3), f64(3, 4)]));
    assert.ok(autograd.gradgradcheck((x, s) => x!.scatterAdd(1, i, s!), [f64(2, 3), f64(2, 2)]));
  });

  it("scatterAdd_ accumulates in place and refuses a leaf that requires grad", () => {
    const x = torch.zeros(3);
    x.scatterAdd_(0, long([0, 0, 2]), torch.ones(3));
    assert.deepEqual(x.tolist(), [2, 0, 1]);
    const leaf = torch.zeros(3).requiresGrad_(true);
    assert.throws(() => leaf.scatterAdd_(0, long([0]), torch.ones(1)), {
      name: "AutogradError",
    });
  });
});

describe("indexSelect", () => {
  runOpCases(cases("index_select"), ([x, i], k) => torch.indexSelect(x!, dimOf(k), i!), {
    // PyTorch's CPU message here is "INDICES element is out of DATA bounds, id=5 axis_dim=3".
    errorMatches: (c) =>
      c.name === "out of bounds"
        ? "index 5 is out of bounds for dimension 1 with size 3"
        : c.name === "negative index"
          ? "index -1 is out of bounds for dimension 1 with size 3"
          : c.error!,
  });

  it("passes gradcheck with repeated indices", () => {
    const i = long([2, 0, 2]);
    assert.ok(autograd.gradcheck((x) => x!.indexSelect(1, i), [f64(2, 3)]));
  });
});

describe("maskedFill", () => {
  runOpCases(cases("masked_fill"), ([x, m, v], k) =>
    k.inplace === true
      ? x!.maskedFill_(m!, k.value as number)
      : v !== undefined
        ? x!.maskedFill(m!, v)
        : x!.maskedFill(m!, k.value as number),
  );

  it("masked_fill_ refuses a mask larger than the tensor", () => {
    const x = torch.zeros(2, 3);
    assert.throws(() => x.maskedFill_(torch.ones(4, 2, 3).bool(), 1), {
      name: "ShapeError",
      message: /output with shape \[2, 3\] doesn't match the broadcast shape \[4, 2, 3\]/,
    });
  });

  it("masked_fill_ writes in place", () => {
    const x = torch.tensor([1, -2, 3]);
    x.maskedFill_(x.lt(0), 0);
    assert.deepEqual(x.tolist(), [1, 0, 3]);
  });

  it("rejects a non-bool mask", () => {
    assert.throws(() => torch.zeros(2).maskedFill(torch.ones(2), 1), {
      name: "DTypeError",
      message: "masked_fill_ only supports boolean masks, but got mask with dtype float32",
    });
  });

  it("passes gradcheck (input and 0-d value)", () => {
    const m = torch.tensor([
      [true, false, true],
      [false, false, true],
    ]);
    assert.ok(autograd.gradcheck((x, v) => x!.maskedFill(m, v!), [f64(2, 3), f64()]));
  });
});

describe("maskedSelect", () => {
  runOpCases(cases("masked_select"), ([x, m]) => x!.maskedSelect(m!), {
    errorMatches: () => "masked_select: expected BoolTensor for mask",
  });

  it("passes gradcheck with a broadcast mask", () => {
    const m = torch.tensor([true, false, true]);
    assert.ok(autograd.gradcheck((x) => x!.maskedSelect(m), [f64(2, 3)]));
  });
});
