// Shared by scripts/build-native.mjs and scripts/prebuild-native.mjs: where node-gyp and the Node
// headers are, so neither needs a network (node-gyp would download the headers otherwise).
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const nativeDir = join(root, "native");

/** node-gyp as npm ships it: npm tells lifecycle scripts where, else look beside npm and node. */
export function findNodeGyp() {
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

/**
 * The headers of the running Node when they are installed beside it (Debian's nodejs, the
 * official tarballs), so no download is needed; undefined when npm's own `nodedir` is set or
 * there are none.
 */
export function localNodeDir() {
  const dir = resolve(dirname(process.execPath), "..");
  if (process.env.npm_config_nodedir) return undefined;
  return existsSync(join(dir, "include", "node", "node_api.h")) ? dir : undefined;
}
