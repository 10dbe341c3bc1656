import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { CliUsageError, DEFAULTS, parseTrainArgs } from "../../src/cli/args.js";
import { main } from "../../src/cli/main.js";
import { EpochProgress } from "../../src/cli/progress.js";
import { curvesSvg, metricsCsv } from "../../src/cli/plot.js";

function capture(isTTY = false) {
  const chunks: string[] = [];
  return { isTTY, write: (s: string) => chunks.push(s), text: () => chunks.join("") };
}

describe("torchlet train: arguments", () => {
  it("parses every option and fills the per-model defaults", () => {
    const cmd = parseTrainArgs([
      "fashion-mnist",
      "--model",
      "cnn",
      "--batch-size",
      "32",
      "--lr",
      "0.05",
      "--optimizer",
      "sgd",
      "--seed",
      "7",
      "--out",
      "o",
      "--limit",
      "100",
    ]);
    assert.notEqual(cmd, "help");
    if (cmd === "help") return;
    assert.deepEqual(cmd.config, {
      dataset: "fashion-mnist",
      model: "cnn",
      epochs: DEFAULTS.cnn.epochs,
      batchSize: 32,
      lr: 0.05,
      optimizer: "sgd",
      seed: 7,
      limit: 100,
      dataRoot: "/usr/share/datasets/fashion-mnist",
    });
    assert.equal(cmd.out, "o");
    assert.equal(cmd.resume, null);
    assert.deepEqual([...cmd.given].sort(), [
      "batchSize",
      "limit",
      "lr",
      "model",
      "optimizer",
      "seed",
    ]);
    assert.equal(parseTrainArgs(["fashion-mnist", "-h"]), "help");
  });

  it("rejects bad arguments with a message naming the option, the value and what is expected", () => {
    const cases: [string[], RegExp][] = [
      [[], /missing the dataset: torchlet train fashion-mnist/],
      [["mnist"], /dataset \(first argument\) must be one of fashion-mnist, got "mnist"/],
      [["fashion-mnist", "extra"], /unexpected argument "extra"/],
      [["fashion-mnist", "--model", "resnet"], /--model must be one of mlp, cnn, got "resnet"/],
      [["fashion-mnist", "--epochs", "0"], /--epochs must be a positive integer, got "0"/],
      [["fashion-mnist", "--epochs", "2.5"], /--epochs must be a positive integer, got "2.5"/],
      [
        ["fashion-mnist", "--batch-size", "abc"],
        /--batch-size must be a positive integer, got "abc"/,
      ],
      [["fashion-mnist", "--lr=-1"], /--lr must be a positive number, got "-1"/],
      [["fashion-mnist", "--lr", "-1"], /'--lr' argument is ambiguous.*use '--lr=-XYZ'/],
      [["fashion-mnist", "--lr", "fast"], /--lr must be a positive number, got "fast"/],
      [["fashion-mnist", "--optimizer", "rmsprop"], /--optimizer must be one of sgd, adam/],
      [["fashion-mnist", "--seed=-3"], /--seed must be a non-negative integer, got "-3"/],
      [["fashion-mnist", "--limit", "0"], /--limit must be a positive integer/],
      [["fashion-mnist", "--out", ""], /--out needs a folder/],
      [["fashion-mnist", "--learning-rate", "1"], /Unknown option '--learning-rate'/],
      [["fashion-mnist", "--epochs"], /--epochs <value>' argument missing/],
    ];
    for (const [argv, message] of cases) {
      assert.throws(
        () => parseTrainArgs(argv),
        (e: unknown) => e instanceof CliUsageError && message.test(e.message),
        argv.join(" "),
      );
    }
  });

  it("main prints usage errors to stderr with exit status 2, help with 0", () => {
    const out = capture();
    const err = capture();
    assert.equal(main(["train", "fashion-mnist", "--epochs", "x"], out, err), 2);
    assert.match(err.text(), /^torchlet: --epochs must be a positive integer, got "x"\n\nUsage:/);
    assert.equal(main(["fit"], out, err), 2);
    assert.match(err.text(), /unknown command "fit"/);
    const help = capture();
    assert.equal(main(["train", "--help"], help, err), 0);
    assert.match(help.text(), /--resume DIR/);
  });

  it("a missing dataset is a clear error with exit status 1", () => {
    const err = capture();
    const status = main(
      ["train", "fashion-mnist", "--data", "/nonexistent/fmnist", "--quiet"],
      capture(),
      err,
    );
    assert.equal(status, 1);
    assert.match(
      err.text(),
      /DatasetNotFoundError: FashionMNIST: dataset not found in \/nonexistent/,
    );
  });
});

describe("torchlet train: progress and outputs", () => {
  it("draws a bar on a terminal and writes quarter-epoch log lines otherwise", () => {
    const tty = capture(true);
    const bar = new EpochProgress(tty, "epoch 1/2", 4);
    for (let i = 0; i < 4; i++) bar.update(1, 10);
    bar.done();
    assert.match(
      tty.text(),
      // eslint-disable-next-line no-control-regex -- the terminal's erase-line sequence
      /\repoch 1\/2 \[#{24}\] 4\/4 ETA 0:00 loss 1\.0000 \d+ samples\/s\x1b\[K\n$/,
    );
    const log = capture(false);
    const plain = new EpochProgress(log, "epoch 1/2", 8);
    for (let i = 0; i < 8; i++) plain.update(i, 2);
    plain.done();
    const lines = log.text().trimEnd().split("\n");
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /^epoch 1\/2 2\/8 ETA \S+ loss 0\.5000 \d+ samples\/s$/);
    assert.ok(!log.text().includes("\r"));
    assert.equal(plain.meanLoss, 3.5);
  });

  it("writes metrics.csv rows and an SVG with one curve per series", () => {
    const history = [1, 2, 3].map((epoch) => ({
      epoch,
      trainLoss: 1 / epoch,
      testLoss: 1.2 / epoch,
      testAccuracy: 0.8 + epoch / 100,
      seconds: 10,
      samplesPerSecond: 6000,
    }));
    assert.equal(metricsCsv(history).split("\n")[1], "1,1.000000,1.200000,0.8100,10.00,6000.0");
    const svg = curvesSvg(history, "Fashion-MNIST <mlp>");
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.equal((svg.match(/<polyline/g) ?? []).length, 3);
    assert.equal((svg.match(/<circle/g) ?? []).length, 9);
    assert.ok(svg.includes("Fashion-MNIST &lt;mlp&gt;: loss"));
    assert.ok(!/NaN|undefined/.test(svg));
    assert.ok(svg.trimEnd().endsWith("</svg>"));
  });
});
