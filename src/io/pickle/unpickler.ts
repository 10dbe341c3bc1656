/**
 * A restricted unpickler, after PyTorch's `weights_only=True` one
 * (torch/_weights_only_unpickler.py): it runs the pickle machine but calls only the globals of an
 * allow-list, builds only lists, dicts, OrderedDicts, sets and what the allow-list returns, and
 * rejects every other global, INST/OBJ/NEWOBJ and BUILD on anything but an OrderedDict with an
 * UnpicklingError that names it. Nothing from the file is ever executed.
 *
 * The machine is a loop over a byte cursor with explicit stacks, so nesting depth costs heap,
 * not call stack, and the work is linear in the pickle's length. Every read is bounds checked.
 * Opcodes of protocols 0 to 5 that describe data are read; see ./values.ts for the values made.
 */
import { UnpicklingError } from "../pt/errors.js";
import { pythonBuiltins } from "./builtins.js";
import { PyGlobal, pyTypeName as typeName, type PyDict } from "./values.js";

/** What the caller supplies: the allowed globals and the persistent-id resolver. */
export interface UnpicklerOptions {
  /** `module.name` -> what GLOBAL pushes (a PyGlobal to be called, or a plain value). */
  globals: ReadonlyMap<string, unknown>;
  /** Resolves a BINPERSID id (PyTorch's storages); throws for anything else. */
  persistentLoad: (pid: unknown) => unknown;
}

/** Modules never allowed, whatever the allow-list says (as PyTorch's _blocklisted_modules). */
const BLOCKED_MODULES = new Set(["sys", "os", "posix", "nt", "subprocess"]);

/** Python 2 module names protocol 2 writes, as pickle's IMPORT_MAPPING renames them. */
const IMPORT_MAPPING = new Map([
  ["__builtin__", "builtins"],
  ["copy_reg", "copyreg"],
]);

/** The longest int (LONG1/LONG4/LONG) read, in bytes: far past any real checkpoint's numbers. */
const MAX_INT_BYTES = 64;

const latin1 = new TextDecoder("latin1");
const utf8 = new TextDecoder("utf-8", { fatal: true });

function fail(message: string): never {
  throw new UnpicklingError(message);
}

function bigintFromLE(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  if (bytes[bytes.length - 1]! & 0x80) v -= 1n << BigInt(8 * bytes.length);
  return toIntValue(v);
}

function toIntValue(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(v)
    : v;
}

/**
 * Reads one pickle. The result is built from null-prototype dicts, arrays, Sets, primitives and
 * whatever the allowed globals return.
 *
 * @example
 * const value = unpickle(bytes, { globals: new Map(), persistentLoad: () => { throw ... } });
 */
export function unpickle(bytes: Uint8Array, options: UnpicklerOptions): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  let pos = 0;
  let stack: unknown[] = [];
  const metastack: unknown[][] = [];
  const memo = new Map<number, unknown>();
  // Which objects the machine made, so that only they are mutated (APPEND on a list, SETITEM
  // on a dict, ...), never a value an allowed global returned.
  const lists = new WeakSet<unknown[]>();
  const dicts = new WeakMap<PyDict, "str" | "int" | "empty">();
  const orderedDicts = new WeakSet<PyDict>();
  const sets = new WeakSet<Set<unknown>>();

  const need = (k: number): void => {
    if (pos + k > n) fail(`pickle data was truncated (needed ${k} bytes at offset ${pos})`);
  };
  const take = (k: number): Uint8Array => {
    need(k);
    const out = bytes.subarray(pos, pos + k);
    pos += k;
    return out;
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail("pickle data was truncated (a line has no end)");
    const s = latin1.decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  // Never `stack.push(f(popMark()))`: `stack` would be read before popMark replaces it.
  const push = (v: unknown): void => {
    stack.push(v);
  };
  const pop = (): unknown => {
    if (stack.length === 0) fail("unpickling stack underflow");
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) fail("unpickling stack underflow");
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const items = stack;
    const prev = metastack.pop();
    if (prev === undefined) fail("MARK missing for an opcode that needs one");
    stack = prev;
    return items;
  };
  const newDict = (ordered: boolean): PyDict => {
    const d = Object.create(null) as PyDict;
    dicts.set(d, "empty");
    if (ordered) orderedDicts.add(d);
    return d;
  };
  const newList = (items: unknown[]): unknown[] => {
    lists.add(items);
    return items;
  };
  const setItem = (d: unknown, k: unknown, v: unknown): void => {
    const kind0 = dicts.get(d as PyDict);
    if (kind0 === undefined)
      fail(`Can only SETITEM for dict or OrderedDict, but got ${typeName(d)}`);
    let key: string;
    let kind: "str" | "int";
    if (typeof k === "string") [key, kind] = [k, "str"];
    else if ((typeof k === "number" && Number.isInteger(k)) || typeof k === "bigint")
      [key, kind] = [String(k), "int"];
    else fail(`dict keys must be str or int, got ${typeName(k)}`);
    if (kind0 !== "empty" && kind0 !== kind) fail("dict mixes str and int keys");
    dicts.set(d as PyDict, kind);
    (d as PyDict)[key] = v;
  };
  const getGlobal = (module0: string, name: string): unknown => {
    const module = IMPORT_MAPPING.get(module0) ?? module0;
    const qualname = `${module}.${name}`;
    if (BLOCKED_MODULES.has(module) || BLOCKED_MODULES.has(module.split(".")[0]!))
      fail(`Trying to load unsupported GLOBAL ${qualname} whose module ${module} is blocked.`);
    if (!options.globals.has(qualname) && !builtins.has(qualname))
      fail(`Unsupported global: GLOBAL ${qualname} was not an allowed global by default.`);
    return options.globals.has(qualname) ? options.globals.get(qualname) : builtins.get(qualname);
  };
  const builtins = pythonBuiltins({
    newDict,
    setItem,
    newSet: (items, mutable) => {
      const set = new Set(items);
      if (mutable) sets.add(set);
      return set;
    },
  });

  for (;;) {
    need(1);
    const op = bytes[pos++]!;
    switch (op) {
      case 0x80: // PROTO
        if (take(1)[0]! > 5) fail(`unsupported pickle protocol ${bytes[pos - 1]}`);
        break;
      case 0x95: // FRAME: a length hint only
        take(8);
        break;
      case 0x2e: // STOP
        return pop();
      // ---- stack and memo
      case 0x28: // MARK
        metastack.push(stack);
        stack = [];
        break;
      case 0x30: // POP
        pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      case 0x67: // GET
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const i = op === 0x67 ? Number(line()) : op === 0x68 ? take(1)[0]! : readLength(4, false);
        if (!memo.has(i)) fail(`memo key ${i} was never stored`);
        stack.push(memo.get(i));
        break;
      }
      case 0x70: // PUT
      case 0x71: // BINPUT
      case 0x72: {
        // LONG_BINPUT
        const i = op === 0x70 ? Number(line()) : op === 0x71 ? take(1)[0]! : readLength(4, false);
        if (!Number.isSafeInteger(i) || i < 0) fail("negative or invalid memo key");
        memo.set(i, top());
        break;
      }
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      // ---- primitives
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4a: // BININT
        need(4);
        stack.push(view.getInt32(pos, true));
        pos += 4;
        break;
      case 0x4b: // BININT1
        stack.push(take(1)[0]!);
        break;
      case 0x4d: // BININT2
        need(2);
        stack.push(view.getUint16(pos, true));
        pos += 2;
        break;
      case 0x8a: // LONG1
      case 0x8b: {
        // LONG4
        let len: number;
        if (op === 0x8a) len = take(1)[0]!;
        else {
          need(4);
          len = view.getInt32(pos, true);
          pos += 4;
          if (len < 0) fail("LONG4 with a negative byte count");
        }
        if (len > MAX_INT_BYTES) fail(`int of ${len} bytes is too large`);
        stack.push(bigintFromLE(take(len)));
        break;
      }
      case 0x49: // INT (protocol 0; "01"/"00" are True/False)
      case 0x4c: {
        // LONG (protocol 0)
        const s = line();
        if (op === 0x49 && s === "01") stack.push(true);
        else if (op === 0x49 && s === "00") stack.push(false);
        else {
          const digits = op === 0x4c && s.endsWith("L") ? s.slice(0, -1) : s;
          if (!/^[+-]?\d{1,150}$/.test(digits)) fail(`invalid int literal ${JSON.stringify(s)}`);
          stack.push(toIntValue(BigInt(digits)));
        }
        break;
      }
      case 0x47: // BINFLOAT (big-endian)
        need(8);
        stack.push(view.getFloat64(pos, false));
        pos += 8;
        break;
      case 0x46: {
        // FLOAT (protocol 0)
        const s = line();
        const v = Number(s);
        if (s.trim() === "" || (Number.isNaN(v) && !/^[+-]?nan$/i.test(s)))
          fail(`invalid float literal ${JSON.stringify(s)}`);
        stack.push(v);
        break;
      }
      case 0x58: // BINUNICODE
      case 0x8c: // SHORT_BINUNICODE
      case 0x8d: {
        // BINUNICODE8
        const len = readLength(op === 0x8c ? 1 : op === 0x58 ? 4 : 8);
        try {
          stack.push(utf8.decode(take(len)));
        } catch (e) {
          if (e instanceof UnpicklingError) throw e;
          fail("string is not valid UTF-8");
        }
        break;
      }
      case 0x56: // UNICODE (protocol 0, raw-unicode-escape)
        stack.push(
          line().replace(
            /\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g,
            (_, a?: string, b?: string) => {
              const cp = parseInt(a ?? b!, 16);
              if (cp > 0x10ffff) fail("invalid code point in UNICODE");
              return String.fromCodePoint(cp);
            },
          ),
        );
        break;
      case 0x55: // SHORT_BINSTRING (a Python 2 str: read as latin-1 text, as encoding="latin1")
      case 0x54: // BINSTRING
        stack.push(latin1.decode(take(op === 0x55 ? readLength(1) : readLength(4))));
        break;
      case 0x53: {
        // STRING (protocol 0, a quoted repr)
        const s = line();
        const m = /^(['"])(.*)\1$/s.exec(s);
        if (!m || m[2]!.includes("\\")) fail("STRING with escapes is not supported");
        stack.push(m[2]!);
        break;
      }
      case 0x42: // BINBYTES
      case 0x43: // SHORT_BINBYTES
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        stack.push(take(readLength(op === 0x43 ? 1 : op === 0x42 ? 4 : 8)).slice());
        break;
      // ---- containers
      case 0x5d: // EMPTY_LIST
        stack.push(newList([]));
        break;
      case 0x6c: // LIST
        push(newList(popMark()));
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push(Object.freeze([]));
        break;
      case 0x74: // TUPLE
        push(Object.freeze(popMark()));
        break;
      case 0x85: // TUPLE1
      case 0x86: // TUPLE2
      case 0x87: {
        // TUPLE3
        const k = op - 0x84;
        if (stack.length < k) fail("unpickling stack underflow");
        stack.push(Object.freeze(stack.splice(stack.length - k, k)));
        break;
      }
      case 0x7d: // EMPTY_DICT
        stack.push(newDict(false));
        break;
      case 0x64: {
        // DICT
        const items = popMark();
        if (items.length % 2) fail("DICT with an odd number of items");
        const d = newDict(false);
        for (let i = 0; i < items.length; i += 2) setItem(d, items[i], items[i + 1]);
        stack.push(d);
        break;
      }
      case 0x8f: {
        // EMPTY_SET
        const s = new Set<unknown>();
        sets.add(s);
        stack.push(s);
        break;
      }
      case 0x91: // FROZENSET
        push(new Set(popMark()));
        break;
      case 0x61: {
        // APPEND
        const item = pop();
        const list = top();
        if (!Array.isArray(list) || !lists.has(list))
          fail(`Can only append to lists, but got ${typeName(list)}`);
        list.push(item);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        const list = top();
        if (!Array.isArray(list) || !lists.has(list))
          fail(`Can only append to lists, but got ${typeName(list)}`);
        for (const item of items) list.push(item);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItem(top(), k, v);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        if (items.length % 2) fail("SETITEMS with an odd number of items");
        const d = top();
        for (let i = 0; i < items.length; i += 2) setItem(d, items[i], items[i + 1]);
        break;
      }
      case 0x90: {
        // ADDITEMS
        const items = popMark();
        const s = top();
        if (!(s instanceof Set) || !sets.has(s))
          fail(`Can only add items to a set, got ${typeName(s)}`);
        for (const item of items) s.add(item);
        break;
      }
      // ---- globals and calls: the allow-list decides
      case 0x63: // GLOBAL
        stack.push(getGlobal(line(), line()));
        break;
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== "string" || typeof name !== "string")
          fail("STACK_GLOBAL needs str module and name");
        stack.push(getGlobal(module, name));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const func = pop();
        if (!(func instanceof PyGlobal) || func.call === undefined)
          fail(`Trying to call reduce for unrecognized function ${typeName(func)}`);
        if (!Array.isArray(args) || !Object.isFrozen(args))
          fail(`REDUCE arguments of ${func.qualname} must be a tuple`);
        stack.push(func.call(args as unknown[]));
        break;
      }
      case 0x62: {
        // BUILD: only an OrderedDict's attributes (a state dict's _metadata), which are dropped
        const state = pop();
        const inst = top();
        if (!orderedDicts.has(inst as PyDict))
          fail(`Can only build OrderedDict with BUILD, but got ${typeName(inst)}`);
        if (state !== null && !dicts.has(state as PyDict))
          fail(`BUILD state of an OrderedDict must be a dict, got ${typeName(state)}`);
        break;
      }
      case 0x51: {
        // BINPERSID
        stack.push(options.persistentLoad(pop()));
        break;
      }
      case 0x69: {
        // INST
        const module = line();
        const name = line();
        fail(`Unsupported opcode INST: creating an instance of ${module}.${name} is not allowed`);
        break;
      }
      case 0x6f: // OBJ
        fail(
          `Unsupported opcode OBJ: creating an instance of ${typeName(stack[0])} is not allowed`,
        );
        break;
      case 0x81: // NEWOBJ
      case 0x92: {
        // NEWOBJ_EX
        if (op === 0x92) pop();
        pop();
        fail(`Can only create new objects of allowed classes, but got ${typeName(pop())}`);
        break;
      }
      case 0x50: // PERSID
        fail("Unsupported opcode PERSID: only binary persistent ids of storages are allowed");
        break;
      case 0x82: // EXT1
      case 0x83: // EXT2
      case 0x84: // EXT4
        fail("Unsupported opcode EXT: the extension registry is not allowed");
        break;
      case 0x97: // NEXT_BUFFER
      case 0x98: // READONLY_BUFFER
        fail("Unsupported opcode: out-of-band buffers are not allowed");
        break;
      default:
        fail(`Unsupported operand ${op} at offset ${pos - 1}`);
    }
  }

  /** A little-endian length; `data` (the default) also checks that many bytes follow. */
  function readLength(width: 1 | 4 | 8, data = true): number {
    need(width);
    let len: number;
    if (width === 1) len = bytes[pos]!;
    else if (width === 4) len = view.getUint32(pos, true);
    else {
      const big = view.getBigUint64(pos, true);
      len = big > BigInt(n) ? n + 1 : Number(big);
    }
    pos += width;
    if (data) need(len);
    return len;
  }
}
