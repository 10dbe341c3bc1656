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

function runExample(name: string, env: Record<string, string> = {}): string {
  const preload = ["--import", "./examples/support/seed-from-env.ts"];
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", ...preload, `examples/${name}.ts`],
    {
      encoding: "utf8",
      env: { ...process.env, ...env },
    },
  );
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

describe("the examples print what their PyTorch originals print", () => {
  const cases: { script: string; fixture: string; env: Record<string, string> }[] = [
    { script: "dropout", fixture: "dropout", env: {} },
    // The founding program has no manualSeed; SEED seeds it, as for the fixture's PyTorch run.
    { script: "seed", fixture: "seed", env: { SEED: "16" } },
    { script: "seed-dropout", fixture: "seed_dropout", env: {} },
  ];
  for (const { script, fixture, env } of cases) {
    it(`examples/${script}.ts vs examples/pytorch/${fixture}.py (numbers within 1e-5 relative)`, () => {
      const want = tokens(loadFixture<{ stdout: string }>("examples", fixture).stdout);
      const got = tokens(runExample(script, env));
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

describe("the founding program without SEED", () => {
  it("starts from a random seed, as PyTorch does: two runs print different first losses", () => {
    const firstLine = (out: string): string => out.split("\n")[0]!;
    const a = firstLine(runExample("seed", { SEED: "" }));
    const b = firstLine(runExample("seed", { SEED: "" }));
    assert.match(a, /^Epoch 0, Loss: 0\.\d+/);
    assert.notEqual(a, b);
  });
});
