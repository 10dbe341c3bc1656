/**
 * The `torchlet` command: `torchlet train fashion-mnist [options]` (see args.ts for the options)
 * and `torchlet --version`.
 */
import { TorchletError } from "../errors.js";
import { CliUsageError, parseTrainArgs, USAGE } from "./args.js";
import type { Output } from "./progress.js";
import { train } from "./train.js";
import { version } from "../version.js";

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
    if (command !== "train")
      throw new CliUsageError(`unknown command "${command}" (the only command is "train")`);
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
