/**
 * The `torchlet` command: `torchlet train fashion-mnist [options]` (see args.ts for the options),
 * `torchlet export <checkpoint> <model.onnx>` (export.ts) and `torchlet --version`.
 */
import { TorchletError } from "../errors.js";
import { CliUsageError, parseTrainArgs, USAGE as TRAIN_USAGE } from "./args.js";
import { exportCheckpoint, EXPORT_USAGE, parseExportArgs } from "./export.js";
import type { Output } from "./progress.js";
import { train } from "./train.js";
import { version } from "../version.js";

const USAGE = `${TRAIN_USAGE}\n\n${EXPORT_USAGE}`;

/**
 * Runs the command line and returns the exit status: 0 done, 1 failed (a torchlet error such as a
 * missing dataset or a corrupt checkpoint), 2 bad usage.
 *
 * @example
 * process.exitCode = main(process.argv.slice(2), process.stdout, process.stderr);
 */
export function main(argv: readonly string[], stdout: Output, stderr: Output): number {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "-h" || command === "--help" || command === "help") {
      stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    if (command === "--version" || command === "-v") {
      stdout.write(`${version}\n`);
      return 0;
    }
    if (command === "export") {
      const cmd = parseExportArgs(rest);
      if (cmd === "help") stdout.write(`${EXPORT_USAGE}\n`);
      else exportCheckpoint(cmd, stdout);
      return 0;
    }
    if (command !== "train")
      throw new CliUsageError(
        `unknown command "${command}" (the commands are "train" and "export")`,
      );
    const cmd = parseTrainArgs(rest);
    if (cmd === "help") {
      stdout.write(`${USAGE}\n`);
      return 0;
    }
    train(cmd, stdout);
    return 0;
  } catch (e) {
    if (e instanceof CliUsageError) {
      stderr.write(`torchlet: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof TorchletError) {
      stderr.write(`torchlet: ${e.name}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
