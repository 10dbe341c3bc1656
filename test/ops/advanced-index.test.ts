import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import { autograd, type Tensor } from "../../src/index.js";
import { loadFixture } from "../helpers/fixtures.js";
import { f64 } from "../helpers/inputs.js";
import { runOpCases, type OpCase } from "../helpers/op-cases.js";

type Fn = (t: Tensor[], k: Record<string, unknown>) => Tensor;

/** Each fixture case's subscript, as written in scripts/fixtures/advanced_index.py. */
const reads: Record<string, Fn> = {
  "rows, cols": ([x, i, j]) => x!.index(i!, j!),
  "rows, cols broadcast [2,1] with [3]": ([x, i, j]) => x!.index(i!, j!),
  "repeated rows accumulate in the gradient": ([x, i, j]) => x!.index(i!, j!),
  "slice then index (adjacent, kept in place)": ([x, i]) => x!.index(":", i!),
  "slice, two adjacent indices": ([x, i, j]) => x!.index(":", i!, j!),
  "indices separated by a slice move to the front": ([x, i, j]) => x!.index(i!, "1:3", j!),
  "separated with trailing dim": ([x, i, j]) => x!.index(":", i!, ":", j!),
  "bool mask then int index": ([x, m, j]) => x!.index(m!, j!),
  "2-d bool mask with a trailing index": ([x, m, j]) => x!.index(m!, j!),
  "int after select": ([x, i, j]) => x!.index(1, i!, j!),
  "0-d index tensors": ([x, i, j]) => x!.index(i!, ":", j!),
  "ellipsis before two indices": ([x, i, j]) => x!.index("...", i!, j!),
  "transposed input": ([x, i, j]) => x!.index(i!, j!),
  "not broadcastable": ([x, i, j]) => x!.index(i!, j!),
  "out of bounds": ([x, i, j]) => x!.index(i!, j!),
  "out of bounds, second index": ([x, i, j]) => x!.index(i!, j!),
  "too many indices": ([x, i, j, k]) => x!.index(i!, j!, k!),
};

const put: Fn = ([x, i, j, v], k) => torch.indexPut(x!, [i!, j!], v!, k.accumulate as boolean);
const putInPlace: Fn = ([x, i, j, v], k) =>
  x!.mul(1).indexPut_([i!, j!], v!, k.accumulate as boolean);
const puts: Record<string, Fn> = {
  "rows, cols, values": put,
  "accumulate sums duplicates": put,
  "accumulate broadcasts a value": put,
  "in place, accumulate": putInPlace,
  "in place, overwrite": putInPlace,
  "slice and index assignment": ([x, i, v]) => x!.mul(1).indexPut_([":", i!], v!),
  "mask assignment with a row value": ([x, m, v]) => x!.mul(1).indexPut_([m!], v!),
  "value shape mismatch": put,
  "index out of bounds": put,
  "indices not broadcastable": put,
};

function run(area: string, table: Record<string, Fn>): void {
  const cases = loadFixture<{ cases: OpCase[] }>("advanced_index", area).cases;
  for (const c of cases) {
    const fn = table[c.name];
    it(`has a subscript for ${c.name}`, () => assert.ok(fn));
    if (fn) runOpCases([c], (t, k) => fn(t, k));
  }
}

describe("advanced indexing: reads vs PyTorch", () => run("read", reads));
describe("advanced indexing: indexPut / indexPut_ vs PyTorch", () => run("put", puts));

describe("advanced indexing", () => {
  it("passes float64 gradcheck for reads and writes", () => {
    const i = torch.tensor([2, 0, 2]);
    const j = torch.tensor([[1], [0]]);
    assert.ok(autograd.gradcheck((x) => x!.index(i, ":", j), [f64(3, 2, 2)]));
    assert.ok(autograd.gradcheck((x) => x!.index(":", i, j), [f64(2, 3, 2)]));
    assert.ok(
      autograd.gradcheck((x, v) => torch.indexPut(x!, [i, j], v!, true), [f64(3, 2), f64(2, 3)]),
    );
    assert.ok(
      autograd.gradcheck(
        (x, v) => torch.indexPut(x!, [":", torch.tensor([2, 0])], v!),
        [f64(2, 3), f64(1)],
      ),
    );
  });

  it("keeps basic writes as views and refuses a leaf that requires grad", () => {
    const leaf = torch.zeros(3).requiresGrad_(true);
    assert.throws(() => leaf.indexPut_([torch.tensor([0])], 1), { name: "AutogradError" });
    const x = torch.zeros(2, 2);
    x.indexPut_([torch.tensor([1, 1]), torch.tensor([0, 0])], torch.tensor([1, 2]), true);
    assert.deepEqual(x.tolist(), [
      [0, 0],
      [3, 0],
    ]);
  });
});
