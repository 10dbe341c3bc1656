import { spawnSync } from "node:child_process";

/** Debian's Python with PyTorch, as the fixture generators use it. */
export const PYTHON = "/usr/bin/python3";

let cached: string | null | undefined;

/** Null when real PyTorch can be run here; otherwise why not (for a skip message). */
export function pytorchUnavailable(): string | null {
  if (cached !== undefined) return cached;
  const r = spawnSync(PYTHON, ["-c", "import torch"], { encoding: "utf8" });
  cached =
    r.status === 0
      ? null
      : `needs real PyTorch: apt-get install -y python3-torch (${(r.stderr || String(r.error)).trim().split("\n").pop()})`;
  return cached;
}

/** Runs a Python script with arguments; throws with its output if it fails. */
export function runPython(script: string, args: string[]): string {
  const r = spawnSync(PYTHON, [script, ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${script} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
