// Memory stays flat over training without any dispose: bench/memtest.ts at a reduced size (the
// full size, 200 000 XOR epochs and 3 000 MLP steps, is `node --expose-gc --import tsx
// bench/memtest.ts`, too slow for every test run). It runs in a child process because forcing
// garbage collection needs node's --expose-gc flag.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

interface Report {
  program: string;
  growth: number;
  bound: number;
  ok: boolean;
}

describe("memory", () => {
  it("heap + external memory stay within a bound while training XOR and an MLP", () => {
    const run = spawnSync(
      process.execPath,
      [
        "--expose-gc",
        "--import",
        "tsx",
        "bench/memtest.ts",
        "--xor-epochs",
        "6000",
        "--mlp-steps",
        "60",
      ],
      { encoding: "utf8" },
    );
    const reports = run.stdout
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Report);
    assert.deepEqual(
      reports.map((r) => r.program),
      ["xor", "mlp"],
      run.stderr,
    );
    for (const r of reports) {
      assert.ok(r.ok, `${r.program}: grew ${r.growth} bytes after warm-up (bound ${r.bound})`);
    }
    assert.equal(run.status, 0, run.stderr);
  });
});
