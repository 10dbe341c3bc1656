/**
 * `torchlet export <checkpoint> <model.onnx>`: the model of a `torchlet train` checkpoint as an
 * ONNX file, with a symbolic batch dim, for ONNX Runtime and other deployment tools.
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { CheckpointError } from "../io/checkpoint.js";
import { zeros } from "../tensor/create.js";
import { readCheckpoint } from "../node/checkpoint-files.js";
import { exportOnnx } from "../node/onnx-files.js";
import { DEFAULT_OPSET } from "../onnx/export.js";
import { CliUsageError, type ModelKind } from "./args.js";
import { buildModel } from "./models.js";
import type { Output } from "./progress.js";
import { CHECKPOINT_FILE } from "./train.js";

export const EXPORT_USAGE = `Usage: torchlet export <checkpoint> <model.onnx> [--opset N]

Exports the model of a \`torchlet train\` checkpoint (its file, or its run folder) to ONNX:
input "image" [batch, 1, 28, 28] float32, output "logits" [batch, 10].

Options:
  --opset N              ONNX opset version, 13 to ${DEFAULT_OPSET} (default ${DEFAULT_OPSET})`;

export interface ExportCommand {
  checkpoint: string;
  out: string;
  opset: number;
}

/** Parses `export`'s arguments (after the command name). */
export function parseExportArgs(argv: readonly string[]): ExportCommand | "help" {
  const positional: string[] = [];
  let opset = DEFAULT_OPSET;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-h" || a === "--help") return "help";
    if (a === "--opset") {
      const v = argv[++i];
      if (v === undefined || !/^\d+$/.test(v))
        throw new CliUsageError(
          `--opset needs an integer, got ${v === undefined ? "nothing" : `"${v}"`}`,
        );
      opset = Number(v);
    } else if (a.startsWith("-")) throw new CliUsageError(`unknown option ${a}`);
    else positional.push(a);
  }
  if (positional.length !== 2) {
    throw new CliUsageError(
      `export needs a checkpoint and an output file: torchlet export <checkpoint> <model.onnx> (got ${positional.length} arguments)`,
    );
  }
  return { checkpoint: positional[0]!, out: positional[1]!, opset };
}

/** Which model a checkpoint's metadata says it holds (`torchlet train` records its config). */
function modelKind(path: string, metadata: unknown): ModelKind {
  const kind = (metadata as { config?: { model?: unknown } } | null)?.config?.model;
  if (kind !== "mlp" && kind !== "cnn") {
    throw new CheckpointError(
      `${path}: the checkpoint does not say which model it holds (metadata.config.model is ${JSON.stringify(kind)}); export reads checkpoints written by \`torchlet train\``,
    );
  }
  return kind;
}

/** Runs `torchlet export`: writes the ONNX file and reports it. */
export function exportCheckpoint(cmd: ExportCommand, stdout: Output): void {
  const path =
    existsSync(cmd.checkpoint) && statSync(cmd.checkpoint).isDirectory()
      ? join(cmd.checkpoint, CHECKPOINT_FILE)
      : cmd.checkpoint;
  const ckpt = readCheckpoint(path);
  const kind = modelKind(path, ckpt.metadata);
  const model = buildModel(kind);
  model.loadStateDict(ckpt.model);
  const bytes = exportOnnx(model, zeros([1, 1, 28, 28]), cmd.out, {
    inputNames: ["image"],
    outputNames: ["logits"],
    dynamicAxes: { image: { 0: "batch" }, logits: { 0: "batch" } },
    opsetVersion: cmd.opset,
  });
  stdout.write(
    `wrote ${cmd.out} (${kind} after ${ckpt.epoch} epoch(s), ONNX opset ${cmd.opset}, ${bytes.length} bytes): image [batch, 1, 28, 28] float32 -> logits [batch, 10]\n`,
  );
}
