/**
 * `torchlet train fashion-mnist`: trains the MLP or the CNN, evaluates on the test set after each
 * epoch, and keeps in the output folder a full checkpoint (resumable), metrics.csv and curves.svg.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as torch from "../node.js";
import { data, nn, noGrad, optim, type Tensor } from "../node.js";
import type { JsonValue } from "../io/checkpoint.js";
import { restoreCheckpoint } from "../io/checkpoint.js";
import { atomicWriteFile } from "../node/atomic-write.js";
import { readCheckpoint, saveCheckpoint } from "../node/checkpoint-files.js";
import { CliUsageError, type TrainCommand, type TrainConfig } from "./args.js";
import { buildModel } from "./models.js";
import { curvesSvg, metricsCsv, type EpochMetrics } from "./plot.js";
import { EpochProgress, type Output } from "./progress.js";

/** torchvision's usual Fashion-MNIST normalisation (the training set's mean and std). */
const MEAN = 0.286;
const STD = 0.353;

export const CHECKPOINT_FILE = "checkpoint.safetensors";

/**
 * A split as two tensors: images [N, 1, 28, 28] float32, normalised as ToTensor() then
 * Normalize((0.286,), (0.353,)), and labels [N]. One loop over the bytes rather than per-sample
 * transforms: converting 60000 images sample by sample would take longer than an MLP epoch.
 */
export function loadSplit(root: string, train: boolean, limit: number | null): [Tensor, Tensor] {
  const ds = new torch.FashionMNIST({ root, train });
  const n = limit === null ? ds.length : Math.min(limit, ds.length);
  const bytes = ds.data.narrow(0, 0, n).toArray();
  const images = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) images[i] = (bytes[i]! / 255 - MEAN) / STD;
  return [torch.Tensor.fromData(images, [n, 1, 28, 28]), ds.targets.narrow(0, 0, n).contiguous()];
}

/** Mean loss and accuracy on a split, in eval mode without recording gradients. */
export function evaluate(model: nn.Module & { forward(x: Tensor): Tensor }, x: Tensor, y: Tensor) {
  const n = x.shape[0]!;
  let lossSum = 0;
  let correct = 0;
  model.eval();
  noGrad(() => {
    for (let i = 0; i < n; i += 1000) {
      const len = Math.min(1000, n - i);
      const logits = model(x.narrow(0, i, len));
      const yb = y.narrow(0, i, len);
      lossSum += nn.F.crossEntropy(logits, yb, { reduction: "sum" }).item();
      correct += logits.argmax(1).eq(yb).sum().item();
    }
  });
  model.train();
  return { loss: lossSum / n, accuracy: correct / n };
}

/** What a checkpoint's metadata holds besides the training state. */
interface RunMetadata {
  config: TrainConfig;
  history: EpochMetrics[];
}

function resumeConfig(cmd: TrainCommand, saved: TrainConfig): TrainConfig {
  const config = { ...saved };
  for (const key of cmd.given) {
    if (key === "epochs") config.epochs = cmd.config.epochs;
    else if (key === "dataRoot") config.dataRoot = cmd.config.dataRoot;
    else if (cmd.config[key] !== saved[key])
      throw new CliUsageError(
        `--resume: the checkpoint was trained with ${key} = ${String(saved[key])}, ` +
          `but ${String(cmd.config[key])} was given (leave the option out to keep the checkpoint's)`,
      );
  }
  return config;
}

/** The result of a run: the folder written and every epoch's metrics (resumed ones included). */
export interface TrainResult {
  out: string;
  history: EpochMetrics[];
}

/**
 * Runs the command. Progress goes to `stdout` (a bar on a terminal, log lines otherwise).
 *
 * @example
 * await train(parseTrainArgs(["fashion-mnist", "--epochs", "1"]), process.stdout);
 */
export function train(cmd: TrainCommand, stdout: Output): TrainResult {
  const log = (s: string): void => void stdout.write(`${s}\n`);
  let config = cmd.config;
  let ckpt = null;
  let history: EpochMetrics[] = [];
  if (cmd.resume !== null) {
    ckpt = readCheckpoint(join(cmd.resume, CHECKPOINT_FILE));
    const meta = ckpt.metadata as unknown as RunMetadata;
    config = resumeConfig(cmd, meta.config);
    history = meta.history;
  }
  const out = cmd.out ?? cmd.resume ?? join("runs", `fashion-mnist-${config.model}`);
  const start = ckpt?.epoch ?? 0;
  if (start >= config.epochs) {
    log(
      `already trained ${start} epoch(s) of ${config.epochs}: pass --epochs N with N > ${start} to continue`,
    );
    return { out, history };
  }

  const [trainX, trainY] = loadSplit(config.dataRoot, true, config.limit);
  const [testX, testY] = loadSplit(config.dataRoot, false, config.limit);
  torch.manualSeed(config.seed);
  const model = buildModel(config.model);
  const params = model.parameters();
  const optimizer =
    config.optimizer === "adam"
      ? new optim.Adam(params, { lr: config.lr })
      : new optim.SGD(params, { lr: config.lr, momentum: 0.9 });
  const generator = new torch.Generator().manualSeed(config.seed);
  const loader = new data.DataLoader(new data.TensorDataset(trainX, trainY), {
    batchSize: config.batchSize,
    shuffle: true,
    generator,
  });
  const objects = { model, optimizer, generators: { loader: generator } };
  if (ckpt) restoreCheckpoint(ckpt, objects);
  mkdirSync(out, { recursive: true });
  log(
    `${start > 0 ? `resuming at epoch ${start + 1}` : "training"}: ${config.model}, ${config.optimizer} ` +
      `lr ${config.lr}, batch ${config.batchSize}, seed ${config.seed}, ` +
      `${trainX.shape[0]} train / ${testX.shape[0]} test samples -> ${out}`,
  );

  for (let epoch = start; epoch < config.epochs; epoch++) {
    const progress = new EpochProgress(
      cmd.quiet ? null : stdout,
      `epoch ${epoch + 1}/${config.epochs}`,
      loader.length,
    );
    model.train();
    for (const [xb, yb] of loader) {
      optimizer.zeroGrad();
      const loss = nn.F.crossEntropy(model(xb!), yb!);
      loss.backward();
      optimizer.step();
      progress.update(loss.item(), xb!.shape[0]!);
    }
    progress.done();
    const seconds = progress.elapsedSeconds;
    const test = evaluate(model, testX, testY);
    history.push({
      epoch: epoch + 1,
      trainLoss: progress.meanLoss,
      testLoss: test.loss,
      testAccuracy: test.accuracy,
      seconds,
      samplesPerSecond: trainX.shape[0]! / seconds,
    });
    const metadata = { config, history } as unknown as Record<string, JsonValue>;
    saveCheckpoint(join(out, CHECKPOINT_FILE), objects, { epoch: epoch + 1, metadata });
    const enc = new TextEncoder();
    atomicWriteFile(join(out, "metrics.csv"), enc.encode(metricsCsv(history)));
    atomicWriteFile(
      join(out, "curves.svg"),
      enc.encode(curvesSvg(history, `Fashion-MNIST ${config.model}`)),
    );
    log(
      `epoch ${epoch + 1}/${config.epochs}: train loss ${progress.meanLoss.toFixed(4)}, ` +
        `test loss ${test.loss.toFixed(4)}, test accuracy ${(test.accuracy * 100).toFixed(2)}%, ` +
        `${seconds.toFixed(1)} s (${Math.round(trainX.shape[0]! / seconds)} samples/s)`,
    );
  }
  writeFileSync(join(out, "config.json"), JSON.stringify(config, null, 2) + "\n");
  return { out, history };
}
