import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as torch from "../../src/index.js";
import { data, nn, optim } from "../../src/index.js";
import {
  captureCheckpoint,
  CheckpointError,
  deserializeCheckpoint,
  restoreCheckpoint,
  serializeCheckpoint,
} from "../../src/io/checkpoint.js";
import { deserialize, serialize } from "../../src/io/safetensors.js";
import { loadCheckpoint, readCheckpoint, saveCheckpoint } from "../../src/node/checkpoint-files.js";

/** A small run: MLP with dropout, Adam, StepLR, a shuffled loader with its own generator. */
function setup(seed: number) {
  const dataGen = new torch.Generator().manualSeed(0);
  const x = torch.randn([40, 5], { generator: dataGen });
  const y = torch.randint(0, 3, [40], { generator: dataGen });
  torch.manualSeed(seed);
  const model = new nn.Sequential(
    new nn.Linear(5, 16),
    new nn.ReLU(),
    new nn.Dropout(0.3),
    new nn.Linear(16, 3),
  );
  const optimizer = new optim.Adam(model.parameters(), { lr: 0.01 });
  const scheduler = new optim.lrScheduler.StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
  const generator = new torch.Generator().manualSeed(seed + 1);
  const loader = new data.DataLoader(new data.TensorDataset(x, y), {
    batchSize: 8,
    shuffle: true,
    generator,
  });
  const objects = { model, optimizer, scheduler, generators: { loader: generator } };
  const runEpoch = (losses: number[]): void => {
    model.train();
    for (const [xb, yb] of loader) {
      optimizer.zeroGrad();
      const loss = nn.F.crossEntropy(model.forward(xb!), yb!);
      loss.backward();
      optimizer.step();
      losses.push(loss.item());
    }
    scheduler.step();
  };
  return { model, optimizer, scheduler, objects, runEpoch };
}

const params = (m: nn.Module): number[][] =>
  Object.values(m.stateDict()).map((t) => Array.from(t.toArray()));

describe("training checkpoints", () => {
  it("a run resumed from the checkpoint after epoch 2 is bit-identical to an uninterrupted run", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchlet-ckpt-"));
    const full = setup(3);
    const fullLosses: number[] = [];
    for (let e = 0; e < 4; e++) full.runEpoch(fullLosses);
    const fullRng = torch.getRngState();

    const first = setup(3);
    const firstLosses: number[] = [];
    for (let e = 0; e < 2; e++) first.runEpoch(firstLosses);
    const path = join(dir, "ckpt.safetensors");
    saveCheckpoint(path, first.objects, { epoch: 2, metadata: { losses: firstLosses } });

    // A new process would start from another seed: the checkpoint must bring everything back.
    const resumed = setup(99);
    const ckpt = loadCheckpoint(path, resumed.objects);
    assert.equal(ckpt.epoch, 2);
    const losses = [...(ckpt.metadata.losses as number[])];
    for (let e = ckpt.epoch; e < 4; e++) resumed.runEpoch(losses);

    assert.deepEqual(losses, fullLosses);
    assert.deepEqual(params(resumed.model), params(full.model));
    assert.deepEqual(resumed.optimizer.paramGroups[0]!.lr, full.optimizer.paramGroups[0]!.lr);
    assert.deepEqual(torch.getRngState(), fullRng);
  });

  it("round-trips every part, with PyTorch-style prefixed tensor keys", () => {
    const run = setup(5);
    run.runEpoch([]);
    const ckpt = captureCheckpoint(run.objects, {
      epoch: 1,
      metadata: { note: "hi", best: -Infinity, nested: { a: [1, null] } },
    });
    const bytes = serializeCheckpoint(ckpt);
    const keys = Object.keys(deserialize(bytes).tensors).sort();
    assert.deepEqual(keys, [
      "model.0.bias",
      "model.0.weight",
      "model.3.bias",
      "model.3.weight",
      "optimizer.state.0.exp_avg",
      "optimizer.state.0.exp_avg_sq",
      "optimizer.state.1.exp_avg",
      "optimizer.state.1.exp_avg_sq",
      "optimizer.state.2.exp_avg",
      "optimizer.state.2.exp_avg_sq",
      "optimizer.state.3.exp_avg",
      "optimizer.state.3.exp_avg_sq",
    ]);
    const back = deserializeCheckpoint(bytes);
    assert.equal(back.epoch, 1);
    assert.deepEqual(back.metadata, { note: "hi", best: -Infinity, nested: { a: [1, null] } });
    assert.deepEqual(back.scheduler, ckpt.scheduler);
    assert.deepEqual(back.rng.default, ckpt.rng.default);
    assert.deepEqual(back.rng.generators.loader, ckpt.rng.generators.loader);
    assert.deepEqual(back.optimizer!.param_groups, ckpt.optimizer!.param_groups);
    for (const [id, s] of Object.entries(ckpt.optimizer!.state)) {
      const got = back.optimizer!.state[Number(id)]!;
      assert.equal(got.step, s.step);
      for (const k of ["exp_avg", "exp_avg_sq"])
        assert.deepEqual(
          Array.from((got[k] as torch.Tensor).toArray()),
          Array.from((s[k] as torch.Tensor).toArray()),
        );
    }
    for (const [k, t] of Object.entries(ckpt.model))
      assert.deepEqual(Array.from(back.model[k]!.toArray()), Array.from(t.toArray()));
  });

  it("a corrupt or mismatched checkpoint is a CheckpointError and changes nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchlet-ckpt-"));
    const src = setup(7);
    src.runEpoch([]);
    const path = join(dir, "ckpt.safetensors");
    saveCheckpoint(path, src.objects, { epoch: 1 });
    const good = readFileSync(path);

    const target = setup(8);
    target.runEpoch([]);
    const before = {
      params: params(target.model),
      opt: JSON.stringify(target.optimizer.stateDict().param_groups),
      optState: Object.values(target.optimizer.stateDict().state).map((s) =>
        Array.from((s.exp_avg as torch.Tensor).toArray()),
      ),
      sched: JSON.stringify(target.scheduler.stateDict()),
      rng: torch.getRngState(),
      gen: target.objects.generators.loader.getState(),
    };
    const unchanged = (what: string): void => {
      assert.deepEqual(params(target.model), before.params, what);
      assert.equal(JSON.stringify(target.optimizer.stateDict().param_groups), before.opt, what);
      assert.deepEqual(
        Object.values(target.optimizer.stateDict().state).map((s) =>
          Array.from((s.exp_avg as torch.Tensor).toArray()),
        ),
        before.optState,
        what,
      );
      assert.equal(JSON.stringify(target.scheduler.stateDict()), before.sched, what);
      assert.deepEqual(torch.getRngState(), before.rng, what);
      assert.deepEqual(target.objects.generators.loader.getState(), before.gen, what);
    };

    const cases: [string, Uint8Array][] = [];
    cases.push(["truncated", good.subarray(0, good.length - 10)]);
    const flipped = Uint8Array.from(good);
    flipped[20] = 0x7b; // breaks the JSON header
    cases.push(["garbled header", flipped]);
    const { tensors, metadata } = deserialize(good);
    const doc = JSON.parse(metadata["torchlet.checkpoint"]!) as Record<string, unknown>;
    const withDoc = (d: unknown, t = tensors): Uint8Array =>
      serialize(t, { metadata: { "torchlet.checkpoint": JSON.stringify(d) } });
    cases.push(["bad rng", withDoc({ ...doc, rng: { default: "AAAA", generators: {} } })]);
    cases.push([
      "bad optimizer state shape",
      withDoc(doc, { ...tensors, "optimizer.state.3.exp_avg": torch.zeros([2]) }),
    ]);
    cases.push([
      "wrong model shape",
      withDoc(doc, { ...tensors, "model.3.bias": torch.zeros([4]) }),
    ]);
    cases.push(["unknown tensor", withDoc(doc, { ...tensors, "extra.x": torch.zeros([1]) })]);
    cases.push(["plain safetensors", serialize({ w: torch.zeros([1]) })]);
    cases.push(["future version", withDoc({ ...doc, version: 2 })]);
    // A valid model + optimizer part but no state for the loader's generator: the model
    // would load fine; the generator check must still stop the whole restore.
    cases.push([
      "missing generator",
      withDoc({ ...doc, rng: { ...(doc.rng as object), generators: {} } }),
    ]);
    for (const [what, bytes] of cases) {
      const p = join(dir, `${what}.safetensors`);
      writeFileSync(p, bytes);
      assert.throws(() => loadCheckpoint(p, target.objects), CheckpointError, what);
      unchanged(what);
    }
    assert.throws(
      () => readCheckpoint(join(dir, "absent.safetensors")),
      (e: unknown) => e instanceof CheckpointError && /cannot read checkpoint/.test(e.message),
    );
    // The good file does load into the same objects.
    loadCheckpoint(path, target.objects);
    assert.deepEqual(params(target.model), params(src.model));
  });

  it("a save that fails before the rename leaves the previous checkpoint intact", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchlet-ckpt-"));
    const run = setup(11);
    const path = join(dir, "ckpt.safetensors");
    saveCheckpoint(path, run.objects, { epoch: 0 });
    const previous = readFileSync(path);
    run.runEpoch([]);
    assert.throws(
      () =>
        saveCheckpoint(path, run.objects, {
          epoch: 1,
          hooks: {
            afterWrite: () => {
              throw new Error("simulated crash");
            },
          },
        }),
      /simulated crash/,
    );
    assert.deepEqual(readFileSync(path), previous);
    assert.deepEqual(readdirSync(dir), ["ckpt.safetensors"]); // no temporary file left
    assert.equal(readCheckpoint(path).epoch, 0);
    assert.ok(existsSync(path));
  });

  it("saveCheckpoint without its options argument saves epoch 0 and the model", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchlet-ckpt-"));
    const path = join(dir, "model.safetensors");
    const { model } = setup(5);
    saveCheckpoint(path, { model });
    const other = setup(6).model;
    const ckpt = loadCheckpoint(path, { model: other });
    assert.equal(ckpt.epoch, 0);
    assert.deepEqual(ckpt.metadata, {});
    assert.deepEqual(params(other), params(model));
    assert.equal(captureCheckpoint({ model }).epoch, 0);
  });

  it("restoreCheckpoint refuses a checkpoint without optimizer state for an optimizer", () => {
    const run = setup(12);
    const ckpt = captureCheckpoint({ model: run.model }, { epoch: 0 });
    assert.throws(() => restoreCheckpoint(ckpt, run.objects), /no optimizer state/);
    assert.throws(() => captureCheckpoint(run.objects, { epoch: -1 }), CheckpointError);
  });
});
