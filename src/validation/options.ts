/**
 * Option objects (PyTorch's keyword arguments) checked at run time: an unknown key is refused
 * as Python refuses an unexpected keyword argument, with the closest valid key suggested, and a
 * value of the wrong type is refused before it can turn into NaN.
 */
import { ArgumentTypeError } from "../errors.js";
import { pyTypeName } from "./arguments.js";

/** Edit distance of two short strings (Levenshtein), for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = Math.min(up + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length]!;
}

/** The valid key closest to `key`, when it is close enough to be a likely typo. */
export function closestKey(key: string, valid: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const v of valid) {
    const d = distance(key.toLowerCase(), v.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [v, d];
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : null;
}

/** The kind of value an option takes. */
export type OptionKind = "number" | "boolean" | "string" | "numbers" | "unknown";

/**
 * Checks that `options` is a plain object whose keys are all in `spec` and whose values have the
 * kinds `spec` gives (undefined is always allowed: it means "the default").
 *
 * @example
 * checkOptions("SGD", options, { lr: "number", momentum: "number", nesterov: "boolean" });
 */
export function checkOptions(
  fn: string,
  options: unknown,
  spec: Readonly<Record<string, OptionKind>>,
): void {
  if (options === undefined) return;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new ArgumentTypeError(
      `${fn}(): the options must be an object of named arguments, not ${pyTypeName(options)}`,
    );
  }
  for (const [key, value] of Object.entries(options)) {
    const kind = Object.prototype.hasOwnProperty.call(spec, key) ? spec[key] : undefined;
    if (kind === undefined) {
      const hint = closestKey(key, Object.keys(spec));
      throw new ArgumentTypeError(
        `${fn}() got an unexpected keyword argument '${key}'` +
          (hint === null ? "" : `. Did you mean '${hint}'?`),
      );
    }
    if (value === undefined || kind === "unknown") continue;
    const ok =
      kind === "numbers"
        ? Array.isArray(value) && value.every((v) => typeof v === "number")
        : typeof value === kind;
    if (!ok) {
      const want = kind === "numbers" ? "tuple of floats" : pyName[kind];
      throw new ArgumentTypeError(
        `${fn}(): argument '${key}' must be ${want}, not ${pyTypeName(value)}`,
      );
    }
  }
}

const pyName: Record<"number" | "boolean" | "string", string> = {
  number: "float",
  boolean: "bool",
  string: "str",
};
