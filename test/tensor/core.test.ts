import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";

describe("tensor core", () => {
  it("infers dtypes from JavaScript values as PyTorch does from Python ones", () => {
    assert.equal(torch.tensor([1, 2]).dtype, "int32");
    assert.equal(torch.tensor([1.5, 2]).dtype, "float32");
    assert.equal(torch.tensor([true, false]).dtype, "bool");
    assert.equal(torch.tensor(new Float64Array([1])).dtype, "float64");
    assert.equal(torch.tensor([1], { dtype: "int64" }).dtype, "int32");
  });

  it("promotes types by PyTorch's rules", () => {
    const i = torch.tensor([1, 2]);
    const f = torch.tensor([1.5, 2]);
    const d = torch.tensor([1, 2], { dtype: "float64" });
    assert.equal(i.add(f).dtype, "float32");
    assert.equal(f.add(d).dtype, "float64");
    assert.equal(i.add(2.5).dtype, "float32");
    assert.equal(d.add(2.5).dtype, "float64");
    assert.equal(f.add(torch.tensor(1, { dtype: "float64" })).dtype, "float32");
    assert.equal(i.add(torch.tensor(1.5, { dtype: "float64" })).dtype, "float64");
    assert.equal(torch.tensor([true]).add(1).dtype, "int32");
    assert.equal(i.div(2).dtype, "float32");
  });

  it("rejects ragged nested arrays with PyTorch's message", () => {
    assert.throws(() => torch.tensor([[1, 2], [3]]), {
      name: "ShapeError",
      message: "expected sequence of length 2 at dim 1 (got 1)",
    });
  });

  it("prints like PyTorch", () => {
    assert.equal(
      String(torch.tensor([[0.1, 0.2]], { requiresGrad: true })),
      "tensor([[0.1000, 0.2000]], requires_grad=True)",
    );
    assert.equal(String(torch.tensor([1, 2, 3])), "tensor([1, 2, 3])");
    assert.equal(String(torch.tensor([1, 2], { dtype: "float32" })), "tensor([1., 2.])");
    assert.equal(String(torch.tensor(2.5)), "tensor(2.5000)");
    assert.equal(
      String(torch.tensor([1, 2], { dtype: "float64" })),
      "tensor([1., 2.], dtype=torch.float64)",
    );
    assert.equal(String(torch.tensor([true, false])), "tensor([ True, False])");
    assert.equal(String(torch.zeros([0])), "tensor([])");
    assert.equal(String(torch.zeros([2, 0])), "tensor([], size=(2, 0))");
  });

  it("reads values synchronously and asynchronously", async () => {
    const t = torch.arange(6).view(2, 3).T;
    assert.deepEqual(t.tolist(), [
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    assert.deepEqual([...(await t.data())], [0, 3, 1, 4, 2, 5]);
    assert.equal(torch.tensor([[7]]).item(), 7);
    assert.throws(() => torch.ones([2]).item(), { name: "ValueError" });
  });
});
