// examples/legendre-polynomial.ts (PyTorch's custom-Function tutorial, ported line for line)
// prints what its Python twin examples/pytorch/legendre_polynomial.py printed under PyTorch 1.13
// (fixtures/examples/legendre_polynomial.json, made by scripts/fixtures/examples.py).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { loadFixture } from "../helpers/fixtures.js";

const NUMBER = "(-?[0-9.]+(?:e[-+]?[0-9]+)?)";
const RESULT = new RegExp(
  `^Result: y = ${NUMBER} \\+ ${NUMBER} \\* P3\\(${NUMBER} \\+ ${NUMBER} x\\)$`,
);

interface Printed {
  losses: [number, number][];
  abcd: number[];
}

/** The "t loss" lines and the final "Result: y = a + b * P3(c + d x)" line. */
function parse(stdout: string): Printed {
  const lines = stdout.trim().split("\n");
  const result = RESULT.exec(lines.pop()!);
  assert.ok(result, `last line: ${stdout.trim().split("\n").pop()}`);
  const losses = lines.map((l): [number, number] => {
    const [t, loss] = l.trim().split(/\s+/).map(Number);
    return [t!, loss!];
  });
  return { losses, abcd: result.slice(1).map(Number) };
}

describe("examples/legendre-polynomial.ts vs its PyTorch twin", () => {
  it("prints the same losses every 100 steps and the same fitted polynomial", () => {
    const want = parse(loadFixture<{ stdout: string }>("examples", "legendre_polynomial").stdout);
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "examples/legendre-polynomial.ts"],
      {
        encoding: "utf8",
      },
    );
    assert.equal(run.status, 0, run.stderr);
    const got = parse(run.stdout);
    assert.equal(got.losses.length, 20);
    assert.deepEqual(
      got.losses.map(([t]) => t),
      want.losses.map(([t]) => t),
    );
    // float32 over 2000 steps, sums of 2000 terms in another order: 1e-5 relative.
    got.losses.forEach(([t, loss], i) => {
      const w = want.losses[i]![1];
      assert.ok(Math.abs(loss - w) <= 1e-5 * Math.abs(w), `step ${t}: loss ${loss}, PyTorch ${w}`);
    });
    const [a, b, c, d] = got.abcd as [number, number, number, number];
    const [wa, wb, wc, wd] = want.abcd as [number, number, number, number];
    assert.ok(Math.abs(b - wb) <= 1e-5 * Math.abs(wb), `b ${b}, PyTorch ${wb}`);
    assert.ok(Math.abs(d - wd) <= 1e-5 * Math.abs(wd), `d ${d}, PyTorch ${wd}`);
    // a and c end at zero up to rounding (sin is odd): their gradients are sums of 2000 terms
    // that cancel, so only their size can be compared (PyTorch: about 1e-9).
    assert.ok(Math.abs(a - wa) <= 1e-6, `a ${a}, PyTorch ${wa}`);
    assert.ok(Math.abs(c - wc) <= 1e-6, `c ${c}, PyTorch ${wc}`);
  });
});
