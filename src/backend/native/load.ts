// The Node-only part of the native backend: finding and loading the compiled .node file. A
// browser build leaves this module out (it imports node:module); everything else is plain TS.
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { NativeAddon, NativeBackendStatus } from "./addon.js";

const require = createRequire(import.meta.url);

/**
 * node-gyp-build's resolver: native/build/Release (a local compile) first, else the prebuild in
 * native/prebuilds/<platform>-<arch>/ that fits this platform, arch and libc; throws when none.
 */
type ResolveAddon = (dir: string) => string;

/**
 * The package's native/ folder: src/backend/native/../../../native in a checkout,
 * dist/src/backend/native/../../../../native when built.
 */
function findNativeDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 6; up++, dir = dirname(dir)) {
    const candidate = join(dir, "native");
    if (existsSync(join(candidate, "binding.gyp")) || existsSync(join(candidate, "prebuilds"))) {
      return candidate;
    }
  }
  return undefined;
}

/** node-gyp-build's choice; a local build when node-gyp-build itself is missing (a checkout). */
function resolveAddon(nativeDir: string): string {
  let resolver: ResolveAddon;
  try {
    resolver = (require("node-gyp-build") as { path: ResolveAddon }).path;
  } catch {
    const local = join(nativeDir, "build", "Release", "torchlet_native.node");
    if (existsSync(local)) return local;
    throw new Error("node-gyp-build is not installed and there is no local build");
  }
  return resolver(nativeDir);
}

function firstLine(error: unknown): string {
  return error instanceof Error ? error.message.split("\n")[0]! : String(error);
}

/**
 * Loads the addon unless TORCHLET_NATIVE=0. Never throws: a missing or broken build gives
 * `{ status: { available: false, reason } }`. The addon is a local build
 * (native/build/Release/torchlet_native.node) when there is one, else the package's prebuild for
 * this platform (native/prebuilds/, found by node-gyp-build). TORCHLET_NATIVE_ADDON=/path/to/file.node
 * loads that file instead (the sanitizer test runs training on an ASan build of the addon this
 * way, leaving native/build alone).
 */
export function loadNativeAddon(): { addon?: NativeAddon; status: NativeBackendStatus } {
  if (process.env.TORCHLET_NATIVE === "0") {
    return { status: { available: false, reason: "disabled by TORCHLET_NATIVE=0" } };
  }
  // Resolved against the working directory, as a user typing a relative path would expect.
  const override = process.env.TORCHLET_NATIVE_ADDON
    ? resolve(process.env.TORCHLET_NATIVE_ADDON)
    : undefined;
  if (override && !existsSync(override)) {
    return {
      status: { available: false, reason: `no addon at TORCHLET_NATIVE_ADDON=${override}` },
    };
  }
  let path = override;
  if (!path) {
    const nativeDir = findNativeDir();
    if (!nativeDir) {
      return { status: { available: false, reason: "native/ not found in the package" } };
    }
    try {
      path = resolveAddon(nativeDir);
    } catch (error) {
      return {
        status: {
          available: false,
          reason: `no prebuilt or compiled addon for ${process.platform}-${process.arch} (${firstLine(error)})`,
        },
      };
    }
  }
  try {
    const addon = require(path) as NativeAddon;
    const isa = process.env.TORCHLET_NATIVE_ISA;
    if (isa) addon.setIsa(isa);
    return { addon, status: { available: true, path } };
  } catch (error) {
    return { status: { available: false, reason: `addon failed to load: ${firstLine(error)}` } };
  }
}
