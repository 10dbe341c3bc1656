import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { nativeAddon } from "../../src/backend/native/index.js";
import { loadFixture } from "../helpers/fixtures.js";

// scripts/fixtures/char_lstm.py ran the PyTorch twin at test size (dropout 0) and saved its
// initial weights; torchlet's example starts from them and must print PyTorch's losses.
const fx = loadFixture<{ args: string[]; init: string; losses: number[] }>("examples", "char_lstm");
const backends = ["reference", "wasm", ...(nativeAddon() ? ["native"] : [])];

describe("examples/char-lstm.ts follows PyTorch's trajectory", () => {
  for (const backend of backends) {
    it(`first 50 training losses equal PyTorch's to 1e-4 relative (${backend})`, () => {
      const run = spawnSync(
        process.execPath,
        [
          "--import",
          "tsx",
          "examples/char-lstm.ts",
          ...fx.args,
          "--init",
          fx.init,
          "--backend",
          backend,
        ],
        { encoding: "utf8" },
      );
      assert.equal(run.status, 0, run.stderr);
      const losses = [...run.stdout.matchAll(/^step \d+ loss ([0-9.]+)$/gm)].map((m) =>
        Number(m[1]),
      );
      assert.equal(losses.length, fx.losses.length, run.stdout);
      losses.forEach((l, i) => {
        const want = fx.losses[i]!;
        assert.ok(
          Math.abs(l - want) <= 1e-4 * Math.abs(want),
          `step ${i}: ${l} vs PyTorch ${want}`,
        );
      });
    });
  }
});
