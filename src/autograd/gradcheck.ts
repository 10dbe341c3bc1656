import { TorchletError } from "../errors.js";
import { Tensor } from "../tensor/tensor.js";
import { grad } from "./grad.js";
import { enableGrad, noGrad } from "./grad-mode.js";
import { randnLikeForCheck } from "./gradcheck-random.js";
import { checkTensorList } from "../validation/tensors.js";

/**
 * A gradient that disagrees with the finite-difference estimate.
 *
 * @example
 * try {
 *   torch.autograd.gradcheck(f, [x]);
 * } catch (e) {
 *   if (e instanceof torch.autograd.GradcheckError) console.log(e.message);
 * }
 */
export class GradcheckError extends TorchletError {}

/** Tolerances of gradcheck, PyTorch's defaults. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /** Throw a GradcheckError on mismatch (default true); otherwise return false. */
  raiseException?: boolean;
}

type Fn = (...inputs: Tensor[]) => Tensor | readonly Tensor[];

function outputsOf(fn: Fn, inputs: Tensor[]): Tensor[] {
  const out = fn(...inputs);
  return out instanceof Tensor ? [out] : [...out];
}

/** Storage offset of the j-th element (row-major) of t. */
function offsetOf(t: Tensor, j: number): number {
  let off = t.offset;
  for (let d = t.ndim - 1; d >= 0; d--) {
    const size = t.shape[d]!;
    off += (j % size) * t.strides[d]!;
    j = Math.floor(j / size);
  }
  return off;
}

function flatValues(ts: readonly Tensor[]): number[] {
  const out: number[] = [];
  for (const t of ts) for (const v of t.toArray()) out.push(v);
  return out;
}

/**
 * Checks the gradients of `fn` at `inputs` against central finite differences, element by
 * element of the Jacobian (torch.autograd.gradcheck). Use float64 inputs that require grad.
 *
 * @example
 * const x = torch.randn([3], { dtype: "float64", requiresGrad: true });
 * autograd.gradcheck((t) => t.sigmoid(), [x]); // true
 */
export function gradcheck(fn: Fn, inputs: Tensor[], options: GradcheckOptions = {}): boolean {
  checkTensorList("gradcheck", "inputs", inputs);
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  const raise = options.raiseException ?? true;
  const diffInputs = inputs.map((t, i) => ({ t, i })).filter(({ t }) => t.requiresGrad);

  // Numerical Jacobian columns: perturb one input element at a time.
  const numerical: number[][][] = diffInputs.map(({ t }) => {
    const cols: number[][] = [];
    const data = t.storage.data;
    for (let j = 0; j < t.numel(); j++) {
      const off = offsetOf(t, j);
      const orig = data[off]!;
      const plus = noGrad(() => {
        data[off] = orig + eps;
        return flatValues(outputsOf(fn, inputs));
      });
      const minus = noGrad(() => {
        data[off] = orig - eps;
        return flatValues(outputsOf(fn, inputs));
      });
      data[off] = orig;
      cols.push(plus.map((p, k) => (p - minus[k]!) / (2 * eps)));
    }
    return cols;
  });

  // Analytical Jacobian rows: backward from one output element at a time.
  const outputs = outputsOf(fn, inputs);
  const sizes = outputs.map((o) => o.numel());
  const total = sizes.reduce((a, b) => a + b, 0);
  const analytical: number[][][] = diffInputs.map(({ t }) =>
    Array.from({ length: t.numel() }, () => new Array<number>(total).fill(0)),
  );
  const diffOutputs = outputs.filter((o) => o.requiresGrad);
  let row = 0;
  outputs.forEach((o) => {
    for (let k = 0; k < o.numel(); k++, row++) {
      if (!o.requiresGrad) continue;
      const gradOutputs = diffOutputs.map((d) => {
        const g = noGrad(() => d.detach().mul(0).contiguous());
        if (d === o) g.storage.data[k] = 1;
        return g;
      });
      const grads = grad(
        diffOutputs,
        diffInputs.map(({ t }) => t),
        { gradOutputs, retainGraph: true, allowUnused: true },
      );
      grads.forEach((g, a) => {
        if (g === null) return;
        const vals = g.toArray();
        for (let j = 0; j < vals.length; j++) analytical[a]![j]![row] = vals[j]!;
      });
    }
  });

  for (let a = 0; a < diffInputs.length; a++) {
    for (let j = 0; j < numerical[a]!.length; j++) {
      for (let r = 0; r < total; r++) {
        const n = numerical[a]![j]![r]!;
        const an = analytical[a]![j]![r]!;
        if (!(Math.abs(an - n) <= atol + rtol * Math.abs(n))) {
          if (!raise) return false;
          throw new GradcheckError(
            `Jacobian mismatch for output ${r} with respect to input ${diffInputs[a]!.i} element ${j},\n` +
              `numerical: ${n}\nanalytical: ${an}`,
          );
        }
      }
    }
  }
  return true;
}

/**
 * Checks second derivatives: gradcheck of the map from (inputs, gradOutputs) to the
 * gradients of `fn`, built with createGraph (torch.autograd.gradgradcheck).
 *
 * @example
 * autograd.gradgradcheck((t) => t.pow(3), [x]);
 */
export function gradgradcheck(fn: Fn, inputs: Tensor[], options: GradcheckOptions = {}): boolean {
  checkTensorList("gradgradcheck", "inputs", inputs);
  const outputs = outputsOf(fn, inputs).filter((o) => o.requiresGrad);
  const gradOutputs = outputs.map((o) => randnLikeForCheck(o).requiresGrad_(true));
  const n = inputs.length;
  // Finite differences run under noGrad; the first-order gradients must still be recorded.
  const firstOrder = (...args: Tensor[]): Tensor[] =>
    enableGrad(() => {
      const ins = args.slice(0, n);
      const gos = args.slice(n);
      const outs = outputsOf(fn, ins).filter((o) => o.requiresGrad);
      const grads = grad(
        outs,
        ins.filter((t) => t.requiresGrad),
        {
          gradOutputs: gos,
          createGraph: true,
          allowUnused: true,
        },
      );
      return grads.map((g, i) => g ?? ins.filter((t) => t.requiresGrad)[i]!.mul(0));
    });
  return gradcheck(firstOrder, [...inputs, ...gradOutputs], options);
}
