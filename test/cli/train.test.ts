import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_DATA_ROOT } from "../../src/cli/args.js";
import { main } from "../../src/cli/main.js";
import { readCheckpoint } from "../../src/node/checkpoint-files.js";

const skip = existsSync(join(DEFAULT_DATA_ROOT, "train-images-idx3-ubyte.gz"))
  ? false
  : `Fashion-MNIST is not installed in ${DEFAULT_DATA_ROOT} (apt-get install dataset-fashion-mnist)`;

function capture() {
  const chunks: string[] = [];
  return { isTTY: false, write: (s: string) => chunks.push(s), text: () => chunks.join("") };
}

describe("torchlet train fashion-mnist: smoke run on 300 samples", { skip }, () => {
  it("writes metrics.csv, curves.svg and a checkpoint each epoch, and --resume continues", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchlet-train-"));
    const args = ["train", "fashion-mnist", "--limit", "300", "--batch-size", "50", "--seed", "1"];
    const out1 = capture();
    const err = capture();
    assert.equal(main([...args, "--epochs", "1", "--out", dir], out1, err), 0, err.text());
    assert.match(
      out1.text(),
      /^training: mlp, adam lr 0\.001, batch 50, seed 1, 300 train \/ 300 test/,
    );
    assert.match(out1.text(), /epoch 1\/1 2\/6 ETA/); // plain progress lines (not a TTY)
    assert.match(
      out1.text(),
      /epoch 1\/1: train loss \d\.\d{4}, test loss \d\.\d{4}, test accuracy/,
    );
    const csv1 = readFileSync(join(dir, "metrics.csv"), "utf8").trimEnd().split("\n");
    assert.equal(csv1.length, 2);
    assert.equal(csv1[0], "epoch,train_loss,test_loss,test_accuracy,seconds,samples_per_second");
    assert.match(csv1[1]!, /^1,\d+\.\d{6},\d+\.\d{6},0\.\d{4},/);
    assert.match(readFileSync(join(dir, "curves.svg"), "utf8"), /<svg[^>]*>[\s\S]*<polyline/);
    const ckpt1 = readCheckpoint(join(dir, "checkpoint.safetensors"));
    assert.equal(ckpt1.epoch, 1);
    assert.deepEqual(Object.keys(ckpt1.model).sort(), [
      "fc1.bias",
      "fc1.weight",
      "fc2.bias",
      "fc2.weight",
      "fc3.bias",
      "fc3.weight",
    ]);

    // Resuming with another model is refused before anything is trained.
    const bad = capture();
    assert.equal(
      main(["train", "fashion-mnist", "--resume", dir, "--model", "cnn"], capture(), bad),
      2,
    );
    assert.match(bad.text(), /the checkpoint was trained with model = mlp, but cnn was given/);

    const out2 = capture();
    assert.equal(
      main(["train", "fashion-mnist", "--resume", dir, "--epochs", "2", "--quiet"], out2, err),
      0,
    );
    assert.match(out2.text(), /^resuming at epoch 2: mlp, adam lr 0\.001, batch 50, seed 1/);
    assert.doesNotMatch(out2.text(), /epoch 1\/2:/);
    assert.match(out2.text(), /epoch 2\/2: train loss/);
    const csv2 = readFileSync(join(dir, "metrics.csv"), "utf8").trimEnd().split("\n");
    assert.deepEqual(csv2.slice(0, 2), csv1); // the first epoch's row is kept
    assert.match(csv2[2]!, /^2,/);
    assert.equal(readCheckpoint(join(dir, "checkpoint.safetensors")).epoch, 2);

    const out3 = capture();
    assert.equal(main(["train", "fashion-mnist", "--resume", dir, "--epochs", "2"], out3, err), 0);
    assert.match(out3.text(), /already trained 2 epoch\(s\) of 2/);
  });
});
