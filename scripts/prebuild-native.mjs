// Builds the native addon's prebuild for this platform into native/prebuilds/<platform>-<arch>/
// with prebuildify (Node-API, so one binary serves every Node version; stripped; libc-tagged),
// where node-gyp-build finds it at run time. Runs from `prepack`, so the packed package carries
// it and users of that platform need no compiler. Best effort unless `--strict`: a packer without
// a compiler still gets a package (its users compile from source at install or fall back), and
// `prepublishOnly` runs this with --strict so nothing is published without the prebuild.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { findNodeGyp, localNodeDir, nativeDir } from "./native-tools.mjs";

const strict = process.argv.includes("--strict");
const tuple = `${process.platform}-${process.arch}`;
const outDir = join(nativeDir, "prebuilds", tuple);

function fail(reason) {
  console.error(`prebuild-native: no prebuild for ${tuple} (${reason})`);
  process.exit(strict ? 1 : 0);
}

const gyp = findNodeGyp();
if (!gyp) fail("node-gyp not found");
const require = createRequire(import.meta.url);
const prebuildify = join(require.resolve("prebuildify/package.json"), "..", "bin.js");
rmSync(outDir, { recursive: true, force: true });
const env = { ...process.env };
const nodedir = localNodeDir();
if (nodedir) env.npm_config_nodedir = nodedir;
const run = spawnSync(
  process.execPath,
  [
    prebuildify,
    "--napi",
    "--strip",
    "--tag-libc",
    "--quiet",
    "--node-gyp",
    gyp,
    "--cwd",
    nativeDir,
  ],
  { env, encoding: "utf8", timeout: 300_000 },
);
if (run.error) fail(run.error.message);
if (run.status !== 0) fail(`prebuildify exit ${run.status}: ${`${run.stderr}`.trim().slice(-300)}`);
const files = existsSync(outDir) ? readdirSync(outDir) : [];
if (files.length === 0) fail(`nothing in ${outDir}`);
// The binary must load in this Node before it ships.
try {
  require(join(outDir, files[0]));
} catch (error) {
  fail(`the prebuild does not load: ${error instanceof Error ? error.message : String(error)}`);
}
// prebuildify moved node-gyp's output away; a checkout keeps its local build where it was.
const release = join(nativeDir, "build", "Release");
mkdirSync(release, { recursive: true });
copyFileSync(join(outDir, files[0]), join(release, "torchlet_native.node"));
console.log(`prebuild-native: native/prebuilds/${tuple}/${files.join(", ")}`);
