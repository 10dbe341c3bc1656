import { it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

it("the README's API tour (examples/tour.ts) runs as written", () => {
  const result = spawnSync(process.execPath, ["--import", "tsx", "examples/tour.ts"], {
    encoding: "utf8",
  });
  assert.equal(result.status, 0, result.stderr);
  assert.match(
    result.stdout,
    /^tensor\(\[\[11\., 14\.\],\n {8}\[22\., 25\.\],\n {8}\[33\., 36\.\]\]\)/,
  );
  assert.match(result.stdout, /float32 float64/);
  assert.match(result.stdout, /\ntrue\n/); // gradcheck
  assert.match(result.stdout, /0\.weight 0\.bias 3\.weight 3\.bias/);
  assert.match(result.stdout, /\[ 0\.0025 \]/); // 1e-2 halved twice by StepLR over 10 epochs
  assert.match(
    result.stdout,
    /size mismatch for weight: copying a param with shape torch\.Size\(\[2, 3\]\)/,
  );
});

it("the README shows examples/tour.ts and examples/seed.ts as they are", async () => {
  const { readFileSync } = await import("node:fs");
  const readme = readFileSync("README.md", "utf8");
  for (const file of ["examples/tour.ts", "examples/seed.ts"]) {
    const code = readFileSync(file, "utf8");
    const body = code.slice(code.indexOf("import * as torch"));
    assert.ok(readme.includes(body), `README.md does not contain the current ${file}`);
  }
});
