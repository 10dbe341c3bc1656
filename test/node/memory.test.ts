// The Node adapters' memory settings: the addon tunes glibc malloc when it loads (unless
// TORCHLET_MALLOC_TUNING=0), and the Node entry allocates large kernel outputs unzeroed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

const script = `
  const torch = await import("./src/node.ts");
  const native = await import("./src/backend/native/index.ts");
  const addon = native.nativeAddon();
  // A product big enough for an unzeroed output (>= 4 KB), and its value.
  const y = torch.matmul(torch.ones([64, 64]), torch.ones([64, 64]));
  console.log(JSON.stringify({
    available: addon !== undefined,
    tuned: addon ? addon.mallocTuned() : null,
    sum: y.sum().item(),
  }));
`;

function run(env: Record<string, string>, nodeArgs: string[] = []) {
  const r = spawnSync(
    process.execPath,
    [...nodeArgs, "--import", "tsx", "--input-type=module", "-e", script],
    { env: { ...process.env, ...env }, encoding: "utf8" },
  );
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim()) as { available: boolean; tuned: boolean | null; sum: number };
}

const glibc = Boolean(
  (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header
    ?.glibcVersionRuntime,
);

describe("Node memory settings", () => {
  it("the addon tunes glibc malloc by default and TORCHLET_MALLOC_TUNING=0 leaves it alone", (t) => {
    const byDefault = run({ TORCHLET_MALLOC_TUNING: "" });
    if (!byDefault.available) {
      t.skip("native backend not available");
      return;
    }
    assert.equal(byDefault.tuned, glibc, "tuned exactly when the C library is glibc");
    assert.equal(run({ TORCHLET_MALLOC_TUNING: "0" }).tuned, false);
  });

  it("products into unzeroed outputs, and with --zero-fill-buffers, give the same numbers", () => {
    assert.equal(run({}).sum, 64 * 64 * 64);
    assert.equal(run({}, ["--zero-fill-buffers"]).sum, 64 * 64 * 64);
  });
});
