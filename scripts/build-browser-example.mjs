// Bundles examples/browser (the XOR page) for browsers: `node scripts/build-browser-example.mjs
// [outDir]` writes outDir/index.html and outDir/xor.js (default outDir: build/browser-example).
// platform "browser" makes esbuild refuse any Node built-in the core might import, so a build
// that succeeds is also a check that src/index.ts stays browser-safe. Serve outDir over HTTP
// (e.g. `python3 -m http.server -d build/browser-example`): browsers do not load module scripts
// from file://.
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "examples/browser");
const outDir = resolve(process.argv[2] ?? join(root, "build/browser-example"));

mkdirSync(outDir, { recursive: true });
await build({
  entryPoints: [join(src, "xor.ts")],
  outfile: join(outDir, "xor.js"),
  bundle: true,
  platform: "browser",
  format: "esm",
  target: "es2022",
  sourcemap: true,
  logLevel: "warning",
});
copyFileSync(join(src, "index.html"), join(outDir, "index.html"));
console.log(`browser example: ${outDir}/index.html`);
