import { it } from "node:test";
import assert from "node:assert/strict";
import type { nn, Tensor } from "../../src/index.js";
import { assertClose } from "./assert.js";
import { decode, type EncodedTensor } from "./fixtures.js";

/** One case of scripts/fixtures/nn.py's layer_case: a module with PyTorch's weights. */
export interface LayerCase {
  name: string;
  kind: {
    type: string;
    args: unknown[];
    options?: Record<string, unknown>;
    eval?: boolean;
    float32?: boolean;
  };
  state: Record<string, EncodedTensor>;
  trainSteps: EncodedTensor[];
  stateAfterSteps?: Record<string, EncodedTensor>;
  x: EncodedTensor;
  out: EncodedTensor;
  w: EncodedTensor;
  xGrad: EncodedTensor | null;
  paramGrads: Record<string, EncodedTensor>;
  stateAfter: Record<string, EncodedTensor>;
  training: boolean;
}

/**
 * Registers one test per case: load PyTorch's state, run its training steps (running stats),
 * then forward, input and parameter gradients and the state afterwards, all vs PyTorch.
 */
export function runLayerCases(
  cases: readonly LayerCase[],
  build: (kind: LayerCase["kind"]) => nn.Module,
): void {
  for (const c of cases) {
    it(c.name, () => {
      const m = build(c.kind);
      const state = Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, decode(v)]));
      m.loadStateDict(state);
      for (const x of c.trainSteps) m.forward(decode(x) as never);
      if (c.stateAfterSteps) {
        const sd = m.stateDict();
        for (const [k, v] of Object.entries(c.stateAfterSteps)) {
          assertClose(sd[k]!, v, { message: `${k} after training steps` });
        }
      }
      if (c.kind.eval) m.eval();
      assert.equal(m.training, c.training);
      const x = decode(c.x, { requiresGrad: c.xGrad !== null });
      const out = (m.forward as (x: Tensor) => Tensor)(x);
      assertClose(out, c.out, { message: "forward" });
      out.mul(decode(c.w)).sum().backward();
      if (c.xGrad) assertClose(x.grad!, c.xGrad, { message: "input grad" });
      const params = Object.fromEntries(m.namedParameters());
      assert.deepEqual(Object.keys(params), Object.keys(c.paramGrads));
      for (const [k, g] of Object.entries(c.paramGrads)) {
        assertClose(params[k]!.grad!, g, { message: `${k} grad` });
      }
      const after = m.stateDict();
      assert.deepEqual(Object.keys(after), Object.keys(c.stateAfter));
      for (const [k, v] of Object.entries(c.stateAfter)) assertClose(after[k]!, v, { message: k });
    });
  }
}
