// Builds the optional native backend (native/ -> native/build/Release/torchlet_native.node) with
// node-gyp. It must never break `npm install`: on any failure it prints one line saying the
// native backend is off and why, and exits 0. TORCHLET_NATIVE=0 skips the build.
//
// `--if-no-prebuild` (the package's install script) compiles only when the package has no
// prebuild that loads here (native/prebuilds/<platform>-<arch>/, made by scripts/prebuild-native.mjs
// when the package is packed): users on linux-x64 need no compiler.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { findNodeGyp, localNodeDir, nativeDir, root } from "./native-tools.mjs";

function off(reason) {
  console.log(
    `torchlet: native backend off (${reason}); using the JavaScript/WebAssembly backends`,
  );
  process.exit(0);
}

/** The prebuild node-gyp-build picks for this platform, if it loads; else undefined. */
function loadablePrebuild() {
  if (!existsSync(join(nativeDir, "prebuilds"))) return undefined;
  try {
    const require = createRequire(import.meta.url);
    const path = require("node-gyp-build").path(nativeDir);
    if (!path.includes(`${join("native", "prebuilds")}`)) return undefined;
    require(path);
    return path;
  } catch {
    return undefined;
  }
}

try {
  if (process.env.TORCHLET_NATIVE === "0") off("TORCHLET_NATIVE=0");
  if (process.argv.includes("--if-no-prebuild")) {
    const prebuild = loadablePrebuild();
    if (prebuild) {
      console.log(`torchlet: native backend prebuilt (${prebuild.slice(root.length + 1)})`);
      process.exit(0);
    }
  }
  if (!existsSync(join(nativeDir, "binding.gyp"))) off("native/ sources not shipped");
  const gyp = findNodeGyp();
  if (!gyp) off("node-gyp not found");
  const args = [gyp, "rebuild", "--directory", nativeDir, "--loglevel", "error"];
  // Build against the headers of the running Node when they are installed beside it, so no
  // download (and no network) is needed; npm's own `nodedir` setting wins when it is set.
  const nodedir = localNodeDir();
  if (nodedir) args.push(`--nodedir=${nodedir}`);
  const result = spawnSync(process.execPath, args, {
    cwd: nativeDir,
    encoding: "utf8",
    timeout: 300_000,
  });
  if (result.error) off(`node-gyp could not run: ${result.error.message}`);
  if (result.status !== 0) {
    const lines = `${result.stderr}\n${result.stdout}`.split("\n").map((l) => l.trim());
    const why =
      lines.find((l) => /error|not found|No such/i.test(l)) ?? `exit code ${result.status}`;
    off(`build failed: ${why.slice(0, 200)}`);
  }
  console.log("torchlet: native backend built");
} catch (error) {
  off(`build script error: ${error instanceof Error ? error.message : String(error)}`);
}
