import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import { nn, type Tensor } from "../../src/index.js";
import { gradcheck } from "../../src/autograd/gradcheck.js";
import { assertClose } from "../helpers/assert.js";
import { decode, loadFixture, type EncodedTensor } from "../helpers/fixtures.js";

interface SDPACase {
  name: string;
  q: EncodedTensor;
  k: EncodedTensor;
  v: EncodedTensor;
  mask: EncodedTensor | null;
  options: { isCausal?: boolean; scale?: number };
  out: EncodedTensor;
  w: EncodedTensor;
  grads: EncodedTensor[];
}

interface Kind {
  type: "mha" | "encoderLayer" | "decoderLayer" | "encoder" | "decoder" | "transformer";
  args: number[];
  options?: Record<string, unknown>;
  dtype: "float32" | "float64";
  numLayers?: number;
  norm?: boolean;
}

interface ModuleCase {
  name: string;
  seed: number;
  kind: Kind;
  stateKeys: string[];
  stateShapes: number[][];
  paramNames: string[];
  init: Record<string, EncodedTensor>;
  inputs: (EncodedTensor & { requiresGrad: boolean })[];
  fwd: Record<string, EncodedTensor | boolean>;
  out: EncodedTensor;
  attn: EncodedTensor | null;
  w: EncodedTensor;
  ww: EncodedTensor | null;
  inputGrads: (EncodedTensor | null)[];
  paramGrads: Record<string, EncodedTensor>;
}

function build(kind: Kind): nn.Module {
  const [e, h] = kind.args as [number, number];
  const options = { ...kind.options, dtype: kind.dtype };
  const norm = () => (kind.norm ? new nn.LayerNorm(e, { dtype: kind.dtype }) : null);
  switch (kind.type) {
    case "mha":
      return new nn.MultiheadAttention(e, h, options);
    case "encoderLayer":
      return new nn.TransformerEncoderLayer(e, h, options);
    case "decoderLayer":
      return new nn.TransformerDecoderLayer(e, h, options);
    case "encoder":
      return new nn.TransformerEncoder(
        new nn.TransformerEncoderLayer(e, h, options),
        kind.numLayers!,
        norm(),
      );
    case "decoder":
      return new nn.TransformerDecoder(
        new nn.TransformerDecoderLayer(e, h, options),
        kind.numLayers!,
        norm(),
      );
    case "transformer":
      return new nn.Transformer(e, h, options);
  }
}

/** Inputs as the generator made them; tensors it passed twice (self-attention) passed twice. */
function decodeInputs(c: ModuleCase): Tensor[] {
  const seen = new Map<string, Tensor>();
  return c.inputs.map((e) => {
    const key = JSON.stringify(e);
    if (!seen.has(key)) seen.set(key, decode(e, { requiresGrad: e.requiresGrad }));
    return seen.get(key)!;
  });
}

function runModuleCase(c: ModuleCase): void {
  torch.manualSeed(c.seed);
  const m = build(c.kind);
  const sd = m.stateDict();
  assert.deepEqual(Object.keys(sd), c.stateKeys, "state dict keys");
  assert.deepEqual(
    Object.values(sd).map((t) => [...t.shape]),
    c.stateShapes,
    "state dict shapes",
  );
  assert.deepEqual(
    [...m.namedParameters()].map(([n]) => n),
    c.paramNames,
  );
  // Seeded init equals PyTorch's draws (float64 draws are PyTorch's double path).
  for (const [k, v] of Object.entries(c.init)) assertClose(sd[k]!, v, { message: `init ${k}` });
  m.loadStateDict(Object.fromEntries(Object.entries(c.init).map(([k, v]) => [k, decode(v)])));
  const xs = decodeInputs(c);
  const fwd = Object.fromEntries(
    Object.entries(c.fwd).map(([k, v]) => [k, typeof v === "boolean" ? v : decode(v)]),
  );
  const res = (m.forward as (...a: unknown[]) => Tensor | [Tensor, Tensor | null])(...xs, fwd);
  const [out, attn] = Array.isArray(res) ? res : [res, null];
  assertClose(out, c.out, { message: "forward" });
  let loss = out.mul(decode(c.w)).sum();
  if (c.attn) {
    assert.ok(attn, "attention weights");
    assertClose(attn, c.attn, { message: "weights" });
    loss = loss.add(attn.mul(decode(c.ww!)).sum());
  } else assert.equal(attn ?? null, null);
  loss.backward();
  const done = new Set<Tensor>();
  xs.forEach((x, i) => {
    const g = c.inputGrads[i];
    if (!g || done.has(x)) return;
    done.add(x);
    assertClose(x.grad!, g, { message: `input ${i} grad` });
  });
  const params = Object.fromEntries(m.namedParameters());
  for (const [k, g] of Object.entries(c.paramGrads)) {
    assertClose(params[k]!.grad!, g, { message: `${k} grad` });
  }
}

describe("F.scaledDotProductAttention vs PyTorch's formula", () => {
  for (const c of loadFixture<{ cases: SDPACase[] }>("attention", "sdpa").cases) {
    it(c.name, () => {
      const [q, k, v] = [c.q, c.k, c.v].map((e) => decode(e, { requiresGrad: true })) as [
        Tensor,
        Tensor,
        Tensor,
      ];
      const out = nn.F.scaledDotProductAttention(q, k, v, {
        ...c.options,
        attnMask: c.mask ? decode(c.mask) : null,
      });
      assertClose(out, c.out, { message: "forward" });
      out.mul(decode(c.w)).sum().backward();
      [q, k, v].forEach((t, i) => assertClose(t.grad!, c.grads[i]!, { message: `grad ${i}` }));
    });
  }

  it("refuses attnMask together with isCausal", () => {
    const q = torch.zeros([1, 2, 4]);
    assert.throws(
      () =>
        nn.F.scaledDotProductAttention(q, q, q, {
          isCausal: true,
          attnMask: torch.ones([2, 2], { dtype: "bool" }),
        }),
      /Explicit attn_mask should not be set when is_causal=True/,
    );
  });

  it("passes float64 gradcheck with a causal mask", () => {
    torch.manualSeed(3);
    const ins = [1, 2, 3].map(() => torch.randn([2, 3, 4], { dtype: "float64" }).requiresGrad_());
    assert.ok(
      gradcheck(
        (q: Tensor, k: Tensor, v: Tensor) =>
          nn.F.scaledDotProductAttention(q, k, v, { isCausal: true }),
        ins,
      ),
    );
  });
});

describe("nn.MultiheadAttention vs PyTorch", () => {
  for (const c of loadFixture<{ cases: ModuleCase[] }>("attention", "mha").cases) {
    it(c.name, () => runModuleCase(c));
  }

  it("passes float64 gradcheck (masks, bias_kv, zero attn)", () => {
    torch.manualSeed(5);
    const mha = new nn.MultiheadAttention(4, 2, {
      addBiasKV: true,
      addZeroAttn: true,
      dtype: "float64",
    });
    const q = torch.randn([3, 2, 4], { dtype: "float64" }).requiresGrad_();
    const k = torch.randn([2, 2, 4], { dtype: "float64" }).requiresGrad_();
    const mask = torch.tensor([
      [false, true],
      [false, false],
      [true, false],
    ]);
    assert.ok(
      gradcheck((a: Tensor, b: Tensor) => mha.forward(a, b, b, { attnMask: mask })[0], [q, k]),
    );
  });
});

describe("transformer layers vs PyTorch", () => {
  for (const c of loadFixture<{ cases: ModuleCase[] }>("attention", "layers").cases) {
    it(c.name, () => runModuleCase(c));
  }

  it("TransformerEncoder's layers are independent copies that start equal", () => {
    const enc = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2), 2);
    const sd = enc.stateDict();
    assertClose(sd["layers.1.linear1.weight"]!, {
      shape: sd["layers.0.linear1.weight"]!.shape,
      data: sd["layers.0.linear1.weight"]!.toArray(),
    });
    const [a, b] = [...enc.layers] as nn.TransformerEncoderLayer[];
    assert.notEqual(a!.linear1.weight, b!.linear1.weight);
    assert.equal([...enc.parameters()].length, 2 * [...a!.parameters()].length);
  });

  it("isCausal gives what the explicit square subsequent mask gives", () => {
    torch.manualSeed(8);
    const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 12, dropout: 0 });
    const x = torch.randn([5, 2, 8]);
    const mask = nn.Transformer.generateSquareSubsequentMask(5);
    const want = layer.forward(x, { srcMask: mask });
    const got = layer.forward(x, { isCausal: true });
    assertClose(got, { shape: want.shape, data: want.toArray() }, { rtol: 0, atol: 0 });
    const q = torch.randn([2, 2, 5, 4]);
    const viaBool = nn.F.scaledDotProductAttention(q, q, q, {
      attnMask: torch.ones([5, 5], { dtype: "bool" }).tril(),
    });
    const viaCausal = nn.F.scaledDotProductAttention(q, q, q, { isCausal: true });
    assertClose(viaCausal, { shape: viaBool.shape, data: viaBool.toArray() }, { rtol: 0, atol: 0 });
  });

  it("nn.deepcopy keeps ties inside the copy, the training mode, and shares nothing", () => {
    class Tied extends nn.Module {
      a = new nn.Linear(3, 3);
      b = new nn.Linear(3, 3);
      constructor() {
        super();
        this.b.weight = this.a.weight;
      }
      forward(x: Tensor): Tensor {
        return this.b.forward(this.a.forward(x));
      }
    }
    const m = new Tied();
    m.b.eval();
    const c = nn.deepcopy(m);
    assert.ok(c instanceof Tied);
    assert.equal(c.a.weight, c.b.weight);
    assert.notEqual(c.a.weight, m.a.weight);
    assert.deepEqual(Object.keys(c.stateDict()), Object.keys(m.stateDict()));
    assert.equal(c.training, true);
    assert.equal(c.b.training, false);
    torch.noGrad(() => c.a.weight.mul_(0));
    assert.ok(m.a.weight.abs().sum().item() > 0);
  });

  it("passes float64 gradcheck (encoder layer, normFirst, gelu)", () => {
    torch.manualSeed(6);
    const layer = new nn.TransformerEncoderLayer(4, 2, {
      dimFeedforward: 6,
      dropout: 0,
      normFirst: true,
      activation: "gelu",
      dtype: "float64",
    });
    const x = torch.randn([3, 2, 4], { dtype: "float64" }).requiresGrad_();
    assert.ok(gradcheck((s: Tensor) => layer.forward(s, { isCausal: true }), [x]));
  });
});

interface Misc {
  tying: { paramNames: string[]; stateKeys: string[]; numParams: number };
  errors: { name: string; error: string }[];
  squareMask: EncodedTensor;
}
const misc = loadFixture<Misc>("attention", "misc");

describe("weight tying, masks and errors", () => {
  it("a Parameter assigned twice is one parameter with two state-dict keys", () => {
    class Tied extends nn.Module {
      wte = new nn.Embedding(7, 4);
      body = new nn.Linear(4, 4);
      lm_head = new nn.Linear(4, 7, { bias: false });
      constructor() {
        super();
        this.lm_head.weight = this.wte.weight;
      }
      forward(x: Tensor): Tensor {
        return this.lm_head.forward(this.body.forward(this.wte.forward(x)));
      }
    }
    const m = new Tied();
    assert.deepEqual(
      [...m.namedParameters()].map(([n]) => n),
      misc.tying.paramNames,
    );
    assert.deepEqual(Object.keys(m.stateDict()), misc.tying.stateKeys);
    assert.equal(
      [...m.parameters()].reduce((n, p) => n + p.numel(), 0),
      misc.tying.numParams,
    );
    m.forward(torch.tensor([1, 2, 3]))
      .sum()
      .backward();
    // Both uses accumulate into the one gradient.
    assert.ok(m.wte.weight.grad);
    assert.equal(m.wte.weight, m.lm_head.weight);
  });

  it("Transformer.generateSquareSubsequentMask is PyTorch's", () => {
    assertClose(nn.Transformer.generateSquareSubsequentMask(4), misc.squareMask);
  });

  const err = (name: string) => {
    const e = misc.errors.find((x) => x.name === name);
    assert.ok(e, name);
    return e.error;
  };
  const m = new nn.MultiheadAttention(8, 2);
  const q = torch.zeros([4, 2, 8]);
  const k = torch.zeros([5, 2, 8]);
  const cases: [string, () => unknown][] = [
    ["embed_dim not divisible", () => new nn.MultiheadAttention(10, 3)],
    ["2-D attn_mask shape", () => m.forward(q, k, k, { attnMask: torch.zeros([3, 3]) })],
    ["3-D attn_mask shape", () => m.forward(q, k, k, { attnMask: torch.zeros([2, 4, 5]) })],
    [
      "attn_mask dtype",
      () => m.forward(q, k, k, { attnMask: torch.zeros([4, 5], { dtype: "int32" }) }),
    ],
    [
      "key_padding_mask dtype",
      () => m.forward(q, k, k, { keyPaddingMask: torch.zeros([2, 5], { dtype: "int32" }) }),
    ],
    [
      "key_padding_mask shape",
      () => m.forward(q, k, k, { keyPaddingMask: torch.zeros([2, 4], { dtype: "bool" }) }),
    ],
    [
      "key_padding_mask rank",
      () => m.forward(q, k, k, { keyPaddingMask: torch.zeros([5], { dtype: "bool" }) }),
    ],
    ["key rank", () => m.forward(q, torch.zeros([5, 8]), torch.zeros([5, 8]))],
    ["query rank", () => m.forward(torch.zeros([1, 4, 2, 8]), k, k)],
    [
      "embedding dim",
      () => m.forward(torch.zeros([4, 2, 6]), torch.zeros([5, 2, 6]), torch.zeros([5, 2, 6])),
    ],
    ["key value shape", () => m.forward(q, k, torch.zeros([6, 2, 8]))],
    ["attn_mask rank", () => m.forward(q, k, k, { attnMask: torch.zeros([1, 2, 4, 5]) })],
    [
      "unbatched 3-D attn_mask",
      () =>
        m.forward(torch.zeros([4, 8]), torch.zeros([5, 8]), torch.zeros([5, 8]), {
          attnMask: torch.zeros([3, 4, 5]),
        }),
    ],
    ["activation", () => new nn.TransformerEncoderLayer(8, 2, { activation: "tanh" as "relu" })],
  ];
  const t = new nn.Transformer(8, 2, {
    numEncoderLayers: 1,
    numDecoderLayers: 1,
    dimFeedforward: 16,
  });
  cases.push(
    ["transformer batch", () => t.forward(torch.zeros([3, 2, 8]), torch.zeros([3, 3, 8]))],
    ["transformer d_model", () => t.forward(torch.zeros([3, 2, 6]), torch.zeros([3, 2, 6]))],
  );
  for (const [name, fn] of cases) {
    it(`error: ${name}`, () => {
      const want = err(name);
      assert.throws(fn, (e: Error) => {
        assert.equal(e.message, want);
        return e instanceof torch.TorchletError;
      });
    });
  }
});
