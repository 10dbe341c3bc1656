// A save killed mid-write leaves its temporary file beside the target; the next save of the same
// target removes it (its writer's pid is gone), and never touches a live writer's file.
import { it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as torch from "../../src/node.js";

it("the next save removes a killed writer's temporary file and keeps a live writer's", () => {
  const dir = mkdtempSync(join(tmpdir(), "torchlet-atomic-"));
  try {
    const target = join(dir, "model.safetensors");
    // A pid that has certainly exited: a child that ran and finished.
    const deadPid = spawnSync(
      process.execPath,
      ["-e", "process.stdout.write(String(process.pid))"],
      {
        encoding: "utf8",
      },
    ).stdout;
    const stale = `.model.safetensors.${deadPid}.0123456789ab.tmp`;
    const live = `.model.safetensors.${process.ppid}.ba9876543210.tmp`;
    const other = `.other.safetensors.${deadPid}.0123456789ab.tmp`;
    for (const name of [stale, live, other]) writeFileSync(join(dir, name), "partial");
    torch.save({ w: torch.ones(2) }, target);
    const left = readdirSync(dir).sort();
    assert.deepEqual(left, [live, other, "model.safetensors"].sort());
    assert.deepEqual(Array.from(torch.load(target).w!.toArray()), [1, 1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
