/**
 * The Python builtins every pickle of a state dict may use, as PyTorch's weights_only
 * allow-list has them: collections.OrderedDict, set/frozenset, and bytes (protocol 2 writes
 * them as `_codecs.encode(str, "latin1")`) or bytearray.
 */
import { UnpicklingError } from "../pt/errors.js";
import { PyGlobal, type PyDict } from "./values.js";

/** What the builtins need from the unpickler: its containers, so that later opcodes may fill them. */
export interface BuiltinContext {
  newDict(ordered: boolean): PyDict;
  setItem(d: unknown, k: unknown, v: unknown): void;
  newSet(items: unknown[], mutable: boolean): Set<unknown>;
}

function fail(message: string): never {
  throw new UnpicklingError(message);
}

/** The builtins by `module.name`, bound to one unpickler's containers. */
export function pythonBuiltins(ctx: BuiltinContext): Map<string, PyGlobal> {
  const builtins: Map<string, PyGlobal> = new Map<string, PyGlobal>([
    [
      "collections.OrderedDict",
      new PyGlobal("collections.OrderedDict", (args) => {
        const d = ctx.newDict(true);
        if (args.length > 1) fail("OrderedDict() takes at most one argument");
        if (args.length === 1) {
          if (!Array.isArray(args[0])) fail("OrderedDict() argument must be a list of pairs");
          for (const pair of args[0] as unknown[]) {
            if (!Array.isArray(pair) || pair.length !== 2) fail("OrderedDict() needs (key, value)");
            ctx.setItem(d, pair[0], pair[1]);
          }
        }
        return d;
      }),
    ],
    ...["set", "frozenset"].map(
      (kind) =>
        [
          `builtins.${kind}`,
          new PyGlobal(`builtins.${kind}`, (args) => {
            if (args.length > 1 || (args.length === 1 && !Array.isArray(args[0])))
              fail(`${kind}() takes one list argument`);
            return ctx.newSet((args[0] as unknown[] | undefined) ?? [], kind === "set");
          }),
        ] as const,
    ),
    [
      "_codecs.encode",
      // Protocol 2 writes bytes as _codecs.encode(str, "latin1").
      new PyGlobal("_codecs.encode", (args) => {
        const [s, enc] = args;
        if (typeof s !== "string" || (enc !== "latin1" && enc !== "latin-1"))
          fail("_codecs.encode is allowed only as (str, 'latin1') for bytes");
        const out = new Uint8Array(s.length);
        for (let i = 0; i < s.length; i++) {
          const c = s.charCodeAt(i);
          if (c > 255) fail("_codecs.encode: character out of latin-1 range");
          out[i] = c;
        }
        return out;
      }),
    ],
    [
      "builtins.bytearray",
      new PyGlobal("builtins.bytearray", (args): unknown => {
        if (args.length === 0) return new Uint8Array(0);
        if (args[0] instanceof Uint8Array) return args[0].slice();
        return builtins.get("_codecs.encode")!.call!(args);
      }),
    ],
  ]);
  return builtins;
}
