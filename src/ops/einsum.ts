import { checkString } from "../validation/arguments.js";
/**
 * torch.einsum as a composite: repeated subscripts within an operand take the diagonal, letters
 * used nowhere else are summed out, and operands are contracted left to right, each pair as
 * one batched matrix product (as PyTorch's sumproduct_pair), so the gradient comes for free.
 */
import { ValueError } from "../errors.js";
import { arange } from "../tensor/create.js";
import type { Tensor } from "../tensor/tensor.js";
import { where } from "./binary.js";
import { matmul } from "./linalg.js";

/** An operand with one subscript letter per dim. */
interface Term {
  t: Tensor;
  letters: string[];
}

const ELLIPSIS_LETTERS = "αβγδεζηθικλμνξοπρστυφχψω"; // stand-ins for the dims of "..."

function parseSubscripts(spec: string, ndim: number, ellipsisDims: number, i: number): string[] {
  const letters: string[] = [];
  const parts = spec.split("...");
  if (parts.length > 2) {
    throw new ValueError("einsum(): found more than one ellipsis ('...') in an operand");
  }
  for (const ch of parts[0]!) letters.push(ch);
  if (parts.length === 2) {
    for (let k = 0; k < ellipsisDims; k++) letters.push(ELLIPSIS_LETTERS[k]!);
    for (const ch of parts[1]!) letters.push(ch);
  }
  for (const ch of letters) {
    if (!/^[a-zA-Z]$/.test(ch) && !ELLIPSIS_LETTERS.includes(ch)) {
      throw new ValueError(
        `einsum(): invalid subscript given at index ${spec.indexOf(ch)} in the equation string, subscripts must be in [a-zA-Z]`,
      );
    }
  }
  if (letters.length !== ndim) {
    throw new ValueError(
      `einsum(): the number of subscripts in the equation (${letters.length}) does not match the number of dimensions (${ndim}) for operand ${i}${parts.length === 2 ? "" : " and no ellipsis was given"}`,
    );
  }
  return letters;
}

/** Takes the diagonal over repeated letters of one operand (`ii->i`). */
function takeDiagonals(term: Term): Term {
  let { t, letters } = term;
  for (;;) {
    const first = letters.findIndex((l, k) => letters.indexOf(l) !== k);
    if (first < 0) return { t, letters };
    const a = letters.indexOf(letters[first]!);
    const b = first;
    const n = t.shape[a]!;
    // Keep the a == b elements, sum over b.
    const shape = t.shape.map((_, k) => (k === a || k === b ? n : 1));
    const ia = arange(n).reshape(shape.map((s, k) => (k === a ? s : 1)));
    const ib = arange(n).reshape(shape.map((s, k) => (k === b ? s : 1)));
    t = where(ia.eq(ib), t, 0).sum(b);
    letters = letters.filter((_, k) => k !== b);
  }
}

/** Permutes (and reshapes) a term so that its letters follow `order` (absent ones of size 1). */
function align(term: Term, order: readonly string[]): Tensor {
  const present = order.filter((l) => term.letters.includes(l));
  const perm = present.map((l) => term.letters.indexOf(l));
  const permuted = term.t.permute(perm);
  return permuted.reshape(
    order.map((l) => (present.includes(l) ? term.t.shape[term.letters.indexOf(l)]! : 1)),
  );
}

/** Contracts two terms over `summed` letters, keeping the rest, with one matmul. */
function contract(x: Term, y: Term, keep: ReadonlySet<string>): Term {
  const inX = new Set(x.letters);
  const inY = new Set(y.letters);
  const both = x.letters.filter((l) => inY.has(l));
  const batch = both.filter((l) => keep.has(l));
  const summed = both.filter((l) => !keep.has(l));
  const xOnly = x.letters.filter((l) => !inY.has(l));
  const yOnly = y.letters.filter((l) => !inX.has(l));
  const size = (l: string): number => {
    const sx = inX.has(l) ? x.t.shape[x.letters.indexOf(l)]! : 1;
    const sy = inY.has(l) ? y.t.shape[y.letters.indexOf(l)]! : 1;
    return Math.max(sx, sy) === 1 ? 1 : sx === 1 ? sy : sx;
  };
  const prod = (ls: string[]): number => ls.reduce((p, l) => p * size(l), 1);
  const bshape = batch.map(size);
  // x as [batch..., xOnly, summed], y as [batch..., summed, yOnly].
  const xa = align(x, [...batch, ...xOnly, ...summed])
    .expand([...bshape, ...xOnly.map((l) => x.t.shape[x.letters.indexOf(l)]!), ...summed.map(size)])
    .reshape([...bshape, prod(xOnly), prod(summed)]);
  const ya = align(y, [...batch, ...summed, ...yOnly])
    .expand([...bshape, ...summed.map(size), ...yOnly.map((l) => y.t.shape[y.letters.indexOf(l)]!)])
    .reshape([...bshape, prod(summed), prod(yOnly)]);
  const out = matmul(xa, ya).reshape([
    ...bshape,
    ...xOnly.map((l) => x.t.shape[x.letters.indexOf(l)]!),
    ...yOnly.map((l) => y.t.shape[y.letters.indexOf(l)]!),
  ]);
  return { t: out, letters: [...batch, ...xOnly, ...yOnly] };
}

/** Sums out the letters of `term` that are not in `keep`. */
function sumOut(term: Term, keep: ReadonlySet<string>): Term {
  const dims = term.letters.flatMap((l, k) => (keep.has(l) ? [] : [k]));
  if (dims.length === 0) return term;
  return { t: term.t.sum(dims), letters: term.letters.filter((l) => keep.has(l)) };
}

/**
 * Einstein summation (torch.einsum): `"ij,jk->ik"` is a matrix product, `"bij->bji"` a
 * permutation, `"ii->i"` a diagonal, `"i,i->"` a dot product; `...` stands for broadcast
 * dims. Without `->` the output is the letters used once, in alphabetical order.
 *
 * @example
 * torch.einsum("bhqd,bhkd->bhqk", q, k);
 * torch.einsum("ij,ij->", a, b);
 */
export function einsum(equation: string, ...operands: (Tensor | readonly Tensor[])[]): Tensor {
  checkString("einsum", "equation", equation);
  const ops = (
    operands.length === 1 && Array.isArray(operands[0]) ? operands[0] : operands
  ) as readonly Tensor[];
  const eq = equation.replace(/\s+/g, "");
  const [lhs, rhs] = eq.split("->") as [string, string | undefined];
  const specs = lhs.split(",");
  if (specs.length !== ops.length) {
    throw new ValueError(
      specs.length > ops.length
        ? "einsum(): fewer operands were provided than specified in the equation"
        : "einsum(): more operands were provided than specified in the equation",
    );
  }
  const explicitCounts = specs.map((s) => s.replace("...", "").length);
  const ellipsisDims = Math.max(
    0,
    ...ops.map((t, i) => (specs[i]!.includes("...") ? t.ndim - explicitCounts[i]! : 0)),
  );
  const terms: Term[] = ops.map((t, i) => {
    const own = specs[i]!.includes("...") ? t.ndim - explicitCounts[i]! : 0;
    // An operand's "..." covers its own trailing part of the broadcast dims.
    const letters = parseSubscripts(specs[i]!, t.ndim, own, i).map((l) => {
      const k = ELLIPSIS_LETTERS.indexOf(l);
      return k >= 0 ? ELLIPSIS_LETTERS[k + ellipsisDims - own]! : l;
    });
    return { t, letters };
  });
  // The implicit output counts the letters as written, before diagonals ("ii" -> "").
  const written = terms.flatMap((term) => term.letters);
  const seen = new Map<string, number>();
  terms.forEach((term, i) =>
    term.letters.forEach((l, k) => {
      const n = term.t.shape[k]!;
      const before = seen.get(l);
      if (before !== undefined && before !== n && before !== 1 && n !== 1) {
        throw new ValueError(
          `einsum(): subscript ${l} has size ${n} for operand ${i} which does not broadcast with previously seen size ${before}`,
        );
      }
      if (before === undefined || before === 1) seen.set(l, n);
    }),
  );
  const ellipsis = ELLIPSIS_LETTERS.slice(0, ellipsisDims).split("");
  let output: string[];
  if (rhs === undefined) {
    const counts = new Map<string, number>();
    for (const l of written) counts.set(l, (counts.get(l) ?? 0) + 1);
    const single = [...counts].filter(([l, c]) => c === 1 && !ellipsis.includes(l)).map(([l]) => l);
    output = [...ellipsis, ...single.sort()];
  } else {
    output = rhs.includes("...")
      ? [...rhs.split("...")[0]!, ...ellipsis, ...rhs.split("...")[1]!]
      : [...rhs];
    const all = new Set(terms.flatMap((term) => term.letters));
    for (const l of output) {
      if (!all.has(l)) {
        throw new ValueError(
          `einsum(): output subscript ${l} does not appear in the equation for any input operand`,
        );
      }
    }
  }
  terms.forEach((term, i) => (terms[i] = takeDiagonals(term)));
  // Left to right: sum out what no later operand or the output needs, then contract.
  const needed = (from: number): Set<string> =>
    new Set([...output, ...terms.slice(from).flatMap((term) => term.letters)]);
  let acc = sumOut(terms[0]!, needed(1));
  for (let i = 1; i < terms.length; i++) {
    const next = sumOut(terms[i]!, new Set([...needed(i + 1), ...acc.letters]));
    acc = contract(acc, next, needed(i + 1));
  }
  acc = sumOut(acc, new Set(output));
  return acc.t.permute(output.map((l) => acc.letters.indexOf(l)));
}
