/**
 * The examples' trained models export and run in ONNX Runtime: XOR with PyTorch's trained weights
 * (fixtures/xor, whose outputs PyTorch computed), and the Fashion-MNIST MLP and CNN of
 * `torchlet train` through `torchlet export <checkpoint> model.onnx`.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as torch from "../../src/node.js";
import { nn, optim, type Tensor } from "../../src/node.js";
import { main } from "../../src/cli/main.js";
import { buildModel } from "../../src/cli/models.js";
import { DEFAULT_DATA_ROOT } from "../../src/cli/args.js";
import { assertClose } from "../helpers/assert.js";
import { decode, loadFixture, type EncodedTensor } from "../helpers/fixtures.js";
import { checkModels, onnxUnavailable, ortUnavailable, runOrt } from "./ort.js";

class XORNet extends nn.Module {
  fc1 = new nn.Linear(2, 2);
  act1 = new nn.Sigmoid();
  fc2 = new nn.Linear(2, 1);
  act2 = new nn.Sigmoid();
  forward(x: Tensor): [Tensor, Tensor] {
    const h = this.act1.forward(this.fc1.forward(x));
    return [this.act2.forward(this.fc2.forward(h)), h];
  }
}

interface XorRun {
  seed: number;
  final: Record<string, EncodedTensor>;
  rows: EncodedTensor;
  learned: boolean;
}

function capture() {
  const chunks: string[] = [];
  return { isTTY: false, write: (s: string) => chunks.push(s), text: () => chunks.join("") };
}

describe("the examples' models in ONNX Runtime", { skip: ortUnavailable ?? false }, () => {
  it("XOR with PyTorch's trained weights gives PyTorch's outputs", async () => {
    const run = loadFixture<{ runs: XorRun[] }>("xor", "xor").runs.find((r) => r.learned)!;
    const model = new XORNet();
    model.loadStateDict(
      Object.fromEntries(Object.entries(run.final).map(([k, v]) => [k, decode(v)])),
    );
    const X = torch.tensor(
      [
        [0, 1],
        [1, 0],
        [1, 1],
        [0, 0],
      ],
      { dtype: "float32" },
    );
    const bytes = torch.onnx.export(model, X, {
      inputNames: ["x"],
      outputNames: ["out", "hidden"],
      dynamicAxes: { x: { 0: "n" }, out: { 0: "n" }, hidden: { 0: "n" } },
    });
    const got = await runOrt(bytes, { x: X });
    const out = torch.Tensor.fromData(got.out!.data as Float32Array, [...got.out!.dims]);
    assertClose(out, run.rows, { rtol: 1e-5, atol: 1e-6, message: "XOR outputs vs PyTorch" });
    assert.deepEqual([...got.hidden!.dims], [4, 2]);
    if (onnxUnavailable() === null) checkModels([bytes]);
  });

  for (const kind of ["mlp", "cnn"] as const) {
    it(`torchlet export writes the ${kind} of a train checkpoint; ONNX Runtime gives its logits`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "torchlet-export-"));
      try {
        torch.manualSeed(3);
        const model = buildModel(kind);
        // One SGD step so the weights are not the initial ones.
        const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
        const xb = torch.randn([8, 1, 28, 28]);
        nn.F.crossEntropy(model.forward(xb), torch.randint(0, 10, [8])).backward();
        optimizer.step();
        const ckpt = join(dir, "checkpoint.safetensors");
        torch.saveCheckpoint(
          ckpt,
          { model, optimizer },
          { epoch: 1, metadata: { config: { model: kind }, history: [] } },
        );
        const out = join(dir, "model.onnx");
        const stdout = capture();
        const stderr = capture();
        assert.equal(main(["export", dir, out], stdout, stderr), 0, stderr.text());
        assert.match(stdout.text(), new RegExp(`wrote .*model.onnx \\(${kind} after 1 epoch`));
        const images = torch.rand([3, 1, 28, 28]);
        const got = await runOrt(new Uint8Array(readFileSync(out)), { image: images });
        model.eval();
        const want = torch.noGrad(() => model.forward(images));
        const logits = torch.Tensor.fromData(got.logits!.data as Float32Array, [
          ...got.logits!.dims,
        ]);
        assertClose(
          logits,
          { shape: want.shape, data: want.toArray() },
          { rtol: 1e-5, atol: 1e-6 },
        );
        if (onnxUnavailable() === null) {
          const [info] = checkModels([new Uint8Array(readFileSync(out))]);
          assert.deepEqual(info!.inputs, [["image", ["batch", 1, 28, 28]]]);
          assert.deepEqual(info!.outputs, [["logits", ["batch", 10]]]);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it(
    "a model trained by torchlet train exports from its run folder",
    {
      skip: existsSync(join(DEFAULT_DATA_ROOT, "train-images-idx3-ubyte.gz"))
        ? false
        : "needs Fashion-MNIST",
    },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "torchlet-export-"));
      try {
        const quiet = capture();
        const args = ["train", "fashion-mnist", "--model", "cnn", "--epochs", "1", "--limit", "64"];
        assert.equal(main([...args, "--out", dir, "--quiet"], quiet, quiet), 0, quiet.text());
        const out = join(dir, "cnn.onnx");
        assert.equal(main(["export", dir, out, "--opset", "13"], quiet, quiet), 0, quiet.text());
        const got = await runOrt(new Uint8Array(readFileSync(out)), {
          image: torch.rand([2, 1, 28, 28]),
        });
        assert.deepEqual([...got.logits!.dims], [2, 10]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it("torchlet export: usage errors and checkpoints that do not say their model", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchlet-export-"));
    try {
      const err = capture();
      assert.equal(main(["export", "only-one"], capture(), err), 2);
      assert.match(err.text(), /export needs a checkpoint and an output file/);
      assert.equal(main(["export", "a", "b", "--opset", "x"], capture(), capture()), 2);
      const ckpt = join(dir, "c.safetensors");
      torch.saveCheckpoint(ckpt, { model: buildModel("mlp") }, { epoch: 0 });
      const err2 = capture();
      assert.equal(main(["export", ckpt, join(dir, "m.onnx")], capture(), err2), 1);
      assert.match(err2.text(), /does not say which model it holds/);
      const help = capture();
      assert.equal(main(["export", "--help"], help, capture()), 0);
      assert.match(help.text(), /torchlet export <checkpoint> <model.onnx>/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
