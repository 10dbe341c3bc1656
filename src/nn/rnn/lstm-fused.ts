/**
 * One direction of one LSTM layer over a full (unpacked) batch as a single autograd op, forward
 * and gradient together. The composite (steps.ts through layer.ts) records ~15 nodes per time
 * step, each step's slice of the input projection gets a full-size zero gradient from the
 * slice's backward (O(T^2) memory traffic), and the gates, column blocks of one [B, 4H] product,
 * are strided views that the fast backends leave to the reference loops. W6 spent most of its
 * time in those three. This op computes a step's gates as one dense [4, B, H] block (one batched
 * product with the weight's four row blocks, plus each gate's input projection, computed for all
 * steps at once), runs ATen's LSTMCell math with the backends' kernels, saves the activations, and
 * writes the gradient by hand: backpropagation through time step by step for the recurrence,
 * then one product over all T*B rows for each weight gradient.
 *
 * The numbers are the composite's up to rounding: b_ih + b_hh is added to the input projection
 * (ATen adds b_hh to the hidden projection), and each gate's product sums the same terms. The
 * gradient is first-order only: its formulas use the saved activations as constants.
 */
import { noGrad } from "../../autograd/grad-mode.js";
import { record } from "../../ops/support.js";
import { cat, stack } from "../../ops/join.js";
import { zeros } from "../../tensor/create.js";
import { linear } from "../functional/layers.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { StepWeights } from "./steps.js";

/** The activations one step saves for the gradient. */
interface Saved {
  /** sigmoid of all four gate pre-activations [4, B, H] (slots 0, 1, 3 are i, f, o). */
  sig: Tensor;
  /** The cell gate tanh(g) [B, H]. */
  g: Tensor;
  cPrev: Tensor;
  /** tanh of the new cell state. */
  tc: Tensor;
  /** The unprojected hidden state o * tanh(c) (used with a projection). */
  m: Tensor;
}

// Written with binary ops only (y - y^2 rather than y (1 - y)): the fast backends have kernels
// for add/sub/mul but not for neg.
/** d sigmoid from its output y: y (1 - y). */
const dSigmoid = (y: Tensor): Tensor => y.sub(y.mul(y));
/** d tanh from its output y: 1 - y^2. */
const dTanh = (y: Tensor): Tensor => y.mul(y).mul_(-1).add_(1);

/** The four row blocks (gates i, f, g, o) of a [4H, ...] weight or [4H] bias. */
const blocks = (t: Tensor, hidden: number): Tensor[] =>
  [0, 1, 2, 3].map((k) => t.narrow(0, k * hidden, hidden));

/**
 * Runs T steps of batch B over input rows `x` [T*B, in] (step t in rows [tB, (t+1)B)). Returns
 * the outputs [T*B, P] in time order and the final [h, c].
 */
export function lstmDirectionFused(
  x: Tensor,
  h0: Tensor,
  c0: Tensor,
  w: StepWeights,
  steps: number,
  reverse: boolean,
): { output: Tensor; final: Tensor[] } {
  const batch = h0.shape[0]!;
  const hidden = c0.shape[1]!;
  const proj = h0.shape[1]!;
  const n = steps * batch;
  const wIh = blocks(w.wIh.detach(), hidden);
  const wHr = w.wHr?.detach() ?? null;
  const saved: Saved[] = new Array<Saved>(steps);
  const hPrev: Tensor[] = new Array<Tensor>(steps);
  const wHh4T = w.wHh.detach().view(4, hidden, proj).transpose(1, 2); // [4, P, H]
  const wHh4 = w.wHh.detach().view(4, hidden, proj);
  const combined = noGrad(() => {
    // Each gate's input projection for every step in one product (with both biases), dense
    // [T*B, H]: step t's rows are a dense block added to its slot of the step's [4, B, H] gates.
    const bias =
      w.bIh !== null && w.bHh !== null ? blocks(w.bIh.detach().add(w.bHh.detach()), hidden) : null;
    const xg = wIh.map((wk, k) => linear(x.detach(), wk, bias?.[k] ?? null));
    let h = h0.detach();
    let c = c0.detach();
    const outs: Tensor[] = new Array<Tensor>(steps);
    for (let s = 0; s < steps; s++) {
      const t = reverse ? steps - 1 - s : s;
      const pre = h.unsqueeze(0).matmul(wHh4T);
      for (let k = 0; k < 4; k++) pre.select(0, k).add_(xg[k]!.narrow(0, t * batch, batch));
      const sig = pre.sigmoid();
      const g = pre.select(0, 2).tanh();
      const cy = sig.select(0, 1).mul(c).add_(sig.select(0, 0).mul(g));
      const tc = cy.tanh();
      const m = sig.select(0, 3).mul(tc);
      hPrev[t] = h;
      saved[t] = { sig, g, cPrev: c, tc, m };
      h = wHr === null ? m : m.matmul(wHr.t());
      c = cy;
      outs[t] = h;
    }
    return cat([stack(outs, 0).reshape(-1), c.reshape(-1)], 0);
  });
  const inputs: Tensor[] = [x, h0, c0, w.wIh, w.wHh];
  if (w.bIh !== null) inputs.push(w.bIh);
  if (w.bHh !== null) inputs.push(w.bHh);
  if (w.wHr !== null) inputs.push(w.wHr);
  const weights = w.wHr === null ? [w.wIh, w.wHh] : [w.wIh, w.wHh, w.wHr];
  const out = record(
    "LstmLayerBackward",
    combined,
    inputs,
    (grad) => {
      const gOut = grad.narrow(0, 0, n * proj).reshape(n, proj);
      let dc = grad.narrow(0, n * proj, batch * hidden).reshape(batch, hidden);
      let dh: Tensor = zeros([batch, proj], { dtype: grad.dtype });
      const dGs: Tensor[] = new Array<Tensor>(steps);
      const dHs: Tensor[] = new Array<Tensor>(steps);
      for (let s = steps - 1; s >= 0; s--) {
        const t = reverse ? steps - 1 - s : s;
        const a = saved[t]!;
        const [i, f, , o] = a.sig.unbind(0) as [Tensor, Tensor, Tensor, Tensor];
        const dhT = gOut.narrow(0, t * batch, batch).add(dh);
        dHs[t] = dhT;
        const dm = wHr === null ? dhT : dhT.mm(wHr);
        const dcT = dm.mul(o).mul_(dTanh(a.tc)).add_(dc);
        // d(loss)/d(activated gate), then times each activation's derivative.
        const dAct = stack([dcT.mul(a.g), dcT.mul(a.cPrev), dcT.mul(i), dm.mul(a.tc)], 0);
        const deriv = dSigmoid(a.sig);
        deriv.select(0, 2).copy_(dTanh(a.g));
        const dg = dAct.mul_(deriv);
        dGs[t] = dg;
        dc = dcT.mul(f);
        dh = dg.matmul(wHh4).sum(0);
      }
      const dGates = [0, 1, 2, 3].map((k) => dGs.map((d) => d.select(0, k)));
      // Gradients summed over every step: one product each over all T*B rows.
      const dG = dGates.map((d) => cat(d, 0));
      const xs = x.detach();
      let dx: Tensor | null = null;
      if (x.requiresGrad) {
        dx = dG[0]!.mm(wIh[0]!);
        for (let k = 1; k < 4; k++) dx = dx.add(dG[k]!.mm(wIh[k]!));
      }
      const hs = cat(hPrev, 0);
      const dBias =
        w.bIh?.requiresGrad || w.bHh?.requiresGrad
          ? cat(
              dG.map((d) => d.sum(0)),
              0,
            )
          : null;
      const grads: (Tensor | null)[] = [
        dx,
        h0.requiresGrad ? dh : null,
        c0.requiresGrad ? dc : null,
        w.wIh.requiresGrad
          ? cat(
              dG.map((d) => d.t().mm(xs)),
              0,
            )
          : null,
        w.wHh.requiresGrad
          ? cat(
              dG.map((d) => d.t().mm(hs)),
              0,
            )
          : null,
      ];
      if (w.bIh !== null) grads.push(w.bIh.requiresGrad ? dBias : null);
      // A copy: each parameter's .grad owns its tensor.
      if (w.bHh !== null) grads.push(w.bHh.requiresGrad ? (dBias?.clone() ?? null) : null);
      if (w.wHr !== null) {
        const ms = cat(
          saved.map((a) => a.m),
          0,
        );
        grads.push(w.wHr.requiresGrad ? cat(dHs, 0).t().mm(ms) : null);
      }
      return grads;
    },
    // Saved so that changing a weight in place before backward is an error, as in PyTorch.
    weights,
  );
  const output = out.narrow(0, 0, n * proj).view(n, proj);
  const cN = out.narrow(0, n * proj, batch * hidden).view(batch, hidden);
  const last = reverse ? 0 : steps - 1;
  return { output, final: [output.narrow(0, last * batch, batch), cN] };
}
