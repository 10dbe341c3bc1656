import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import * as torch from "../../src/index.js";
import { autograd, type Tensor } from "../../src/index.js";
import { loadFixture } from "../helpers/fixtures.js";
import { f64, seeded } from "../helpers/inputs.js";
import { runOpCases, type OpCase } from "../helpers/op-cases.js";

const cases = loadFixture<{ cases: OpCase[] }>("ops_index", "index").cases;

/** How each fixture case without a "spec" string indexes (mirrors the Python subscript). */
const tensorCases: Record<string, (x: Tensor, t: Tensor) => Tensor> = {
  "int tensor index": (x, i) => x.index(i),
  "int tensor after select and slice": (x, i) => x.index(0, ":", i),
  "bool mask all dims": (x, m) => x.index(m),
  "bool mask leading dim": (x, m) => x.index(m),
  "bool mask after ellipsis": (x, m) => x.index("...", m),
  "tensor index out of bounds": (x, i) => x.index(i),
  "float tensor index": (x, i) => x.index(i),
  "mask shape": (x, m) => x.index(m),
  "mask shape after slice": (x, m) => x.index(":", m),
};

describe("index (Python subscripts)", () => {
  for (const c of cases) {
    runOpCases([c], ([x, t], k) =>
      typeof k.spec === "string" ? x!.index(k.spec) : tensorCases[c.name]!(x!, t!),
    );
  }

  it("accepts items as separate arguments, like the comma string", () => {
    const x = torch.arange(60).reshape(3, 4, 5);
    assert.deepEqual(x.index(1, "1:3", "::2").tolist(), x.index("1, 1:3, ::2").tolist());
    assert.deepEqual(x.index(null, "...", -1).shape, [1, 3, 4]);
    assert.deepEqual(x.index("None, ..., -1").shape, [1, 3, 4]);
  });

  it("returns views for basic indexing: writes reach the base, as in PyTorch", () => {
    const x = torch.zeros(2, 3);
    x.index(0).fill_(1);
    x.index(":", "1:").index(1).fill_(5);
    assert.deepEqual(x.tolist(), [
      [1, 1, 1],
      [0, 5, 5],
    ]);
    const y = torch.zeros(2, 3);
    x.index(torch.tensor([0])).fill_(9); // a tensor index copies
    assert.deepEqual(x.index(0).tolist(), [1, 1, 1]);
    assert.deepEqual(y.index("...", null).shape, [2, 3, 1]);
  });

  it("refuses in-place writes through a view that needs recording", () => {
    const leaf = torch.zeros(2, 3).requiresGrad_(true);
    assert.throws(() => leaf.index(0).fill_(1), { name: "NotImplementedError" });
    assert.throws(() => leaf.indexPut_([0], 1), { name: "AutogradError" });
    torch.noGrad(() => leaf.indexPut_([0], 1));
    assert.deepEqual(leaf.index(0).tolist(), [1, 1, 1]);
  });

  it("rejects bad specs with typed errors", () => {
    const x = torch.zeros(2, 3);
    assert.throws(() => x.index("...", "..."), { name: "IndexError", message: /single ellipsis/ });
    assert.throws(() => x.index("a:b"), { name: "ValueError" });
    assert.throws(() => x.index(1.5), { name: "ValueError" });
    assert.throws(() => x.index(torch.tensor([0, 1]), torch.tensor([1, 0, 1])), {
      name: "IndexError",
      message: /shape mismatch: indexing tensors could not be broadcast together/,
    });
  });

  it("passes gradcheck through slices, selects and tensor indexes", () => {
    assert.ok(autograd.gradcheck((x) => x!.index("1:, None, ::2"), [f64(3, 4)]));
    assert.ok(autograd.gradcheck((x) => x!.index(-1, torch.tensor([0, 0, 2])), [f64(2, 3)]));
    const m = torch.tensor([true, false, true, true]);
    assert.ok(autograd.gradcheck((x) => x!.index("...", m), [f64(2, 4)]));
  });

  it("matches a naive reference for random slices (property)", () => {
    const part = fc.record({
      start: fc.option(fc.integer({ min: -6, max: 6 }), { nil: undefined }),
      end: fc.option(fc.integer({ min: -6, max: 6 }), { nil: undefined }),
      step: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    });
    // Python's slice semantics for positive steps, written out element by element.
    const pick = (n: number, p: { start?: number; end?: number; step?: number }): number[] => {
      const norm = (v: number): number => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
      const s = p.start === undefined ? 0 : norm(p.start);
      const e = p.end === undefined ? n : norm(p.end);
      const out: number[] = [];
      for (let i = s; i < e; i += p.step ?? 1) out.push(i);
      return out;
    };
    const text = (p: { start?: number; end?: number; step?: number }): string =>
      `${p.start ?? ""}:${p.end ?? ""}:${p.step ?? ""}`;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        part,
        part,
        (r, c, a, b) => {
          const x = seeded([r, c], r * 7 + c);
          const got = x.index(text(a), text(b));
          const rows = pick(r, a);
          const cols = pick(c, b);
          const full = x.tolist() as number[][];
          assert.deepEqual([...got.shape], [rows.length, cols.length]);
          assert.deepEqual(
            got.tolist(),
            rows.map((i) => cols.map((j) => full[i]![j]!)),
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("indexPut_", () => {
  it("writes a broadcast value through a basic index", () => {
    const x = torch.zeros(2, 3);
    x.indexPut_([":", 2], torch.tensor([4, 5]));
    x.indexPut_(["0, :2"], 1);
    assert.deepEqual(x.tolist(), [
      [1, 1, 4],
      [0, 0, 5],
    ]);
  });

  it("fills where a bool mask is true, with PyTorch's mask-shape error", () => {
    const x = torch.tensor([
      [1, -2],
      [-3, 4],
    ]);
    x.indexPut_([x.lt(0)], 0);
    assert.deepEqual(x.tolist(), [
      [1, 0],
      [0, 4],
    ]);
    x.indexPut_([torch.tensor([false, true])], 9);
    assert.deepEqual(x.tolist(), [
      [1, 0],
      [9, 9],
    ]);
    assert.throws(() => x.indexPut_([torch.tensor([true])], 0), {
      name: "IndexError",
      message: /The shape of the mask \[1\] at index 0 does not match/,
    });
  });

  it("writes at an int tensor index (more in advanced-index.test.ts)", () => {
    assert.deepEqual(
      torch
        .zeros(3)
        .indexPut_([torch.tensor([0, 2])], 1)
        .tolist(),
      [1, 0, 1],
    );
  });
});
