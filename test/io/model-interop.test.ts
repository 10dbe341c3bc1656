import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as torch from "../../src/index.js";
import { CNN, MLP } from "../../src/cli/models.js";
import { saveCheckpoint } from "../../src/node/checkpoint-files.js";
import { load, save } from "../../src/node/safetensors-files.js";
import { assertClose } from "../helpers/assert.js";
import { pytorchUnavailable, runPython } from "../helpers/python.js";

const skip = pytorchUnavailable();

describe(
  "whole-model interop with real PyTorch (the Fashion-MNIST MLP and CNN)",
  { skip: skip ?? false },
  () => {
    it("torchlet weights load into PyTorch's models and PyTorch's into torchlet's, same outputs", () => {
      const dir = mkdtempSync(join(tmpdir(), "torchlet-model-interop-"));
      torch.manualSeed(0);
      const mlp = new MLP().eval();
      const cnn = new CNN().eval();
      const x = torch.randn([4, 1, 28, 28]);
      const outputs = torch.noGrad(() => ({ mlp: mlp.forward(x), cnn: cnn.forward(x) }));
      // The MLP goes through a full training checkpoint: PyTorch reads its "model." entries.
      const optimizer = new torch.optim.SGD(mlp.parameters(), { lr: 0.1, momentum: 0.9 });
      saveCheckpoint(
        join(dir, "torchlet_mlp.ckpt.safetensors"),
        { model: mlp, optimizer },
        { epoch: 0 },
      );
      save(cnn.stateDict(), join(dir, "torchlet_cnn.safetensors"));
      save({ x, ...outputs }, join(dir, "torchlet_io.safetensors"));

      const script = new URL("../../scripts/interop/model_roundtrip.py", import.meta.url).pathname;
      const log = runPython(script, [dir]);
      assert.match(log, /mlp: max \|pytorch - torchlet\|/);
      assert.match(log, /cnn: max \|pytorch - torchlet\|/);

      const expected = load(join(dir, "pytorch_io.safetensors"));
      for (const [name, model] of [
        ["mlp", new MLP().eval()],
        ["cnn", new CNN().eval()],
      ] as const) {
        const before = torch.noGrad(() => model.forward(expected.x!));
        model.loadStateDict(load(join(dir, `pytorch_${name}.safetensors`)));
        const got = torch.noGrad(() => model.forward(expected.x!));
        assert.ok(
          before.sub(expected[name]!).abs().max().item() > 1e-3,
          `${name} starts different`,
        );
        const want = expected[name]!;
        assertClose(got, { shape: want.shape, dtype: want.dtype, data: want.toArray() });
      }
    });
  },
);
