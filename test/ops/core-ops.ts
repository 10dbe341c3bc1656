/**
 * The torchlet call for each op of fixtures/ops_core (a case named "<op>/<what>"), reading
 * scalar operands and options from the case's kwargs as scripts/fixtures/ops_core.py names them.
 */
import * as torch from "../../src/index.js";
import type { Tensor, TensorLike } from "../../src/index.js";
import type { DTypeLike } from "../../src/tensor/dtype.js";
import type { OpFn } from "../helpers/op-cases.js";

type Kw = Record<string, unknown>;

/** The second operand: a tensor input, or the scalar kwargs.other. */
const second = (i: Tensor[], kw: Kw): TensorLike => i[1] ?? (kw.other as number);
const alpha = (kw: Kw): { alpha?: number } =>
  kw.alpha === undefined ? {} : { alpha: kw.alpha as number };
const opt = <T>(kw: Kw, key: string): T | undefined => kw[key] as T | undefined;

function binary(fn: (a: TensorLike, b: TensorLike) => Tensor): OpFn {
  return (i, kw) => fn(i[0]!, second(i, kw));
}

const unaryNames = [
  "neg",
  "abs",
  "sign",
  "exp",
  "log",
  "log1p",
  "expm1",
  "sqrt",
  "rsqrt",
  "reciprocal",
  "sin",
  "cos",
  "tanh",
  "sigmoid",
  "relu",
  "erf",
  "floor",
  "ceil",
  "round",
  "trunc",
  "logicalNot",
  "isnan",
  "isinf",
  "isfinite",
] as const;

const unaryOps: Record<string, OpFn> = Object.fromEntries(
  unaryNames.map((name) => [name, (i: Tensor[]) => torch[name](i[0]!)]),
);

export const coreOps: Record<string, OpFn> = {
  ...unaryOps,
  add: (i, kw) => torch.add(i[0]!, second(i, kw), alpha(kw)),
  sub: (i, kw) => torch.sub(i[0]!, second(i, kw), alpha(kw)),
  add_: (i, kw) => i[0]!.clone().add_(second(i, kw), alpha(kw)),
  sub_: (i, kw) => i[0]!.clone().sub_(second(i, kw), alpha(kw)),
  mul: binary(torch.mul),
  div: binary(torch.div),
  maximum: binary(torch.maximum),
  minimum: binary(torch.minimum),
  remainder: binary(torch.remainder),
  atan2: binary(torch.atan2),
  pow: (i, kw) =>
    kw.self !== undefined
      ? torch.pow(kw.self as number, i[0]!)
      : torch.pow(i[0]!, i[1] ?? (kw.exponent as number)),
  where: (i, kw) => torch.where(i[0]!, i[1]!, i[2] ?? (kw.other as number)),
  clamp: (i, kw) => torch.clamp(i[0]!, opt<number>(kw, "min") ?? null, opt<number>(kw, "max")),
  eq: binary(torch.eq),
  ne: binary(torch.ne),
  lt: binary(torch.lt),
  le: binary(torch.le),
  gt: binary(torch.gt),
  ge: binary(torch.ge),
  logicalAnd: binary(torch.logicalAnd),
  logicalOr: binary(torch.logicalOr),
  logicalXor: binary(torch.logicalXor),
  to: (i, kw) => i[0]!.to(kw.dtype as DTypeLike),
  view: (i, kw) => i[0]!.view(kw.shape as number[]),
  reshape: (i, kw) => i[0]!.reshape(kw.shape as number[]),
  transpose: (i, kw) => i[0]!.transpose(kw.dim0 as number, kw.dim1 as number),
  permute: (i, kw) => i[0]!.permute(kw.dims as number[]),
  expand: (i, kw) => i[0]!.expand(kw.sizes as number[]),
  squeeze: (i, kw) => i[0]!.squeeze(opt<number>(kw, "dim")),
  unsqueeze: (i, kw) => i[0]!.unsqueeze(kw.dim as number),
  flatten: (i, kw) => i[0]!.flatten(opt(kw, "start_dim"), opt(kw, "end_dim")),
  unflatten: (i, kw) => i[0]!.unflatten(kw.dim as number, kw.sizes as number[]),
  narrow: (i, kw) => i[0]!.narrow(kw.dim as number, kw.start as number, kw.length as number),
  slice: (i, kw) =>
    i[0]!.slice(kw.dim as number, kw.start as number, kw.end as number, kw.step as number),
  select: (i, kw) => i[0]!.select(kw.dim as number, kw.index as number),
  T: (i) => i[0]!.T,
  mT: (i) => i[0]!.mT,
  matmul: (i) => torch.matmul(i[0]!, i[1]!),
  mm: (i) => torch.mm(i[0]!, i[1]!),
  bmm: (i) => torch.bmm(i[0]!, i[1]!),
  dot: (i) => torch.dot(i[0]!, i[1]!),
  outer: (i) => torch.outer(i[0]!, i[1]!),
  sum: (i, kw) =>
    kw.dim === undefined ? i[0]!.sum() : i[0]!.sum(kw.dim as number, kw.keepdim as boolean),
  mean: (i, kw) =>
    kw.dim === undefined ? i[0]!.mean() : i[0]!.mean(kw.dim as number, kw.keepdim as boolean),
};

/** Looks up a case's op by its name prefix; an unknown prefix is a test bug, not a skip. */
export function coreOp(name: string): OpFn {
  const fn = coreOps[name.split("/")[0]!];
  if (fn === undefined) throw new Error(`no torchlet call mapped for case ${name}`);
  return fn;
}
