// The Node-only part of the native backend: finding and loading the compiled .node file. A
// browser build leaves this module out (it imports node:module); everything else is plain TS.
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { NativeAddon, NativeBackendStatus } from "./addon.js";

const ADDON_PATH = join("native", "build", "Release", "torchlet_native.node");

/** The package root holding native/: src/backend/native/ in a checkout, dist/src/... when built. */
function findAddon(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 6; up++, dir = dirname(dir)) {
    const candidate = join(dir, ADDON_PATH);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Loads the addon unless TORCHLET_NATIVE=0. Never throws: a missing or broken build gives
 * `{ status: { available: false, reason } }`. TORCHLET_NATIVE_ADDON=/path/to/file.node loads that
 * file instead of the package's build (the sanitizer test runs training on an ASan build of the
 * addon this way, leaving native/build alone).
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
  const path = override ?? findAddon();
  if (!path) {
    return {
      status: {
        available: false,
        reason: `addon not built (no ${ADDON_PATH}; run \`node scripts/build-native.mjs\`)`,
      },
    };
  }
  try {
    const addon = createRequire(import.meta.url)(path) as NativeAddon;
    const isa = process.env.TORCHLET_NATIVE_ISA;
    if (isa) addon.setIsa(isa);
    return { addon, status: { available: true } };
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    return { status: { available: false, reason: `addon failed to load: ${message}` } };
  }
}
