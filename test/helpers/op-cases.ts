import { it } from "node:test";
import assert from "node:assert/strict";
import { noGrad, withBackend, type Tensor } from "../../src/index.js";
import { conformanceBackends } from "./backends.js";
import { assertClose } from "./assert.js";
import { decode, type EncodedTensor } from "./fixtures.js";
import { setUninitializedAllocator } from "../../src/tensor/dtype.js";

/** An input as scripts/fixtures/common.py's make_input encodes it. */
export type EncodedInput = EncodedTensor & {
  layout: "contiguous" | "transposed" | "expanded";
  base?: EncodedTensor;
  requiresGrad: boolean;
};

/** One case of scripts/fixtures/common.py's op_case / error_case. */
export interface OpCase {
  name: string;
  inputs: EncodedInput[];
  kwargs: Record<string, unknown>;
  out?: EncodedTensor;
  w?: EncodedTensor;
  grads?: (EncodedTensor | null)[];
  error?: string;
  /** Whether PyTorch's output requires grad (written by generators that record it). */
  outRequiresGrad?: boolean;
}

/** Rebuilds an input with PyTorch's layout (transposed strides, or an expanded view) as a leaf. */
export function buildInput(e: EncodedInput): Tensor {
  let t: Tensor;
  if (e.layout === "expanded") t = decode(e.base!).expand(e.shape);
  else if (e.layout === "transposed")
    t = decode(e).transpose(-1, -2).contiguous().transpose(-1, -2);
  else t = decode(e);
  return e.requiresGrad ? t.detach().requiresGrad_(true) : t.detach();
}

export type OpFn = (inputs: Tensor[], kwargs: Record<string, unknown>, c: OpCase) => Tensor;

/**
 * Registers one test per case: forward output vs PyTorch, and the gradient of (out * w).sum()
 * with respect to every input vs PyTorch. Error cases assert a typed error whose message
 * contains `errorText(case)` (by default PyTorch's own first line).
 */
export function runOpCases(
  cases: readonly OpCase[],
  fn: OpFn,
  options: { rtol?: number; atol?: number; errorMatches?: (c: OpCase) => RegExp | string } = {},
): void {
  for (const c of cases) {
    // Validation happens before any kernel runs: error cases run once; the others on every backend.
    const targets =
      c.error !== undefined ? conformanceBackends().slice(0, 1) : conformanceBackends();
    for (const { label, backend } of targets) {
      it(c.error !== undefined ? c.name : `${c.name} [${label}]`, () =>
        withBackend(backend, () => withPoisonedOutputs(() => runCase(c, fn, options))),
      );
    }
  }
}

/**
 * Runs fn with kernel outputs (allocateForOverwrite) starting as 0x7f bytes instead of zeros, at
 * every size: in Node they are unzeroed memory, so a kernel that skipped an element would read
 * as a wrong number (3.4e38 in float32) in the comparison with PyTorch.
 */
function withPoisonedOutputs(fn: () => void): void {
  const previous = setUninitializedAllocator({
    buffer: (bytes) => {
      const buffer = new ArrayBuffer(bytes);
      new Uint8Array(buffer).fill(0x7f);
      return buffer;
    },
    minBytes: 0,
  });
  try {
    fn();
  } finally {
    setUninitializedAllocator(previous);
  }
}

function runCase(
  c: OpCase,
  fn: OpFn,
  options: { rtol?: number; atol?: number; errorMatches?: (c: OpCase) => RegExp | string },
): void {
  {
    {
      const inputs = c.inputs.map(buildInput);
      if (c.error !== undefined) {
        const want = options.errorMatches?.(c) ?? c.error;
        assert.throws(
          () => noGrad(() => fn(inputs, c.kwargs, c)),
          (err: Error) => {
            assert.ok(
              err.name.endsWith("Error") && err.name !== "Error" && err.name !== "TypeError",
              `untyped error ${err.name}: ${err.message}`,
            );
            if (typeof want === "string")
              assert.ok(err.message.includes(want), `message "${err.message}" lacks "${want}"`);
            else assert.match(err.message, want);
            return true;
          },
        );
        return;
      }
      const out = fn(inputs, c.kwargs, c);
      assertClose(out, c.out!, { ...options, message: `${c.name} forward` });
      if (c.outRequiresGrad !== undefined)
        assert.equal(out.requiresGrad, c.outRequiresGrad, `${c.name}: output requiresGrad`);
      if (c.w && c.grads) {
        out.mul(decode(c.w)).sum().backward();
        c.grads.forEach((g, i) => {
          if (g === null) return;
          const got = inputs[i]!.grad;
          assert.ok(got !== null, `${c.name}: input ${i} got no gradient`);
          assertClose(got, g, { ...options, message: `${c.name} grad ${i}` });
        });
      }
    }
  }
}
