// The attention and recurrent layers through torch.onnx.export, run in ONNX Runtime on inputs
// other than the example ones (so a layer the tracer saw as a constant would fail).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/node.js";
import { nn, type Tensor } from "../../src/node.js";
import { assertExportMatches, checkModels, onnxUnavailable, ortUnavailable } from "./ort.js";

/** Every exported file, for one onnx.checker run at the end. */
const exported: Uint8Array[] = [];

describe("ONNX export of attention and recurrent layers", { skip: ortUnavailable ?? false }, () => {
  it("MultiheadAttention (self-attention, batch first)", async () => {
    torch.manualSeed(0);
    class SelfAttention extends nn.Module {
      mha = new nn.MultiheadAttention(8, 2, { batchFirst: true });
      forward(x: Tensor): Tensor {
        return this.mha(x, x, x)[0];
      }
    }
    exported.push(
      await assertExportMatches(new SelfAttention(), [torch.randn([2, 5, 8])], {
        runInputs: [torch.randn([2, 5, 8])],
      }),
    );
  });

  it("TransformerEncoderLayer (post- and pre-norm)", async () => {
    torch.manualSeed(1);
    for (const normFirst of [false, true]) {
      const layer = new nn.TransformerEncoderLayer(8, 2, {
        dimFeedforward: 16,
        batchFirst: true,
        normFirst,
      });
      exported.push(
        await assertExportMatches(layer, [torch.randn([2, 5, 8])], {
          runInputs: [torch.randn([2, 5, 8])],
        }),
      );
    }
  });

  for (const kind of ["RNN", "GRU", "LSTM"] as const) {
    it(`${kind} (2 layers)`, async () => {
      torch.manualSeed(2);
      const layer = new nn[kind](4, 6, { numLayers: 2 });
      class Wrap extends nn.Module {
        rnn = layer;
        forward(x: Tensor): Tensor {
          return (this.rnn as nn.GRU)(x)[0];
        }
      }
      exported.push(
        await assertExportMatches(new Wrap(), [torch.randn([5, 2, 4])], {
          runInputs: [torch.randn([5, 2, 4])],
        }),
      );
    });
  }

  it("every exported file passes onnx.checker", { skip: onnxUnavailable() ?? false }, () => {
    assert.equal(checkModels(exported).length, exported.length);
  });

  it("refuses a forward that computes on a detached alias of a traced value (no silent constant)", () => {
    class Detaching extends nn.Module {
      lin = new nn.Linear(4, 4);
      forward(x: Tensor): Tensor {
        return torch.noGrad(() => this.lin(x.detach())).add(1);
      }
    }
    assert.throws(
      () => torch.onnx.export(new Detaching(), [torch.randn([2, 4])]),
      /forward computes on a detached alias of a traced value/,
    );
  });
});
