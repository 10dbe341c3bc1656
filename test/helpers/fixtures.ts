import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { tensor, type Tensor } from "../../src/index.js";
import type { DType } from "../../src/tensor/dtype.js";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..", "..", "fixtures");

/** A tensor as the generator writes it: flat row-major data, NaN/Infinity as strings. */
export interface EncodedTensor {
  shape: number[];
  dtype: DType;
  data: (number | boolean | "nan" | "inf" | "-inf")[];
}

/** Reads fixtures/<area>/<name>.json. */
export function loadFixture<T>(area: string, name: string): T {
  return JSON.parse(readFileSync(join(root, area, `${name}.json`), "utf8")) as T;
}

export function decodeNumber(v: number | boolean | string): number {
  if (v === "nan") return NaN;
  if (v === "inf") return Infinity;
  if (v === "-inf") return -Infinity;
  return Number(v);
}

/** The encoded tensor as a torchlet tensor (contiguous). */
export function decode(e: EncodedTensor, options: { requiresGrad?: boolean } = {}): Tensor {
  const flat = e.data.map(decodeNumber);
  const t = tensor(flat, { dtype: e.dtype });
  const shaped = t.reshape(e.shape);
  return options.requiresGrad ? shaped.detach().requiresGrad_(true) : shaped;
}
