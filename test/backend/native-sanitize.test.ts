// Builds native/test/harness.c with AddressSanitizer and UndefinedBehaviorSanitizer and runs it:
// random shapes, strides, offsets and broadcast batches against naive loops, on every ISA this
// CPU has, 1 and 3 threads, in exactly-sized buffers so any stray read or write is caught.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const cc = process.env.CC ?? "cc";
const probe = spawnSync(cc, ["--version"], { encoding: "utf8" });
const skip = probe.status === 0 ? false : `no C compiler (${cc}) to build the sanitizer harness`;

describe("native kernels under ASan + UBSan", { skip }, () => {
  it("match naive loops with no memory or UB errors", { timeout: 120_000 }, (t) => {
    const dir = mkdtempSync(join(tmpdir(), "torchlet-asan-"));
    try {
      const exe = join(dir, "harness");
      const sources = readdirSync("native/src")
        .filter((f) => f.endsWith(".c") && f !== "addon.c")
        .map((f) => join("native/src", f));
      const build = spawnSync(
        cc,
        [
          "-O1",
          "-g",
          "-std=c11",
          "-fsanitize=address,undefined",
          "-fno-sanitize-recover=all",
          "-fno-omit-frame-pointer",
          "native/test/harness.c",
          ...sources,
          "-lm",
          "-lpthread",
          "-o",
          exe,
        ],
        { encoding: "utf8" },
      );
      if (build.status !== 0 && /sanitize|asan|ubsan/i.test(build.stderr)) {
        // A compiler without the sanitizer runtimes cannot run this test; say so instead of failing.
        t.skip(`compiler lacks sanitizer runtimes: ${build.stderr.split("\n")[0]}`);
        return;
      }
      assert.equal(build.status, 0, build.stderr);
      const run = spawnSync(exe, [], { encoding: "utf8", timeout: 100_000 });
      assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
      assert.match(run.stdout, /portable: ok/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
