// Builds native/test/harness.c with AddressSanitizer and UndefinedBehaviorSanitizer and runs it:
// random shapes, strides, offsets and broadcast batches against naive loops, on every ISA this
// CPU has, 1 and 3 threads, in exactly-sized buffers so any stray read or write is caught.
// Then builds the addon itself the same way (into a temporary folder, not over native/build) and
// trains an MLP and a CNN through it in a child node with the ASan runtime preloaded, so a kernel
// that writes out of bounds on real training buffers fails here instead of corrupting a run.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";

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

/**
 * The folder holding node_api.h, where scripts/build-native.mjs finds Node's headers: npm's
 * nodedir, the include/ beside the running node, or node-gyp's download cache.
 */
function nodeIncludeDir(): string | undefined {
  const cache = process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache");
  const roots = [
    process.env.npm_config_nodedir,
    resolve(dirname(process.execPath), ".."),
    join(process.env.npm_config_devdir ?? join(cache, "node-gyp"), process.versions.node),
  ];
  return roots
    .filter((r): r is string => Boolean(r))
    .map((r) => join(r, "include", "node"))
    .find((dir) => existsSync(join(dir, "node_api.h")));
}

/** The native build's target in native/binding.gyp (plain JSON), so both builds share flags. */
interface GypTarget {
  sources: string[];
  cflags: string[];
  ldflags: string[];
  libraries: string[];
}

describe("native addon under ASan + UBSan: a short training run", { skip }, () => {
  it("trains an MLP and a CNN with no memory or UB errors", { timeout: 120_000 }, (t) => {
    const include = nodeIncludeDir();
    if (!include) {
      t.skip("no Node headers (node_api.h) beside node, in npm's nodedir or node-gyp's cache");
      return;
    }
    // GCC links the shared ASan runtime into the addon, and it must be the process's first
    // library: node is not built with ASan, so the runtime is preloaded into it.
    const asan = spawnSync(cc, ["-print-file-name=libasan.so"], { encoding: "utf8" }).stdout.trim();
    if (!isAbsolute(asan) || !existsSync(asan)) {
      t.skip(`${cc} has no shared ASan runtime (libasan.so) to preload into node`);
      return;
    }
    const gyp = JSON.parse(readFileSync("native/binding.gyp", "utf8")) as { targets: GypTarget[] };
    const target = gyp.targets[0]!;
    const dir = mkdtempSync(join(tmpdir(), "torchlet-asan-addon-"));
    try {
      const addon = join(dir, "torchlet_native.node");
      const build = spawnSync(
        cc,
        [
          "-shared",
          "-fPIC",
          // -O1 as for the harness: the explicit vector kernels are the same, the build is ~2x faster.
          ...target.cflags.filter((f) => !f.startsWith("-O")),
          "-O1",
          "-g",
          "-fsanitize=address,undefined",
          "-fno-sanitize-recover=all",
          "-fno-omit-frame-pointer",
          `-I${include}`,
          ...target.sources.map((f) => join("native", f)),
          ...target.ldflags,
          ...target.libraries,
          "-o",
          addon,
        ],
        { encoding: "utf8" },
      );
      if (build.status !== 0 && /sanitize|asan|ubsan/i.test(build.stderr)) {
        t.skip(`compiler lacks sanitizer runtimes: ${build.stderr.split("\n")[0]}`);
        return;
      }
      assert.equal(build.status, 0, build.stderr);
      const run = spawnSync(
        process.execPath,
        ["--import", "tsx", "test/backend/native-sanitize-training.ts"],
        {
          encoding: "utf8",
          timeout: 100_000,
          env: {
            ...process.env,
            // This build, on every ISA, whatever the caller's environment forces.
            TORCHLET_NATIVE: "1",
            TORCHLET_NATIVE_ADDON: addon,
            TORCHLET_NATIVE_ISA: "",
            LD_PRELOAD: asan,
            // V8 keeps memory until exit by design; leak reports would be noise, not bugs.
            ASAN_OPTIONS: "detect_leaks=0",
            UBSAN_OPTIONS: "print_stacktrace=1",
          },
        },
      );
      const output = `${run.stdout}\n${run.stderr}`;
      assert.doesNotMatch(run.stderr, /ERROR: AddressSanitizer|runtime error:/, output);
      assert.equal(run.status, 0, output);
      assert.match(run.stdout, /SANITIZED_TRAINING_OK/, output);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
