import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { loadFixture } from "../helpers/fixtures.js";

/** Splits printed text into its words and numbers, so "0.0" (Python) equals "0" (JavaScript). */
function tokens(text: string): (string | number)[] {
  return text
    .trim()
    .split(/[\s,()[\]:]+/)
    .filter((t) => t.length > 0)
    .map((t) => (/^-?[0-9.]+(e[-+]?[0-9]+)?\.?$/.test(t) ? Number(t) : t));
}

function runExample(name: string): string {
  const result = spawnSync(process.execPath, ["--import", "tsx", `examples/${name}.ts`], {
    encoding: "utf8",
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

describe("the examples print what their PyTorch originals print", () => {
  for (const name of ["xor", "dropout"]) {
    it(`examples/${name}.ts vs examples/pytorch/${name}.py (numbers within 1e-5 relative)`, () => {
      const want = tokens(loadFixture<{ stdout: string }>("examples", name).stdout);
      const got = tokens(runExample(name));
      assert.equal(got.length, want.length, `token count: ${got.join(" ")}`);
      got.forEach((g, i) => {
        const w = want[i]!;
        if (typeof w === "number" && typeof g === "number") {
          assert.ok(
            Math.abs(g - w) <= 1e-5 * Math.abs(w) + 1e-7,
            `token ${i}: ${g} vs PyTorch ${w}`,
          );
        } else assert.equal(g, w, `token ${i}`);
      });
    });
  }
});
