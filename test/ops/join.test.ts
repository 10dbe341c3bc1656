import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import * as torch from "../../src/index.js";
import { autograd, type Tensor } from "../../src/index.js";
import { loadFixture } from "../helpers/fixtures.js";
import { f64, seeded } from "../helpers/inputs.js";
import { runOpCases, type OpCase } from "../helpers/op-cases.js";

const cases = (name: string): OpCase[] => loadFixture<{ cases: OpCase[] }>("ops_index", name).cases;
const num = (v: unknown): number => v as number;
const dimOf = (k: Record<string, unknown>): number | undefined => k.dim as number | undefined;

/** The fixtures' encoding of a list of pieces: cat of each flattened piece times (i + 1). */
const pieces = (ps: readonly Tensor[]): Tensor =>
  torch.cat(ps.map((p, i) => p.reshape(-1).mul(i + 1)));

describe("cat", () => {
  runOpCases(cases("cat"), (xs, k) => torch.cat(xs, dimOf(k)));

  it("passes gradcheck", () => {
    assert.ok(autograd.gradcheck((a, b) => torch.cat([a!, b!], 1), [f64(2, 3), f64(2, 2)]));
    assert.ok(autograd.gradgradcheck((a, b) => torch.cat([a!, b!]), [f64(1, 3), f64(2, 3)]));
  });

  it("round-trips with split (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        (shape, sizes, dimSeed) => {
          const d = dimSeed % shape.length;
          const parts = sizes.map((s, i) => {
            const sh = [...shape];
            sh[d] = s;
            return seeded(sh, i + 1);
          });
          const whole = torch.cat(parts, d);
          assert.equal(
            whole.shape[d],
            sizes.reduce((a, b) => a + b, 0),
          );
          const back = torch.split(whole, sizes, d);
          back.forEach((b, i) => assert.deepEqual(b.tolist(), parts[i]!.tolist()));
          const size = Math.max(1, sizes[0]!);
          const rejoined = torch.cat(torch.split(whole, size, d), d);
          assert.deepEqual(rejoined.tolist(), whole.tolist());
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("stack", () => {
  runOpCases(cases("stack"), (xs, k) => torch.stack(xs, dimOf(k)));

  it("passes gradcheck", () => {
    assert.ok(autograd.gradcheck((a, b) => torch.stack([a!, b!], -1), [f64(2, 3), f64(2, 3)]));
  });
});

describe("split", () => {
  runOpCases(cases("split"), ([x], k) =>
    pieces(torch.split(x!, k.size as number | number[], dimOf(k))),
  );

  it("returns views that share storage, as PyTorch", () => {
    const x = torch.zeros(4, 2);
    const [a, b] = x.split(2);
    a!.fill_(1);
    assert.deepEqual(x.tolist(), [
      [1, 1],
      [1, 1],
      [0, 0],
      [0, 0],
    ]);
    assert.deepEqual(b!.shape, [2, 2]);
  });

  it("gives a size-0 dim one empty piece, as PyTorch", () => {
    assert.deepEqual(
      torch.split(torch.zeros(0, 2), 0).map((p) => p.shape),
      [[0, 2]],
    );
  });

  it("passes gradcheck", () => {
    assert.ok(autograd.gradcheck((x) => torch.split(x!, [1, 2], 1), [f64(2, 3)]));
  });
});

describe("chunk", () => {
  runOpCases(cases("chunk"), ([x], k) => pieces(torch.chunk(x!, num(k.chunks), dimOf(k))));

  it("follows PyTorch's sizes rule (6 into 4 gives 3 pieces of 2)", () => {
    assert.deepEqual(
      torch.chunk(torch.arange(6), 4).map((p) => p.shape[0]),
      [2, 2, 2],
    );
    assert.deepEqual(
      torch.chunk(torch.zeros(0), 3).map((p) => p.shape[0]),
      [0, 0, 0],
    );
  });

  it("passes gradcheck", () => {
    assert.ok(autograd.gradcheck((x) => x!.chunk(2, 0), [f64(3, 2)]));
  });
});

describe("unbind", () => {
  runOpCases(cases("unbind"), ([x], k) => pieces(torch.unbind(x!, dimOf(k))));

  it("passes gradcheck", () => {
    assert.ok(autograd.gradcheck((x) => x!.unbind(1), [f64(2, 3)]));
  });
});
