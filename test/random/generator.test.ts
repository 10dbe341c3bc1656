import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import { loadFixture, type EncodedTensor } from "../helpers/fixtures.js";
import { assertExact } from "./exact.js";

interface StateFixture {
  state_after_randn3: number[];
  after: { randn: EncodedTensor; rand: EncodedTensor };
  fresh_state_seed0: number[];
  default_generator: { initial_seed: number; rand: EncodedTensor };
  generator_seed7: { rand: EncodedTensor; randn: EncodedTensor };
  negative_seed: { seed: number; initial_seed: string; rand: EncodedTensor };
  big_seed: { seed: string; rand: EncodedTensor };
}

const fx = loadFixture<StateFixture>("rng", "state");

describe("Generator (PyTorch's mt19937 CPU generator)", () => {
  it("gives PyTorch's numbers after manualSeed(0)", () => {
    torch.manualSeed(0);
    assert.deepEqual(
      Array.from(torch.rand(3).toArray()),
      [0.49625658988952637, 0.7682217955589294, 0.08847743272781372],
    );
  });

  it("lays its state out byte for byte as torch.get_rng_state()", () => {
    torch.manualSeed(0);
    assert.deepEqual(Array.from(torch.getRngState()), fx.fresh_state_seed0);
    torch.randn(3); // leaves a cached Box-Muller sample in the state
    assert.deepEqual(Array.from(torch.getRngState()), fx.state_after_randn3);
  });

  it("continues PyTorch's stream from a state PyTorch saved", () => {
    torch.manualSeed(123);
    torch.setRngState(fx.state_after_randn3);
    assert.equal(torch.initialSeed(), 0);
    assertExact(torch.randn(3), fx.after.randn);
    assertExact(torch.rand(4), fx.after.rand);
  });

  it("reproduces the stream after a JSON round trip of its state", () => {
    const g = new torch.Generator().manualSeed(9);
    torch.randn(5, { generator: g });
    const saved = JSON.parse(JSON.stringify(Array.from(g.getState()))) as number[];
    const first = [torch.randn(3, { generator: g }), torch.rand(20, { generator: g })];
    g.manualSeed(1);
    g.setState(saved);
    assert.deepEqual(torch.randn(3, { generator: g }).toArray(), first[0]!.toArray());
    assert.deepEqual(torch.rand(20, { generator: g }).toArray(), first[1]!.toArray());
  });

  it("starts a new Generator from PyTorch's default seed", () => {
    const g = new torch.Generator();
    assert.equal(g.initialSeed(), fx.default_generator.initial_seed);
    assertExact(torch.rand(3, { generator: g }), fx.default_generator.rand);
  });

  it("draws from its own stream without touching the default generator", () => {
    torch.manualSeed(0);
    const g = new torch.Generator().manualSeed(7);
    assertExact(torch.rand(3, { generator: g }), fx.generator_seed7.rand);
    assertExact(torch.randn(2, { generator: g }), fx.generator_seed7.randn);
    assert.equal(torch.rand(1).item(), Math.fround(0.49625658988952637));
  });

  it("wraps negative seeds to uint64 and seeds mt19937 with the low 32 bits", () => {
    torch.manualSeed(fx.negative_seed.seed);
    assert.equal(torch.defaultGenerator.initialSeedBigInt(), BigInt(fx.negative_seed.initial_seed));
    assertExact(torch.rand(3), fx.negative_seed.rand);
    torch.manualSeed(BigInt(fx.big_seed.seed));
    assertExact(torch.rand(3), fx.big_seed.rand);
    assert.equal(torch.defaultGenerator.initialSeedBigInt(), BigInt(fx.big_seed.seed));
  });

  it("seed() reseeds nondeterministically and reports the seed", () => {
    const s = torch.seed();
    assert.ok(Number.isSafeInteger(s) && s >= 0);
    assert.equal(torch.initialSeed(), s);
    const a = torch.rand(4).toArray();
    torch.manualSeed(s);
    assert.deepEqual(torch.rand(4).toArray(), a);
  });

  it("rejects bad seeds and bad states with PyTorch's messages", () => {
    assert.throws(() => torch.manualSeed(1.5), { name: "ValueError" });
    assert.throws(() => torch.setRngState(new Uint8Array(10)), {
      name: "ValueError",
      message:
        "Expected either a CPUGeneratorImplStateLegacy of size 5048 or a CPUGeneratorImplState of size 5056 but found the input RNG state size to be 10",
    });
    assert.throws(() => torch.setRngState(new Uint8Array(5056)), {
      name: "ValueError",
      message: "Invalid mt19937 state",
    });
  });
});
