/**
 * PyTorch 1.13's strong-Wolfe line search for LBFGS (torch/optim/lbfgs.py, _strong_wolfe and
 * _cubic_interpolate, after minFunc), ported statement for statement so that the same steps
 * are tried in the same order.
 */
import type { Tensor } from "../tensor/tensor.js";

/** The loss and flat gradient at x + t d (the parameters are restored to x afterwards). */
export type DirectionalEvaluate = (
  x: Tensor[],
  t: number,
  d: Tensor,
) => { loss: number; flatGrad: Tensor };

/** The minimizer of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to the bounds. */
export function cubicInterpolate(
  x1: number,
  f1: number,
  g1: number,
  x2: number,
  f2: number,
  g2: number,
  bounds?: [number, number],
): number {
  const [xminBound, xmaxBound] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2Square = d1 ** 2 - g1 * g2;
  if (d2Square >= 0) {
    const d2 = Math.sqrt(d2Square);
    const minPos =
      x1 <= x2
        ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return pyMin(pyMax(minPos, xminBound), xmaxBound);
  }
  return (xminBound + xmaxBound) / 2;
}

// Python's min/max return the first argument on ties and when a NaN is compared.
function pyMax(a: number, b: number): number {
  return b > a ? b : a;
}
function pyMin(a: number, b: number): number {
  return b < a ? b : a;
}

/** @internal The strong-Wolfe search from step t along d (PyTorch's defaults c1, c2, ...). */
export function strongWolfe(
  objFunc: DirectionalEvaluate,
  x: Tensor[],
  t0: number,
  d: Tensor,
  f: number,
  g0: Tensor,
  gtd: number,
  c1 = 1e-4,
  c2 = 0.9,
  toleranceChange = 1e-9,
  maxLs = 25,
): { loss: number; flatGrad: Tensor; t: number; funcEvals: number } {
  let t = t0;
  const dNorm = d.abs().max().item();
  const g = g0.clone();
  let { loss: fNew, flatGrad: gNew } = objFunc(x, t, d);
  let lsFuncEvals = 1;
  let gtdNew = gNew.dot(d).item();

  let tPrev = 0;
  let fPrev = f;
  let gPrev = g;
  let gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: number[] = [];
  let bracketF: number[] = [];
  let bracketG: Tensor[] = [];
  let bracketGtd: number[] = [];
  while (lsIter < maxLs) {
    if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
      [bracket, bracketF, bracketG, bracketGtd] = [
        [tPrev, t],
        [fPrev, fNew],
        [gPrev, gNew.clone()],
        [gtdPrev, gtdNew],
      ];
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      [bracket, bracketF, bracketG] = [[t], [fNew], [gNew]];
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      [bracket, bracketF, bracketG, bracketGtd] = [
        [tPrev, t],
        [fPrev, fNew],
        [gPrev, gNew.clone()],
        [gtdPrev, gtdNew],
      ];
      break;
    }
    // Interpolate between the last two points, within [min_step, max_step].
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = tmp;
    fPrev = fNew;
    gPrev = gNew.clone();
    gtdPrev = gtdNew;
    ({ loss: fNew, flatGrad: gNew } = objFunc(x, t, d));
    lsFuncEvals += 1;
    gtdNew = gNew.dot(d).item();
    lsIter += 1;
  }
  if (lsIter === maxLs) {
    [bracket, bracketF, bracketG] = [
      [0, t],
      [f, fNew],
      [g, gNew],
    ];
  }

  // Zoom: shrink the bracket until a point satisfies the strong Wolfe conditions.
  let insufProgress = false;
  let [lowPos, highPos] = bracketF[0]! <= bracketF[bracketF.length - 1]! ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (Math.abs(bracket[1]! - bracket[0]!) * dNorm < toleranceChange) break;
    t = cubicInterpolate(
      bracket[0]!,
      bracketF[0]!,
      bracketGtd[0]!,
      bracket[1]!,
      bracketF[1]!,
      bracketGtd[1]!,
    );
    const bMax = Math.max(...bracket);
    const bMin = Math.min(...bracket);
    const eps = 0.1 * (bMax - bMin);
    if (Math.min(bMax - t, t - bMin) < eps) {
      if (insufProgress || t >= bMax || t <= bMin) {
        t = Math.abs(t - bMax) < Math.abs(t - bMin) ? bMax - eps : bMin + eps;
        insufProgress = false;
      } else {
        insufProgress = true;
      }
    } else {
      insufProgress = false;
    }
    ({ loss: fNew, flatGrad: gNew } = objFunc(x, t, d));
    lsFuncEvals += 1;
    gtdNew = gNew.dot(d).item();
    lsIter += 1;
    if (fNew > f + c1 * t * gtd || fNew >= bracketF[lowPos]!) {
      bracket[highPos] = t;
      bracketF[highPos] = fNew;
      bracketG[highPos] = gNew.clone();
      bracketGtd[highPos] = gtdNew;
      [lowPos, highPos] = bracketF[0]! <= bracketF[1]! ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) {
        done = true;
      } else if (gtdNew * (bracket[highPos]! - bracket[lowPos]!) >= 0) {
        bracket[highPos] = bracket[lowPos]!;
        bracketF[highPos] = bracketF[lowPos]!;
        bracketG[highPos] = bracketG[lowPos]!;
        bracketGtd[highPos] = bracketGtd[lowPos]!;
      }
      bracket[lowPos] = t;
      bracketF[lowPos] = fNew;
      bracketG[lowPos] = gNew.clone();
      bracketGtd[lowPos] = gtdNew;
    }
  }
  return {
    loss: bracketF[lowPos]!,
    flatGrad: bracketG[lowPos]!,
    t: bracket[lowPos]!,
    funcEvals: lsFuncEvals,
  };
}
