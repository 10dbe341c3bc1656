// A seeded mutation fuzzer for the loaders: each trial mutates a valid file (byte changes,
// truncation, a duplicated or removed slice, a 32-bit field set to a huge value) and the parser
// must either return a value or throw one of its typed errors, within a time bound, without
// polluting Object.prototype. The same seed gives the same trials on every machine.
import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";

/** A small deterministic PRNG (mulberry32). */
export function seededRandom(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n: number): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n) >>> 0;
  };
}

/** One mutation of `valid`, chosen by `rand`. */
export function mutate(valid: Uint8Array, rand: (n: number) => number): Uint8Array {
  let bytes = valid.slice();
  const kinds = 1 + rand(3);
  for (let k = 0; k < kinds && bytes.length > 0; k++) {
    switch (rand(6)) {
      case 0: // a few random bytes
      case 1: {
        const flips = 1 + rand(4);
        for (let f = 0; f < flips; f++) bytes[rand(bytes.length)] = rand(256);
        break;
      }
      case 2: // truncation
        bytes = bytes.slice(0, rand(bytes.length));
        break;
      case 3: {
        // a slice duplicated in place
        const at = rand(bytes.length);
        const len = 1 + rand(Math.min(64, bytes.length - at));
        const out = new Uint8Array(bytes.length + len);
        out.set(bytes.subarray(0, at + len));
        out.set(bytes.subarray(at), at + len);
        bytes = out;
        break;
      }
      case 4: {
        // a slice removed
        const at = rand(bytes.length);
        const len = 1 + rand(Math.min(64, bytes.length - at));
        const out = new Uint8Array(bytes.length - len);
        out.set(bytes.subarray(0, at));
        out.set(bytes.subarray(at + len), at);
        bytes = out;
        break;
      }
      default: {
        // a little-endian 32-bit field set to a huge or boundary value (sizes, offsets)
        if (bytes.length < 4) break;
        const at = rand(bytes.length - 3);
        const v = [0xffffffff, 0x7fffffff, 0x80000000, 0][rand(4)]!;
        new DataView(bytes.buffer, bytes.byteOffset).setUint32(at, v, true);
      }
    }
  }
  return bytes;
}

export interface FuzzOptions<T> {
  readonly valid: readonly Uint8Array[];
  readonly parse: (bytes: Uint8Array) => T;
  readonly isTypedError: (e: unknown) => boolean;
  /** Checks a parse that succeeded (e.g. that it allocated no more than the file's size allows). */
  readonly checkResult?: (value: T, bytes: Uint8Array) => void;
  readonly trials: number;
  readonly seed: number;
  /** The most one parse may take. */
  readonly maxMsPerCase?: number;
}

/** Runs the trials; returns how many parsed and how many were refused with a typed error. */
export function fuzz<T>(options: FuzzOptions<T>): { parsed: number; refused: number } {
  const rand = seededRandom(options.seed);
  const maxMs = options.maxMsPerCase ?? 1000;
  let parsed = 0;
  let refused = 0;
  for (let trial = 0; trial < options.trials; trial++) {
    const bytes = mutate(options.valid[trial % options.valid.length]!, rand);
    const start = performance.now();
    try {
      const value = options.parse(bytes);
      options.checkResult?.(value, bytes);
      parsed++;
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
      assert.ok(options.isTypedError(e), `trial ${trial}: untyped error: ${(e as Error).stack}`);
      refused++;
    }
    const ms = performance.now() - start;
    assert.ok(ms < maxMs, `trial ${trial} took ${ms.toFixed(0)} ms`);
    assert.equal(
      ({} as Record<string, unknown>)["polluted"],
      undefined,
      `trial ${trial}: Object.prototype was polluted`,
    );
  }
  return { parsed, refused };
}
