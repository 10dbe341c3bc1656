/**
 * torch.onnx.export: each exported graph runs in ONNX Runtime (onnxruntime-web, WebAssembly) and
 * gives torchlet's forward (itself checked against PyTorch in test/nn and test/ops) on random
 * inputs within float32 1e-5 relative / 1e-6 absolute; onnx.checker validates every file.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/node.js";
import { nn, type Tensor } from "../../src/node.js";
import {
  assertExportMatches,
  checkModels,
  onnxUnavailable,
  ortUnavailable,
  runOrt,
} from "./ort.js";

/** A module whose forward is `fn` (for functional and tensor-method code). */
class Lambda extends nn.Module {
  constructor(private readonly fn: (...x: Tensor[]) => Tensor | Tensor[]) {
    super();
  }
  forward(...x: Tensor[]): Tensor | Tensor[] {
    return this.fn(...x);
  }
}

/** Every exported file, validated by onnx.checker at the end in one Python run. */
const exported: Uint8Array[] = [];
async function check(
  model: nn.Module & { forward(...x: Tensor[]): Tensor | readonly Tensor[] },
  inputs: Tensor[],
  options: Parameters<typeof assertExportMatches>[2] = {},
): Promise<Uint8Array> {
  const bytes = await assertExportMatches(model, inputs, options);
  exported.push(bytes);
  return bytes;
}

describe("torch.onnx.export: layers", { skip: ortUnavailable ?? false }, () => {
  it("Linear (Gemm), Linear on 3-D input and without bias (MatMul), Sequential with activations", async () => {
    torch.manualSeed(0);
    await check(new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3)), [
      torch.randn([5, 4]),
    ]);
    await check(new nn.Linear(4, 3), [torch.randn([2, 5, 4])]);
    await check(new nn.Linear(4, 3, { bias: false }), [torch.randn([5, 4])]);
  });

  it("Conv2d (stride, padding, dilation, groups, 'same', no bias) and Conv1d", async () => {
    torch.manualSeed(1);
    await check(new nn.Conv2d(2, 4, 3, { stride: 2, padding: 1 }), [torch.randn([2, 2, 7, 6])]);
    await check(new nn.Conv2d(4, 4, [3, 2], { dilation: 2, groups: 2, bias: false }), [
      torch.randn([1, 4, 8, 8]),
    ]);
    await check(new nn.Conv2d(2, 3, 4, { padding: "same" }), [torch.randn([1, 2, 6, 6])]);
    await check(new nn.Conv2d(2, 3, 3), [torch.randn([2, 5, 5])]); // unbatched
    await check(new nn.Conv1d(3, 2, 3, { padding: 1, stride: 2 }), [torch.randn([2, 3, 9])]);
  });

  it("MaxPool2d/1d, AvgPool2d/1d (padding, ceil mode, count_include_pad), AdaptiveAvgPool2d", async () => {
    torch.manualSeed(2);
    const x = torch.randn([2, 3, 7, 7]);
    await check(new nn.MaxPool2d(2), [x]);
    await check(new nn.MaxPool2d(3, { stride: 2, padding: 1 }), [x]);
    await check(new nn.MaxPool2d(2, { ceilMode: true }), [x]);
    await check(new nn.AvgPool2d(3, { stride: 2, padding: 1 }), [x]);
    await check(new nn.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }), [x]);
    await check(new nn.AdaptiveAvgPool2d(1), [x]);
    await check(new nn.AdaptiveAvgPool2d([2, 3]), [torch.randn([1, 2, 4, 6])]);
    await check(new nn.MaxPool1d(2), [torch.randn([2, 3, 8])]);
    await check(new nn.AvgPool1d(3, { stride: 1 }), [torch.randn([2, 3, 8])]);
    await check(new nn.MaxPool2d(2), [torch.randn([3, 4, 4])]); // unbatched
  });

  it("BatchNorm1d/2d in eval mode use the running stats (BatchNormalization)", async () => {
    torch.manualSeed(3);
    const bn2 = new nn.BatchNorm2d(3);
    const bn1 = new nn.BatchNorm1d(4, { affine: false });
    // A few training steps make the running stats (and the affine params) non-trivial.
    for (let i = 0; i < 3; i++) {
      bn2.forward(torch.randn([4, 3, 5, 5]).mul(2).add(1));
      bn1.forward(torch.randn([6, 4]).mul(3).sub(1));
    }
    torch.noGrad(() => {
      bn2.weight!.copy_(torch.rand([3]).add(0.5));
      bn2.bias!.copy_(torch.randn([3]));
    });
    const bytes = await check(bn2, [torch.randn([2, 3, 5, 5])]);
    await check(bn1, [torch.randn([3, 4])]);
    await check(new nn.BatchNorm1d(2), [torch.randn([3, 2, 5])]);
    assert.equal(bn2.training, true, "export restores training mode");
    if (onnxUnavailable() === null) {
      const [info] = checkModels([bytes]);
      assert.deepEqual(info!.ops, ["BatchNormalization"]);
      assert.deepEqual(info!.initializers.sort(), [
        "bias",
        "running_mean",
        "running_var",
        "weight",
      ]);
    }
  });

  it("LayerNorm as LayerNormalization (opset 17) and composed (opset 13), with and without affine", async () => {
    torch.manualSeed(4);
    const ln = new nn.LayerNorm([3, 4]);
    torch.noGrad(() => {
      ln.weight!.copy_(torch.randn([3, 4]));
      ln.bias!.copy_(torch.randn([3, 4]));
    });
    const x = torch.randn([2, 3, 4]).mul(3);
    const b17 = await check(ln, [x]);
    await check(ln, [x], { opsetVersion: 13 });
    await check(new nn.LayerNorm(4, { elementwiseAffine: false }), [x]);
    if (onnxUnavailable() === null) {
      assert.ok(checkModels([b17])[0]!.ops.includes("LayerNormalization"));
    }
  });

  it("Dropout in eval mode is the identity; Embedding is a Gather of int indices; Flatten", async () => {
    torch.manualSeed(5);
    const model = new nn.Sequential(
      new nn.Linear(3, 4),
      new nn.Dropout(0.5),
      new nn.Dropout2d(0.3),
    );
    const bytes = await check(model, [torch.randn([2, 3])]);
    await check(new nn.Embedding(10, 3), [
      torch.tensor(
        [
          [1, 2, 9],
          [0, 0, 4],
        ],
        { dtype: "int32" },
      ),
    ]);
    await check(new nn.Embedding(10, 3, { paddingIdx: 0 }), [
      torch.tensor([0, 5], { dtype: "int32" }),
    ]);
    await check(new nn.Flatten(), [torch.randn([2, 3, 4, 5])]);
    await check(new nn.Flatten(0, 2), [torch.randn([2, 3, 4, 5])]);
    if (onnxUnavailable() === null) assert.deepEqual(checkModels([bytes])[0]!.ops, ["Gemm"]);
  });

  it("every activation module", async () => {
    torch.manualSeed(6);
    const x = torch.randn([3, 5]).mul(4);
    x.storage.data[0] = 25; // above Softplus's threshold
    for (const layer of [
      new nn.ReLU(),
      new nn.Sigmoid(),
      new nn.Tanh(),
      new nn.LeakyReLU(0.2),
      new nn.ELU(0.7),
      new nn.GELU(),
      new nn.GELU("tanh"),
      new nn.SiLU(),
      new nn.Softplus(),
      new nn.Softplus(2, 5),
      new nn.Hardtanh(-2, 1.5),
      new nn.Softmax(1),
      new nn.Softmax(0),
      new nn.LogSoftmax(-1),
    ]) {
      await check(layer, [x]);
    }
  });
});

describe(
  "torch.onnx.export: functional and tensor ops in a custom forward",
  { skip: ortUnavailable ?? false },
  () => {
    it("torch.relu, view, cat, matmul, add/sub/mul/div/pow/neg, narrow, sum and mean", async () => {
      torch.manualSeed(7);
      class Custom extends nn.Module {
        w = new nn.Parameter(torch.randn([6, 5]));
        lin = new nn.Linear(4, 3);
        forward(x: Tensor): Tensor {
          const h = x.view(x.shape[0]!, -1);
          const a = torch.relu(this.lin.forward(h));
          const c = torch.cat([a, h.narrow(1, 1, 3)], 1);
          const y = c.matmul(this.w).add(x.sum(2).mean(1, true));
          return y.sub(0.5).mul(2).div(3).pow(2).neg().add(y.abs().sqrt());
        }
      }
      const bytes = await check(new Custom(), [torch.randn([2, 2, 2])]);
      if (onnxUnavailable() === null) {
        const [info] = checkModels([bytes]);
        // Parameters under their state-dict keys; the rest are constants (scalars, shapes).
        const params = info!.initializers.filter((n) => !n.startsWith("onnx::Constant_"));
        assert.deepEqual(params.sort(), ["lin.bias", "lin.weight", "w"]);
      }
    });

    it("reshapes: permute, transpose, T, unsqueeze, squeeze, expand, flatten, unflatten, reshape", async () => {
      torch.manualSeed(8);
      const g = (x: Tensor): Tensor => {
        const a = x.permute(2, 0, 1).transpose(0, 1).unsqueeze(1); // [2, 1, 4, 3]
        const b = a.squeeze(1).flatten(1).unflatten(1, [3, 4]); // [2, 3, 4]
        const c = b.reshape(-1, 4).T.unsqueeze(0).expand(2, 4, 6); // [2, 4, 6]
        return c.mul(x.reshape(2, 1, 12).narrow(2, 0, 6));
      };
      await check(new Lambda(g), [torch.randn([2, 3, 4])]);
    });

    it("slicing: slice with steps, select, narrow; stack, chunk and split", async () => {
      torch.manualSeed(9);
      const fn = (x: Tensor): Tensor[] => {
        const a = x.slice(1, 1, 5, 2); // [3, 2, 4]
        const b = x.select(2, -1); // [3, 6]
        const [c0, c1] = x.chunk(2, 1); // [3, 3, 4] each
        const s = torch.stack([c0!, c1!], 0).sum(0); // [3, 3, 4]
        return [a, b, s, x.split(2, 2)[1]!];
      };
      await check(new Lambda(fn), [torch.randn([3, 6, 4])]);
    });

    it("unary math, comparisons, where, clamp and casts", async () => {
      torch.manualSeed(10);
      const fn = (x: Tensor): Tensor[] => {
        const p = x.abs().add(0.1);
        return [
          p.log().add(p.log1p()).add(p.rsqrt()).add(p.reciprocal()).add(x.expm1()),
          x.sin().add(x.cos()).add(x.erf()).add(x.exp()).add(x.sign()),
          x.mul(3).floor().add(x.mul(3).ceil()).add(x.mul(3).round()).add(x.mul(3).trunc()),
          torch.where(x.gt(0).logicalAnd(x.lt(1)), x, x.mul(-2)),
          x.clamp(-0.5, 0.5).add(x.clamp(0)),
          x.ge(0.2).logicalOr(x.le(-1)).logicalNot().to("float32").add(x.ne(x).float()),
          x.mul(4).to("int32").to("float32"),
          x
            .eq(x.maximum(x.mul(0.5)))
            .float()
            .add(x.minimum(0)),
        ];
      };
      await check(new Lambda(fn), [torch.randn([4, 5])]);
    });

    it("functional activations and softmax, log-softmax over other dims", async () => {
      torch.manualSeed(11);
      const fn = (x: Tensor): Tensor[] => [
        nn.F.gelu(x)
          .add(x.leakyRelu(0.3))
          .add(x.elu())
          .add(x.softplus({ beta: 3 })),
        x.softmax(0),
        x.logSoftmax(1),
        x.relu6().add(x.mish()),
        torch.sigmoid(x).mul(torch.tanh(x)),
      ];
      await check(new Lambda(fn), [torch.randn([3, 4]).mul(3)]);
    });

    it("in-place ops (relu_, add_, mul_, clamp_, copy_, fill_) trace as their out-of-place ops", async () => {
      torch.manualSeed(14);
      class InPlace extends nn.Module {
        fc = new nn.Linear(3, 4);
        forward(x: Tensor): Tensor {
          const h = this.fc.forward(x);
          h.relu_().add_(1).mul_(2).clamp_(0, 3);
          const c = torch.zeros([4]).fill_(0.5);
          const d = torch.zeros([2, 4]);
          d.copy_(h.sub(c));
          const e = torch.zeros([4]);
          e.copy_(2);
          e.narrow(0, 1, 2).fill_(-1); // a constant built in place stays a constant
          return d.add(e);
        }
      }
      await check(new InPlace(), [torch.randn([2, 3])]);
      // Writing into a view changes its base: the graph cannot say so, reading it fails the export.
      const intoView = new Lambda((x) => {
        const buf = torch.zeros([2, 4]);
        buf.narrow(1, 0, 2).copy_(x);
        return buf.mul(2);
      });
      assert.throws(
        () =>
          torch.onnx.export(
            intoView,
            torch.tensor(
              [
                [1, 2],
                [3, 4],
              ],
              { dtype: "int32" },
            ),
          ),
        /Exporting the operator 'copy_ into a view'/,
      );
    });

    it("several inputs and outputs; an output that is an input or repeated gets an Identity", async () => {
      torch.manualSeed(12);
      const fn = (a: Tensor, b: Tensor): Tensor[] => {
        const s = a.add(b);
        return [s, a, s, b.mul(2)];
      };
      const bytes = await check(new Lambda(fn), [torch.randn([2, 3]), torch.randn([3])], {
        inputNames: ["a", "b"],
        outputNames: ["sum", "a_out", "sum2", "double"],
      });
      if (onnxUnavailable() === null) {
        const [info] = checkModels([bytes]);
        assert.deepEqual(
          info!.inputs.map(([n]) => n),
          ["a", "b"],
        );
        assert.deepEqual(
          info!.outputs.map(([n]) => n),
          ["sum", "a_out", "sum2", "double"],
        );
      }
    });
  },
);

describe("torch.onnx.export: dynamic axes", { skip: ortUnavailable ?? false }, () => {
  it("a symbolic batch dim runs in ONNX Runtime with another batch size (MLP with view, CNN)", async () => {
    torch.manualSeed(13);
    class MLP extends nn.Module {
      fc1 = new nn.Linear(12, 6);
      fc2 = new nn.Linear(6, 2);
      forward(x: Tensor): Tensor {
        return this.fc2.forward(torch.relu(this.fc1.forward(x.view(x.shape[0]!, -1))));
      }
    }
    class CNN extends nn.Module {
      conv = new nn.Conv2d(1, 2, 3, { padding: 1 });
      pool = new nn.MaxPool2d(2);
      bn = new nn.BatchNorm2d(2);
      fc = new nn.Linear(2 * 2 * 2, 3);
      forward(x: Tensor): Tensor {
        const h = this.pool.forward(this.bn.forward(this.conv.forward(x)).relu());
        return this.fc.forward(h.flatten(1)).logSoftmax(1);
      }
    }
    const options = {
      inputNames: ["x"],
      outputNames: ["y"],
      dynamicAxes: { x: { 0: "batch" }, y: { 0: "batch" } },
    };
    const mlp = await check(new MLP(), [torch.randn([2, 3, 4])], {
      ...options,
      runInputs: [torch.randn([7, 3, 4])],
    });
    await check(new CNN(), [torch.randn([2, 1, 4, 4])], {
      ...options,
      runInputs: [torch.randn([5, 1, 4, 4])],
    });
    if (onnxUnavailable() === null) {
      const [info] = checkModels([mlp]);
      assert.deepEqual(info!.inputs, [["x", ["batch", 3, 4]]]);
      assert.deepEqual(info!.outputs, [["y", ["batch", 2]]]);
    }
  });

  it("a list of axes gets generated names; an output without axes gets unknown dims", async () => {
    const bytes = torch.onnx.export(new nn.Linear(3, 2), torch.randn([4, 3]), {
      dynamicAxes: { input_0: [0] },
    });
    const out = await runOrt(bytes, { input_0: torch.randn([9, 3]) });
    assert.deepEqual([...out.output_0!.dims], [9, 2]);
    if (onnxUnavailable() === null) {
      const [info] = checkModels([bytes]);
      assert.deepEqual(info!.inputs, [["input_0", ["input_0_dynamic_axes_1", 3]]]);
      // An output without axes of its own gets unknown dims, not the traced [4, 2].
      assert.deepEqual(info!.outputs, [["output_0", [null, null]]]);
    }
  });
});

describe("torch.onnx.export: errors", { skip: ortUnavailable ?? false }, () => {
  it("names an op without an ONNX mapping (UnsupportedOperatorError)", () => {
    const model = new Lambda((x) => x.mul(2).prod(1));
    assert.throws(
      () => torch.onnx.export(model, torch.randn([2, 3])),
      (e: unknown) =>
        e instanceof torch.onnx.UnsupportedOperatorError &&
        e.op === "prod" &&
        /^Exporting the operator 'prod' to ONNX opset version 17 is not supported/.test(e.message),
    );
    // Also right after the input, before any parameter: the input is traced with requires_grad.
    assert.throws(
      () => torch.onnx.export(new Lambda((x) => x.flip(0).add(1)), torch.randn([3])),
      torch.onnx.UnsupportedOperatorError,
    );
    // max_pool2d's indices have no ONNX equivalent.
    assert.throws(
      () =>
        torch.onnx.export(
          new Lambda((x) => torch.maxPool2d(x, 2, { returnIndices: true }).indices.float()),
          torch.randn([1, 1, 4, 4]),
        ),
      /max_pool2d_with_indices/,
    );
  });

  it("an unmapped op whose result the outputs do not read is no error", async () => {
    const model = new Lambda((x) => {
      void x.prod();
      return x.add(1);
    });
    await check(model, [torch.randn([2, 2])]);
  });

  it("rejects bad options with typed errors", () => {
    const m = new nn.Linear(2, 2);
    const x = torch.randn([1, 2]);
    assert.throws(() => torch.onnx.export(m, x, { opsetVersion: 12 }), {
      name: "OnnxExportError",
      message: /Unsupported ONNX opset version: 12 \(torchlet exports opsets 13 to 17\)/,
    });
    assert.throws(() => torch.onnx.export(m, x, { opsetVersion: 18 }), torch.onnx.OnnxExportError);
    assert.throws(
      () => torch.onnx.export(m, x, { dynamicAxes: { inp: [0] } }),
      /dynamic_axes: inp is not an input or output name/,
    );
    assert.throws(
      () => torch.onnx.export(m, x, { dynamicAxes: { input_0: [2] } }),
      /input_0 has 2 dims, so axis 2 is out of range/,
    );
  });
});

describe("torch.onnx.export: onnx.checker", { skip: ortUnavailable ?? false }, () => {
  it("every exported model passes onnx.checker.check_model (full check)", (t) => {
    const why = onnxUnavailable();
    if (why !== null) {
      t.skip(why);
      return;
    }
    assert.ok(exported.length > 40, `exported ${exported.length} models`);
    const infos = checkModels(exported);
    for (const info of infos) assert.ok([13, 17].includes(info.opset), `opset ${info.opset}`);
  });
});
