/**
 * The `torchlet train` command line: parsing and validation, with messages that name the option,
 * the value given and what is expected.
 */
import { parseArgs } from "node:util";
import { TorchletError } from "../errors.js";

/** A bad command line; the CLI prints the message and the usage, and exits with status 2. */
export class CliUsageError extends TorchletError {}

export type ModelKind = "mlp" | "cnn";
export type OptimizerKind = "sgd" | "adam";

/** A training run's configuration (what a checkpoint stores to resume it). */
export interface TrainConfig {
  dataset: "fashion-mnist";
  model: ModelKind;
  epochs: number;
  batchSize: number;
  lr: number;
  optimizer: OptimizerKind;
  seed: number;
  /** Use only the first `limit` training and test samples (smoke runs); null for all. */
  limit: number | null;
  /** The folder of the IDX files. */
  dataRoot: string;
}

/** The parsed command: the config, the output folder, the folder to resume from, and which
 * options were given explicitly (on resume the others come from the checkpoint). */
export interface TrainCommand {
  config: TrainConfig;
  out: string | null;
  resume: string | null;
  given: ReadonlySet<keyof TrainConfig>;
  quiet: boolean;
}

/**
 * The defaults, per model. The MLP (784-256-128-10, ReLU, dropout 0.2) with Adam reaches 88.7%
 * test accuracy in 10 epochs (87.3% after 5; PyTorch, same recipe and seed); the CNN (two 5x5
 * conv layers, 16 and 32 channels) about 90% in 3.
 */
export const DEFAULTS: Record<ModelKind, Omit<TrainConfig, "model" | "dataset" | "dataRoot">> = {
  mlp: { epochs: 10, batchSize: 64, lr: 1e-3, optimizer: "adam", seed: 0, limit: null },
  cnn: { epochs: 3, batchSize: 64, lr: 1e-3, optimizer: "adam", seed: 0, limit: null },
};

export const DEFAULT_DATA_ROOT = "/usr/share/datasets/fashion-mnist";

export const USAGE = `Usage: torchlet train fashion-mnist [options]
       torchlet --version

Options:
  --model mlp|cnn        model (default mlp: 784-256-128-10 MLP; cnn: two 5x5 conv layers)
  --epochs N             epochs to train in total (default 10 for mlp, 3 for cnn)
  --batch-size B         samples per batch (default 64)
  --lr X                 learning rate (default 0.001)
  --optimizer sgd|adam   optimizer (default adam; sgd uses momentum 0.9)
  --seed S               random seed of the weights, dropout and shuffling (default 0)
  --out DIR              folder for checkpoint.safetensors, metrics.csv and curves.svg
                         (default runs/fashion-mnist-<model>, or the --resume folder)
  --resume DIR           continue the run saved in DIR at its next epoch
  --limit N              use only the first N training and test samples (smoke runs)
  --data DIR             folder of the Fashion-MNIST IDX files
                         (default ${DEFAULT_DATA_ROOT})
  --quiet                no progress output
  -h, --help             this help`;

function positiveInt(name: string, v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < 1)
    throw new CliUsageError(`--${name} must be a positive integer, got "${v}"`);
  return n;
}

function choice<T extends string>(name: string, v: string, options: readonly T[]): T {
  if (!(options as readonly string[]).includes(v))
    throw new CliUsageError(`--${name} must be one of ${options.join(", ")}, got "${v}"`);
  return v as T;
}

/**
 * Parses the arguments after `train` (e.g. `["fashion-mnist", "--epochs", "2"]`).
 *
 * @example
 * parseTrainArgs(["fashion-mnist", "--model", "cnn"]).config.epochs; // 3
 */
export function parseTrainArgs(argv: readonly string[]): TrainCommand | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        model: { type: "string" },
        epochs: { type: "string" },
        "batch-size": { type: "string" },
        lr: { type: "string" },
        optimizer: { type: "string" },
        seed: { type: "string" },
        out: { type: "string" },
        resume: { type: "string" },
        limit: { type: "string" },
        data: { type: "string" },
        quiet: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    // node:util's messages are clear (unknown option, missing value); one line each.
    throw new CliUsageError((e as Error).message.replace(/\s*\n\s*/g, " "));
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  if (positionals.length === 0)
    throw new CliUsageError("missing the dataset: torchlet train fashion-mnist [options]");
  if (positionals.length > 1) throw new CliUsageError(`unexpected argument "${positionals[1]}"`);
  const dataset = choice("dataset (first argument)", positionals[0]!, ["fashion-mnist"] as const);
  const model =
    values.model === undefined ? "mlp" : choice("model", values.model, ["mlp", "cnn"] as const);
  const d = DEFAULTS[model];
  const given = new Set<keyof TrainConfig>();
  const config: TrainConfig = { dataset, model, ...d, dataRoot: values.data ?? DEFAULT_DATA_ROOT };
  if (values.model !== undefined) given.add("model");
  if (values.epochs !== undefined) {
    config.epochs = positiveInt("epochs", values.epochs);
    given.add("epochs");
  }
  if (values["batch-size"] !== undefined) {
    config.batchSize = positiveInt("batch-size", values["batch-size"]);
    given.add("batchSize");
  }
  if (values.lr !== undefined) {
    const lr = Number(values.lr);
    if (values.lr.trim() === "" || !Number.isFinite(lr) || lr <= 0)
      throw new CliUsageError(`--lr must be a positive number, got "${values.lr}"`);
    config.lr = lr;
    given.add("lr");
  }
  if (values.optimizer !== undefined) {
    config.optimizer = choice("optimizer", values.optimizer, ["sgd", "adam"] as const);
    given.add("optimizer");
  }
  if (values.seed !== undefined) {
    if (!/^\d+$/.test(values.seed) || !Number.isSafeInteger(Number(values.seed)))
      throw new CliUsageError(`--seed must be a non-negative integer, got "${values.seed}"`);
    config.seed = Number(values.seed);
    given.add("seed");
  }
  if (values.limit !== undefined) {
    config.limit = positiveInt("limit", values.limit);
    given.add("limit");
  }
  if (values.data !== undefined) given.add("dataRoot");
  for (const name of ["out", "resume"] as const) {
    if (values[name] !== undefined && values[name].trim() === "")
      throw new CliUsageError(`--${name} needs a folder, got an empty string`);
  }
  return {
    config,
    out: values.out ?? null,
    resume: values.resume ?? null,
    given,
    quiet: values.quiet ?? false,
  };
}
