// The founding XOR program in a real browser: examples/browser bundled for browsers (no Node
// built-ins), run in headless Chromium, must print PyTorch's numbers on the "wasm" backend.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserXorResult } from "../../examples/browser/xor.js";
import { loadFixture, type EncodedTensor } from "../helpers/fixtures.js";
import { findChromium, runPage } from "./chromium.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const chromium = findChromium();
const run = loadFixture<{
  runs: { seed: number; lossEvery1000: number[]; probe: EncodedTensor }[];
}>("xor", "xor").runs.find((r) => r.seed === 16)!;

function assertRelClose(got: number, want: number, message: string): void {
  assert.ok(Math.abs(got - want) <= 1e-5 * Math.abs(want), `${message}: ${got}, PyTorch ${want}`);
}

describe(
  "examples/browser in headless Chromium",
  { skip: chromium ? false : "Chromium is not installed (apt-get install -y chromium)" },
  () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), "torchlet-browser-"));
      const built = spawnSync(
        process.execPath,
        [join(root, "scripts/build-browser-example.mjs"), dir],
        { encoding: "utf8" },
      );
      assert.equal(built.status, 0, `build failed:\n${built.stdout}\n${built.stderr}`);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    for (const isolated of [false, true]) {
      const memory = isolated ? "shared" : "private";
      it(`${isolated ? "cross-origin isolated" : "plain"} page: XOR trains to PyTorch's numbers on wasm (${memory} memory)`, async (t) => {
        // Seconds of work; the limit only stops a page that never reports.
        const report = await runPage(chromium!, dir, { isolated, timeoutMs: 120_000 });
        assert.equal(report.status, "done", `the page failed:\n${report.text}`);
        assert.equal(report.crossOriginIsolated, isolated);
        const result = JSON.parse(report.text) as BrowserXorResult;
        t.diagnostic(
          `backend ${result.backend} (${result.variant}, ${result.memory} memory), ` +
            `${(result.msPerEpoch * 1000).toFixed(1)} µs per epoch`,
        );

        assert.equal(result.backend, "wasm");
        assert.equal(result.memory, memory);
        assert.equal(result.lossEvery1000.length, run.lossEvery1000.length);
        result.lossEvery1000.forEach((l, i) =>
          assertRelClose(l, run.lossEvery1000[i]!, `epoch ${i * 1000} loss`),
        );
        assert.deepEqual(result.prediction.length, run.probe.data.length);
        result.prediction.forEach((p, i) =>
          assertRelClose(p, run.probe.data[i] as number, `prediction ${i}`),
        );
        assert.ok(result.msPerEpoch > 0 && Number.isFinite(result.msPerEpoch));
        // A 32x32 product runs in the WASM kernel; its sums differ from the loops' only by order.
        assert.ok(result.gemmMaxDiff < 1e-4, `wasm vs reference matmul: ${result.gemmMaxDiff}`);
      });
    }
  },
);
