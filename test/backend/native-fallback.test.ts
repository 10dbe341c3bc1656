// With the native build forced off (TORCHLET_NATIVE=0, read when the module loads), torchlet
// still works on the other backends and says why native is off, in one line.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const script = `
  const native = await import("./src/backend/native/index.ts");
  const torch = await import("./src/index.ts");
  const chosen = native.registerNativeBackend();
  const y = torch.matmul(torch.ones([64, 64]), torch.ones([64, 64]));
  console.log(JSON.stringify({ status: native.nativeBackendStatus(), chosen, y: y.sum().item() }));
`;

function runWith(env: Record<string, string>): {
  stdout: string;
  stderr: string;
  status: number | null;
} {
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", script],
    {
      env: { ...process.env, ...env },
      encoding: "utf8",
    },
  );
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

describe("native backend: fallback", () => {
  it("TORCHLET_NATIVE=0 turns it off with a reason and leaves the WebAssembly backend working", () => {
    const r = runWith({ TORCHLET_NATIVE: "0", TORCHLET_BACKEND: "" });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim()) as {
      status: { available: boolean; reason: string };
      chosen: string;
      y: number;
    };
    assert.deepEqual(out.status, { available: false, reason: "disabled by TORCHLET_NATIVE=0" });
    assert.equal(out.chosen, "wasm"); // the default when native is off
    assert.equal(out.y, 64 * 64 * 64);
  });

  it("forcing TORCHLET_BACKEND=native while it is off warns in one line and keeps working", () => {
    const r = runWith({ TORCHLET_NATIVE: "0", TORCHLET_BACKEND: "native" });
    assert.equal(r.status, 0, r.stderr);
    const warnings = r.stderr.split("\n").filter((l) => l.includes("torchlet:"));
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0]!,
      /TORCHLET_BACKEND=native is not available: disabled by TORCHLET_NATIVE=0/,
    );
    assert.equal((JSON.parse(r.stdout.trim()) as { chosen: string }).chosen, "wasm");
  });

  it("TORCHLET_BACKEND=reference wins over an available native backend", () => {
    const r = runWith({ TORCHLET_BACKEND: "reference" });
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout.trim()) as { chosen: string }).chosen, "reference");
  });

  it("TORCHLET_NATIVE_ISA forces a lower GEMM path at load", (t) => {
    const probe = runWith({ TORCHLET_BACKEND: "" });
    const status = (JSON.parse(probe.stdout.trim()) as { status: { available: boolean } }).status;
    if (!status.available) {
      t.skip("native backend not available (addon not built)");
      return;
    }
    const r = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "--input-type=module",
        "-e",
        `const n = await import("./src/backend/native/index.ts"); console.log(n.nativeAddon().getIsa());`,
      ],
      { env: { ...process.env, TORCHLET_NATIVE_ISA: "portable" }, encoding: "utf8" },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), "portable");
  });

  it("TORCHLET_NATIVE_ADDON naming a missing file turns it off with that reason", () => {
    const missing = join(tmpdir(), "torchlet-no-such-addon.node");
    const r = runWith({ TORCHLET_NATIVE_ADDON: missing, TORCHLET_BACKEND: "" });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim()) as { status: unknown; chosen: string };
    assert.deepEqual(out.status, {
      available: false,
      reason: `no addon at TORCHLET_NATIVE_ADDON=${missing}`,
    });
    assert.equal(out.chosen, "wasm");
  });

  it("TORCHLET_NATIVE_ADDON loads the file it names instead of native/build", (t) => {
    const built = join("native", "build", "Release", "torchlet_native.node");
    if (!existsSync(built)) {
      t.skip("native backend not available (addon not built)");
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), "torchlet-addon-"));
    try {
      const other = join(dir, "other.node");
      copyFileSync(built, other);
      // The .node files this process loaded, from require's cache (the loader uses createRequire).
      const r = spawnSync(
        process.execPath,
        [
          "--import",
          "tsx",
          "--input-type=module",
          "-e",
          `const n = await import("./src/backend/native/index.ts");
           const { createRequire } = await import("node:module");
           const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.endsWith(".node"));
           console.log(JSON.stringify({ available: n.nativeBackendStatus().available, loaded }));`,
        ],
        { env: { ...process.env, TORCHLET_NATIVE_ADDON: other }, encoding: "utf8" },
      );
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout.trim()), {
        available: true,
        loaded: [realpathSync(other)],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the build script exits 0 with one line when forced off", () => {
    const r = spawnSync(process.execPath, ["scripts/build-native.mjs"], {
      env: { ...process.env, TORCHLET_NATIVE: "0" },
      encoding: "utf8",
    });
    assert.equal(r.status, 0);
    assert.equal(r.stdout.trim().split("\n").length, 1);
    assert.match(r.stdout, /native backend off \(TORCHLET_NATIVE=0\)/);
  });
});
