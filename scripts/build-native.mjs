// Builds the optional native backend (native/ -> native/build/Release/torchlet_native.node) with
// node-gyp. It must never break `npm install`: on any failure it prints one line saying the
// native backend is off and why, and exits 0. TORCHLET_NATIVE=0 skips the build.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const nativeDir = join(root, "native");

function off(reason) {
  console.log(
    `torchlet: native backend off (${reason}); using the JavaScript/WebAssembly backends`,
  );
  process.exit(0);
}

/** node-gyp as npm ships it: npm tells lifecycle scripts where, else look beside npm and node. */
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    process.env.npm_execpath &&
      join(
        dirname(process.env.npm_execpath),
        "..",
        "node_modules",
        "node-gyp",
        "bin",
        "node-gyp.js",
      ),
    join(root, "node_modules", "node-gyp", "bin", "node-gyp.js"),
    join(
      dirname(process.execPath),
      "..",
      "lib",
      "node_modules",
      "npm",
      "node_modules",
      "node-gyp",
      "bin",
      "node-gyp.js",
    ),
    join(
      dirname(process.execPath),
      "node_modules",
      "npm",
      "node_modules",
      "node-gyp",
      "bin",
      "node-gyp.js",
    ),
  ];
  return candidates.find((p) => p && existsSync(p));
}

try {
  if (process.env.TORCHLET_NATIVE === "0") off("TORCHLET_NATIVE=0");
  if (!existsSync(join(nativeDir, "binding.gyp"))) off("native/ sources not shipped");
  const gyp = findNodeGyp();
  if (!gyp) off("node-gyp not found");
  const args = [gyp, "rebuild", "--directory", nativeDir, "--loglevel", "error"];
  // Build against the headers of the running Node when they are installed beside it, so no
  // download (and no network) is needed; npm's own `nodedir` setting wins when it is set.
  const localHeaders = resolve(dirname(process.execPath), "..");
  if (
    !process.env.npm_config_nodedir &&
    existsSync(join(localHeaders, "include", "node", "node_api.h"))
  ) {
    args.push(`--nodedir=${localHeaders}`);
  }
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
