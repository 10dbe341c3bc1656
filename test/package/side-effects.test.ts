// package.json's "sideEffects" lets bundlers drop the modules an app does not use. A module that
// does something on import (attaching Tensor methods, registering a backend, a side-effect-only
// import target) must be listed, or `import { tensor } from "torchlet"` loses `tensor(...).add`.
import { it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, normalize } from "node:path";

const sideEffects = (JSON.parse(readFileSync("package.json", "utf8")) as { sideEffects: string[] })
  .sideEffects;

/** The glob subset package.json uses: `**` (any folders), `*` (within one name). */
function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/^\.\//, "")
    .split("**/")
    .map((part) => part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*"))
    .join("(?:.*/)?");
  return new RegExp(`^${body}$`);
}
const patterns = sideEffects.map(globToRegExp);

/** src/a/b.ts -> dist/src/a/b.js, the file the published package.json's globs name. */
function published(src: string): string {
  return `dist/${src.replace(/\.ts$/, ".js")}`;
}
/** Listed both as published (dist/) and as source (src/: the repository's own bundles, such as
 * examples/browser, import the TypeScript files, and the same package.json governs them). */
function listed(src: string): boolean {
  return patterns.some((p) => p.test(published(src))) && patterns.some((p) => p.test(src));
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return p.includes("assembly") ? [] : sources(p);
    return p.endsWith(".ts") && !p.endsWith(".d.ts") ? [p] : [];
  });
}
const files = sources("src");

it("the globs match the files they are meant for", () => {
  assert.ok(listed("src/ops/binary.ts"));
  assert.ok(listed("src/index.ts"));
  assert.ok(!listed("src/nn/linear.ts"));
  assert.ok(!listed("src/backend/wasm/index.ts"));
});

it("every module that attaches Tensor methods at load is listed", () => {
  const attaching = files.filter((f) =>
    /^(defineMethods\(|Object\.defineProperty\(Tensor\.prototype)/m.test(readFileSync(f, "utf8")),
  );
  assert.ok(attaching.length > 5, `found only ${attaching.join(", ")}`);
  assert.deepEqual(
    attaching.filter((f) => !listed(f)),
    [],
  );
});

it("every side-effect-only import names a listed module", () => {
  const unlisted: string[] = [];
  for (const f of files) {
    for (const m of readFileSync(f, "utf8").matchAll(/^import "(\.[^"]+)";/gm)) {
      const target = normalize(join(dirname(f), m[1]!)).replace(/\.js$/, ".ts");
      if (!listed(target)) unlisted.push(`${f} -> ${target}`);
    }
  }
  assert.deepEqual(unlisted, []);
});
