import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import { autograd } from "../../src/index.js";
import { assertClose } from "../helpers/assert.js";
import { loadFixture, type EncodedTensor } from "../helpers/fixtures.js";
import { f64 } from "../helpers/inputs.js";
import { runLayerCases, type LayerCase } from "../helpers/layer-cases.js";

const { nn } = torch;
const F = nn.F;

type Kind = LayerCase["kind"];

/** Builds the torchlet module a fixture kind describes (float64 unless marked float32). */
function build(kind: Kind, withDType = true): torch.nn.Module {
  const dtype = kind.float32 ? "float32" : "float64";
  const options = (withDType ? { ...kind.options, dtype } : kind.options) as never;
  const [a, b, k] = kind.args as [number, number, number];
  switch (kind.type) {
    case "ConvTranspose2d":
      return new nn.ConvTranspose2d(a, b, k, options);
    case "ConvTranspose1d":
      return new nn.ConvTranspose1d(a, b, k, options);
    case "GroupNorm":
      return new nn.GroupNorm(a, b, options);
    case "Upsample":
      return new nn.Upsample(kind.options as never);
  }
  throw new Error(`unknown layer ${kind.type}`);
}

const fixture = loadFixture<{
  cases: LayerCase[];
  seeded: { seed: number; kind: Kind; state: Record<string, EncodedTensor> }[];
  errors: { name: string; type: string; error: string }[];
  reprs: [string, Kind][];
}>("layers_more", "modules");

describe("GroupNorm, ConvTranspose1d/2d, Upsample vs PyTorch (weights loaded from PyTorch)", () => {
  runLayerCases(fixture.cases, (k) => build(k));
});

describe("GroupNorm, ConvTranspose1d/2d, Upsample", () => {
  it("draws PyTorch's initial weights after manualSeed", () => {
    for (const s of fixture.seeded) {
      torch.manualSeed(s.seed);
      const m = build({ ...s.kind, float32: true });
      const sd = m.stateDict();
      assert.deepEqual(Object.keys(sd), Object.keys(s.state));
      for (const [k, v] of Object.entries(s.state)) assertClose(sd[k]!, v, { message: k });
    }
  });

  it("prints as PyTorch", () => {
    for (const [text, kind] of fixture.reprs) {
      assert.equal(String(build(kind, false)), text);
    }
  });

  const x = torch.zeros(1, 5, 4, 4);
  const attempts: Record<string, () => unknown> = {
    "convTranspose2d channel mismatch": () => F.convTranspose2d(x, torch.zeros(4, 3, 3, 3)),
    "convTranspose2d output padding too large": () =>
      F.convTranspose2d(torch.zeros(1, 4, 4, 4), torch.zeros(4, 3, 3, 3), null, {
        stride: 2,
        outputPadding: 2,
      }),
    "convTranspose2d 2-d input": () =>
      F.convTranspose2d(torch.zeros(4, 4), torch.zeros(4, 3, 3, 3)),
    "convTranspose1d 4-d input": () =>
      F.convTranspose1d(torch.zeros(1, 4, 4, 4), torch.zeros(4, 3, 3)),
    "groupNorm channels not divisible": () => F.groupNorm(torch.zeros(2, 6, 4), 4),
    "GroupNorm constructor": () => new nn.GroupNorm(4, 6),
    "GroupNorm channel mismatch": () => new nn.GroupNorm(2, 6)(torch.zeros(2, 4, 3)),
    "GroupNorm 1-d input": () => new nn.GroupNorm(2, 4)(torch.zeros(4)),
    "ConvTranspose2d in_channels not divisible by groups": () =>
      new nn.ConvTranspose2d(3, 4, 3, { groups: 2 }),
    "ConvTranspose2d padding mode": () =>
      new nn.ConvTranspose2d(2, 2, 3, { paddingMode: "reflect" as "zeros" }),
  };
  for (const e of fixture.errors) {
    it(`refuses with PyTorch's message: ${e.name}`, () => {
      const attempt = attempts[e.name];
      assert.ok(attempt, `no attempt for ${e.name}`);
      assert.throws(attempt, (err: Error) => {
        assert.equal(err.message, e.error);
        if (e.type === "ValueError") assert.equal(err.name, "ValueError");
        return true;
      });
    });
  }

  it("passes float64 gradcheck", () => {
    const opts = {
      stride: [2, 1] as [number, number],
      padding: 1,
      outputPadding: [1, 0] as [number, number],
      groups: 2,
    };
    assert.ok(
      autograd.gradcheck(
        (a, w, b) => F.convTranspose2d(a!, w!, b!, opts),
        [f64(1, 4, 2, 3), f64(4, 1, 3, 2), f64(2)],
      ),
    );
    assert.ok(
      autograd.gradcheck(
        (a, w, b) => F.groupNorm(a!, 2, { weight: w!, bias: b! }),
        [f64(2, 4, 3), f64(4), f64(4)],
      ),
    );
  });
});
