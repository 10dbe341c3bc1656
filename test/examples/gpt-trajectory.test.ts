import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { load, nn, optim, withBackend } from "../../src/node.js";
import { Config, GPT, cosineLr, getBatch, loadText } from "../../examples/gpt.js";
import { conformanceBackends } from "../helpers/backends.js";
import { loadFixture } from "../helpers/fixtures.js";

interface Trajectory {
  config: {
    vocab_size: number;
    block_size: number;
    n_layer: number;
    n_head: number;
    n_embd: number;
  };
  batchSize: number;
  lr: number;
  weightDecay: number;
  warmup: number;
  offsets: number[][];
  losses: number[];
}

const fx = loadFixture<Trajectory>("examples", "gpt-trajectory");
const init = fileURLToPath(
  new URL("../../fixtures/examples/gpt-init.safetensors", import.meta.url),
);

describe("examples/gpt.ts trains as examples/pytorch/gpt.py does", () => {
  for (const { label, backend } of conformanceBackends()) {
    it(`first ${fx.losses.length} losses equal PyTorch's to 1e-4 relative (${label})`, () => {
      withBackend(backend, () => {
        const { data } = loadText();
        const c = fx.config;
        const model = new GPT(
          new Config(c.vocab_size, c.block_size, c.n_layer, c.n_head, c.n_embd, 0),
        );
        // PyTorch's initial weights; the tied embedding/head weight is stored under both keys.
        model.loadStateDict(load(init));
        assert.equal(model.transformer.wte.weight, model.lm_head.weight);
        const optimizer = model.configureOptimizers(fx.weightDecay, fx.lr, [0.9, 0.95]);
        const steps = fx.losses.length;
        const scheduler = new optim.lrScheduler.LambdaLR(optimizer, {
          lrLambda: cosineLr(fx.warmup, steps),
        });
        fx.offsets.forEach((ix, step) => {
          const [x, y] = getBatch(data, c.block_size, fx.batchSize, ix);
          const [, loss] = model.forward(x, y);
          optimizer.zeroGrad({ setToNone: true });
          loss!.backward();
          nn.utils.clipGradNorm_(model.parameters(), 1.0);
          optimizer.step();
          scheduler.step();
          const want = fx.losses[step]!;
          const got = loss!.item();
          assert.ok(
            Math.abs(got - want) <= 1e-4 * Math.abs(want),
            `step ${step}: loss ${got}, PyTorch ${want}`,
          );
        });
      });
    });
  }
});
