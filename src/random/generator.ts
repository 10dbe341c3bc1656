/**
 * PyTorch's CPU random number generator (`CPUGeneratorImpl`): a 32-bit Mersenne Twister (mt19937)
 * plus the cached second Box-Muller sample of `at::normal_distribution<double>`. Seeded the same
 * way, it produces PyTorch's exact stream, and its state is the 5056-byte blob that
 * `torch.get_rng_state()` returns (same layout), so a state saved by PyTorch can be loaded here.
 */
import { ArgumentTypeError, ValueError } from "../errors.js";
import { pyTypeName } from "../validation/arguments.js";

const N = 624;
const M = 397;
/** PyTorch's `default_rng_seed_val`: the seed of a freshly constructed `torch.Generator()`. */
const DEFAULT_SEED = 67280421310721n;
const UINT64 = (1n << 64n) - 1n;
/** sizeof(CPUGeneratorImplStateLegacy) and sizeof(CPUGeneratorImplState) in PyTorch. */
const LEGACY_STATE_BYTES = 5048;
const STATE_BYTES = 5056;

/** A seed: a safe integer (negative ones wrap to uint64 as in PyTorch) or a bigint. */
export type Seed = number | bigint;

function toUint64(seed: Seed, op: string): bigint {
  if (typeof seed !== "number" && typeof seed !== "bigint") {
    throw new ArgumentTypeError(`${op}(): argument 'seed' must be int, not ${pyTypeName(seed)}`);
  }
  if (typeof seed === "number" && !Number.isSafeInteger(seed)) {
    throw new ValueError(`${op}: the seed must be an integer, got ${seed}`);
  }
  return BigInt(seed) & UINT64;
}

function twist(u: number, v: number): number {
  const mixed = (u & 0x80000000) | (v & 0x7fffffff);
  return ((mixed >>> 1) ^ (v & 1 ? 0x9908b0df : 0)) >>> 0;
}

/** A fresh nondeterministic 53-bit seed (PyTorch reads 64 bits; 53 keep it an exact number). */
function entropySeed(): number {
  const words = new Uint32Array(2);
  globalThis.crypto.getRandomValues(words);
  return (words[0]! & 0x1fffff) * 2 ** 32 + words[1]!;
}

/**
 * A random number generator with PyTorch's CPU algorithm. Pass one as `{ generator }` to the
 * random factories and in-place initialisers to draw from an independent stream.
 *
 * @example
 * const g = new torch.Generator().manualSeed(42);
 * torch.rand([2, 3], { generator: g }); // same numbers as torch.rand(2, 3, generator=g) in PyTorch
 */
export class Generator {
  private readonly mt = new Uint32Array(N);
  private left = 1;
  private next = 0;
  private seedValue = DEFAULT_SEED;
  /** @internal Cached second sample of the double Box-Muller transform (PyTorch keeps it too). */
  nextDoubleNormal: number | null = null;
  /** @internal PyTorch's float twin of the cache; no CPU kernel of 1.13 fills it, kept for state. */
  nextFloatNormal: number | null = null;

  constructor() {
    this.manualSeed(DEFAULT_SEED);
  }

  /** Reseeds the generator; mt19937 uses the seed's low 32 bits, initialSeed() keeps all 64. */
  manualSeed(seed: Seed): this {
    const s = toUint64(seed, "manualSeed");
    this.seedValue = s;
    const mt = this.mt;
    mt[0] = Number(s & 0xffffffffn);
    for (let j = 1; j < N; j++) {
      const prev = mt[j - 1]!;
      mt[j] = Math.imul(1812433253, prev ^ (prev >>> 30)) + j;
    }
    this.left = 1;
    this.next = 0;
    this.nextDoubleNormal = null;
    this.nextFloatNormal = null;
    return this;
  }

  /** Seeds from a nondeterministic source and returns the seed (torch.Generator.seed). */
  seed(): number {
    const s = entropySeed();
    this.manualSeed(s);
    return s;
  }

  /**
   * The seed last given (as a number; a seed above 2^53, such as a negative one wrapped to
   * uint64, comes back rounded: use `initialSeedBigInt` for the exact value).
   */
  initialSeed(): number {
    return Number(this.seedValue);
  }

  /** The seed last given, exactly, as an unsigned 64-bit bigint. */
  initialSeedBigInt(): bigint {
    return this.seedValue;
  }

  /** The next 32-bit draw, an integer in [0, 2^32) (CPUGeneratorImpl::random). */
  random(): number {
    if (--this.left === 0) this.nextState();
    let y = this.mt[this.next++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** The next 64-bit draw: the first 32-bit draw is the high word (CPUGeneratorImpl::random64). */
  random64(): bigint {
    const hi = this.random();
    const lo = this.random();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** @internal The low 53 bits of random64() as a number, without going through bigint. */
  random53(): number {
    const hi = this.random();
    const lo = this.random();
    return (hi & 0x1fffff) * 2 ** 32 + lo;
  }

  private nextState(): void {
    const mt = this.mt;
    this.left = N;
    this.next = 0;
    let k = 0;
    for (; k < N - M; k++) mt[k] = mt[k + M]! ^ twist(mt[k]!, mt[k + 1]!);
    for (; k < N - 1; k++) mt[k] = mt[k + M - N]! ^ twist(mt[k]!, mt[k + 1]!);
    mt[N - 1] = mt[M - 1]! ^ twist(mt[N - 1]!, mt[0]!);
  }

  /**
   * The generator's state as `torch.get_rng_state()` lays it out (5056 bytes, little-endian
   * CPUGeneratorImplState). Save it with `Array.from(state)` for JSON checkpoints.
   *
   * @example
   * const state = g.getState();
   * const a = torch.rand(3, { generator: g });
   * g.setState(state); // torch.rand(3, { generator: g }) equals a again
   */
  getState(): Uint8Array {
    const bytes = new Uint8Array(STATE_BYTES);
    const view = new DataView(bytes.buffer);
    view.setBigUint64(0, this.seedValue, true);
    view.setInt32(8, this.left, true);
    view.setInt32(12, 1, true); // seeded
    view.setBigUint64(16, BigInt(this.next), true);
    for (let j = 0; j < N; j++) view.setBigUint64(24 + 8 * j, BigInt(this.mt[j]!), true);
    const normals = 24 + 8 * N; // normal_x, normal_y, normal_rho, normal_is_valid
    if (this.nextDoubleNormal !== null) {
      view.setFloat64(normals + 8, this.nextDoubleNormal, true);
      view.setInt32(normals + 24, 1, true);
    }
    if (this.nextFloatNormal !== null) {
      view.setFloat32(LEGACY_STATE_BYTES, this.nextFloatNormal, true);
      bytes[LEGACY_STATE_BYTES + 4] = 1;
    }
    return bytes;
  }

  /** Restores a state from getState() or PyTorch's get_rng_state() (bytes, or their JSON array). */
  setState(state: Uint8Array | ArrayLike<number>): this {
    if (state.length !== STATE_BYTES && state.length !== LEGACY_STATE_BYTES) {
      throw new ValueError(
        `Expected either a CPUGeneratorImplStateLegacy of size ${LEGACY_STATE_BYTES} or a ` +
          `CPUGeneratorImplState of size ${STATE_BYTES} but found the input RNG state size to be ${state.length}`,
      );
    }
    const bytes = Uint8Array.from(state);
    const view = new DataView(bytes.buffer);
    const left = view.getInt32(8, true);
    const seeded = view.getInt32(12, true);
    const next = view.getBigUint64(16, true);
    if (seeded === 0 || left < 1 || left > N || next > BigInt(N)) {
      throw new ValueError("Invalid mt19937 state");
    }
    this.seedValue = view.getBigUint64(0, true);
    this.left = left;
    this.next = Number(next);
    for (let j = 0; j < N; j++)
      this.mt[j] = Number(view.getBigUint64(24 + 8 * j, true) & 0xffffffffn);
    const normals = 24 + 8 * N;
    this.nextDoubleNormal =
      view.getInt32(normals + 24, true) !== 0 ? view.getFloat64(normals + 8, true) : null;
    this.nextFloatNormal =
      bytes.length === STATE_BYTES && bytes[LEGACY_STATE_BYTES + 4] !== 0
        ? view.getFloat32(LEGACY_STATE_BYTES, true)
        : null;
    return this;
  }
}

/**
 * The generator the random functions use when none is given. Like PyTorch's, it starts from a
 * nondeterministic seed: call `manualSeed` for reproducible runs.
 *
 * @example
 * torch.defaultGenerator.manualSeed(0);
 */
export const defaultGenerator: Generator = new Generator();
defaultGenerator.seed();

/**
 * Seeds the default generator (torch.manual_seed) and returns it.
 *
 * @example
 * torch.manualSeed(0);
 * torch.rand(3); // [0.4963, 0.7682, 0.0885], as in PyTorch
 */
export function manualSeed(seed: Seed): Generator {
  return defaultGenerator.manualSeed(seed);
}

/**
 * Seeds the default generator nondeterministically and returns the seed (torch.seed).
 *
 * @example
 * const s = torch.seed();
 */
export function seed(): number {
  return defaultGenerator.seed();
}

/** The default generator's seed (torch.initial_seed). @example torch.manualSeed(7); torch.initialSeed(); // 7 */
export function initialSeed(): number {
  return defaultGenerator.initialSeed();
}

/**
 * The default generator's state, in torch.get_rng_state()'s byte layout.
 *
 * @example
 * const s = torch.getRngState();
 * torch.setRngState(s);
 */
export function getRngState(): Uint8Array {
  return defaultGenerator.getState();
}

/**
 * Restores the default generator's state (torch.set_rng_state).
 *
 * @example
 * const state = torch.getRngState(); torch.rand([2]); torch.setRngState(state);
 */
export function setRngState(state: Uint8Array | ArrayLike<number>): void {
  defaultGenerator.setState(state);
}
