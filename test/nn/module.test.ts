import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { loadFixture } from "../helpers/fixtures.js";

const { nn } = torch;

interface ModelFacts {
  repr: string;
  stateDict: [string, number[], string][];
  namedParameters: string[];
  namedModules: string[];
}
interface ModelsFixture {
  models: Record<string, ModelFacts> & {
    loadError: { message: string; keys: string[]; shapes: number[][] };
    nonStrict: { keys: string[]; shapes: number[][]; missing: string[]; unexpected: string[] };
  };
  reprs: [string, string][];
  init: { gains: Record<string, number> };
}
const fx = loadFixture<ModelsFixture>("nn", "models");

class Net extends nn.Module {
  fc1 = new nn.Linear(2, 3);
  act = new nn.Sigmoid();
  layers = new nn.ModuleList([new nn.Linear(3, 3), new nn.Linear(3, 3)]);
  fc2 = new nn.Linear(3, 1, { bias: false });
  forward(x: Tensor): Tensor {
    let h = this.act.forward(this.fc1.forward(x));
    for (const layer of this.layers) h = layer.forward(h);
    return this.fc2.forward(h);
  }
}

class BNNet extends nn.Module {
  body = new nn.Sequential(new nn.Linear(4, 3), new nn.BatchNorm1d(3), new nn.ReLU());
  head = new nn.Linear(3, 2);
  forward(x: Tensor): Tensor {
    return this.head.forward(this.body.forward(x));
  }
}

const models: Record<string, () => torch.nn.Module> = {
  sequential: () => new nn.Sequential(new nn.Linear(2, 4), new nn.ReLU(), new nn.Linear(4, 1)),
  net: () => new Net(),
  bnnet: () => new BNNet(),
  named: () => new nn.Sequential({ fc: new nn.Linear(2, 2), act: new nn.Tanh() }),
};

function zerosFrom(keys: string[], shapes: number[][]): Record<string, Tensor> {
  return Object.fromEntries(keys.map((k, i) => [k, torch.zeros(shapes[i]!)]));
}

describe("composite models vs PyTorch", () => {
  for (const [name, make] of Object.entries(models)) {
    it(`${name}: stateDict keys, shapes, dtypes; parameters; modules; repr`, () => {
      const facts = fx.models[name]!;
      const m = make();
      const sd = m.stateDict();
      assert.deepEqual(
        Object.entries(sd).map(([k, v]) => [k, [...v.shape], v.dtype]),
        facts.stateDict,
      );
      assert.deepEqual(
        [...m.namedParameters()].map(([k]) => k),
        facts.namedParameters,
      );
      assert.deepEqual(
        [...m.namedModules()].map(([k]) => k),
        facts.namedModules,
      );
      assert.equal(m.toString(), facts.repr);
    });
  }
});

describe("module reprs vs PyTorch", () => {
  const make: Record<string, () => torch.nn.Module> = {
    "Linear(2, 3)": () => new nn.Linear(2, 3),
    "Linear(2, 3, bias=False)": () => new nn.Linear(2, 3, { bias: false }),
    Identity: () => new nn.Identity(),
    Flatten: () => new nn.Flatten(),
    Unflatten: () => new nn.Unflatten(1, [2, 3]),
    Dropout: () => new nn.Dropout(),
    "Dropout(0.25)": () => new nn.Dropout(0.25),
    Embedding: () => new nn.Embedding(10, 3),
    "Embedding padding": () => new nn.Embedding(10, 3, { paddingIdx: 0 }),
    LayerNorm: () => new nn.LayerNorm(4),
    "LayerNorm 2-D no affine": () =>
      new nn.LayerNorm([2, 3], { eps: 1e-6, elementwiseAffine: false }),
    BatchNorm1d: () => new nn.BatchNorm1d(3),
    "BatchNorm1d options": () =>
      new nn.BatchNorm1d(3, { eps: 1e-3, momentum: null, affine: false, trackRunningStats: false }),
    ReLU: () => new nn.ReLU(),
    Sigmoid: () => new nn.Sigmoid(),
    Tanh: () => new nn.Tanh(),
    LeakyReLU: () => new nn.LeakyReLU(),
    "LeakyReLU(0.2)": () => new nn.LeakyReLU(0.2),
    GELU: () => new nn.GELU(),
    "GELU tanh": () => new nn.GELU("tanh"),
    ELU: () => new nn.ELU(),
    SiLU: () => new nn.SiLU(),
    Softplus: () => new nn.Softplus(),
    Softmax: () => new nn.Softmax(1),
    LogSoftmax: () => new nn.LogSoftmax(-1),
    Hardtanh: () => new nn.Hardtanh(),
    MSELoss: () => new nn.MSELoss(),
    CrossEntropyLoss: () => new nn.CrossEntropyLoss(),
  };
  for (const [name, expected] of fx.reprs) {
    it(name, () => assert.equal(make[name]!().toString(), expected));
  }
});

describe("loadStateDict", () => {
  it("reports every missing key, unexpected key and size mismatch at once, and changes nothing", () => {
    const net = new Net();
    const before = Object.entries(net.stateDict()).map(([k, v]) => [k, [...v.toArray()]]);
    const { message, keys, shapes } = fx.models.loadError;
    assert.throws(
      () => net.loadStateDict(zerosFrom(keys, shapes)),
      (e: Error) => e instanceof nn.StateDictError && e.message === message,
    );
    const after = Object.entries(net.stateDict()).map(([k, v]) => [k, [...v.toArray()]]);
    assert.deepEqual(after, before);
  });

  it("with strict: false returns missing and unexpected keys and loads the rest", () => {
    const net = new Net();
    const { keys, shapes, missing, unexpected } = fx.models.nonStrict;
    const result = net.loadStateDict(zerosFrom(keys, shapes), { strict: false });
    assert.deepEqual(result, { missingKeys: missing, unexpectedKeys: unexpected });
    assert.deepEqual([...net.fc1.weight.toArray()], [0, 0, 0, 0, 0, 0]);
    assert.notDeepEqual([...net.fc1.bias!.toArray()], [0, 0, 0]);
  });

  it("round-trips between two models and keeps parameter identity", () => {
    const a = new BNNet();
    const b = new BNNet();
    a.train().forward(torch.linspace(-1, 2, 20).reshape(5, 4));
    const w = b.head.weight;
    b.loadStateDict(new Map(Object.entries(a.stateDict())));
    assert.equal(b.head.weight, w);
    for (const [k, v] of Object.entries(b.stateDict())) {
      assert.deepEqual([...v.toArray()], [...a.stateDict()[k]!.toArray()], k);
    }
    assert.equal((b.body.get(1) as torch.nn.BatchNorm1d).num_batches_tracked!.item(), 1);
  });
});

describe("Module behaviour", () => {
  it("finds parameters by assignment, lists a shared parameter once, skips plain arrays", () => {
    class Tied extends nn.Module {
      a = new nn.Linear(2, 2);
      b = new nn.Linear(2, 2);
      scale = new nn.Parameter(torch.ones([1]));
      plain = [new nn.Linear(2, 2)];
      constructor() {
        super();
        this.b.weight = this.a.weight;
      }
      forward(x: Tensor): Tensor {
        return this.b.forward(this.a.forward(x)).mul(this.scale);
      }
    }
    const t = new Tied();
    assert.deepEqual(
      [...t.namedParameters()].map(([k]) => k),
      ["scale", "a.weight", "a.bias", "b.bias"],
    );
    // state_dict keeps both names of a shared tensor, as PyTorch's does.
    assert.deepEqual(Object.keys(t.stateDict()), [
      "scale",
      "a.weight",
      "a.bias",
      "b.weight",
      "b.bias",
    ]);
    assert.deepEqual(
      [...t.namedChildren()].map(([k]) => k),
      ["a", "b"],
    );
    assert.equal([...t.parameters(false)].length, 1);
  });

  it("registerBuffer, registerParameter and addModule work alongside fields", () => {
    class M extends nn.Module {
      declare steps: Tensor;
      constructor() {
        super();
        this.registerBuffer("steps", torch.zeros([1]));
        this.registerBuffer("cache", torch.zeros([2]), false);
        this.registerParameter("p", new nn.Parameter(torch.ones([2])));
        this.addModule("block-1", new nn.ReLU());
      }
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const m = new M();
    m.steps = torch.ones([1]);
    assert.deepEqual(Object.keys(m.stateDict()), ["p", "steps"]);
    assert.deepEqual(
      [...m.namedBuffers()].map(([k]) => k),
      ["steps", "cache"],
    );
    assert.equal(m.stateDict().steps!.item(), 1);
    assert.equal(m.toString(), "M(\n  (block-1): ReLU()\n)");
    assert.throws(() => m.registerBuffer("a.b", null), /can't contain "."/);
  });

  it("train/eval propagate; zeroGrad; requiresGrad_; apply; call", () => {
    const net = new Net();
    assert.equal(net.training, true);
    net.eval();
    assert.ok([...net.modules()].every((m) => !m.training));
    net.train();
    assert.ok([...net.modules()].every((m) => m.training));
    net
      .call(torch.ones([2, 2]))
      .sum()
      .backward();
    assert.ok([...net.parameters()].every((p) => p.grad !== null));
    net.zeroGrad({ setToNone: false });
    assert.ok([...net.parameters()].every((p) => p.grad!.toArray().every((v) => v === 0)));
    net.zeroGrad();
    assert.ok([...net.parameters()].every((p) => p.grad === null));
    net.requiresGrad_(false);
    assert.ok([...net.parameters()].every((p) => !p.requiresGrad));
    const names: string[] = [];
    net.apply((m) => names.push(m.constructor.name));
    assert.deepEqual(names, [
      "Linear",
      "Sigmoid",
      "Linear",
      "Linear",
      "ModuleList",
      "Linear",
      "Net",
    ]);
  });

  it("to(dtype) converts parameters in place (same objects) and floating buffers only", () => {
    const m = new BNNet();
    const w = m.head.weight;
    m.to("float64");
    assert.equal(m.head.weight, w);
    assert.equal(w.dtype, "float64");
    assert.ok(w.requiresGrad);
    const bn = m.body.get(1) as torch.nn.BatchNorm1d;
    assert.equal(bn.running_mean!.dtype, "float64");
    assert.equal(bn.num_batches_tracked!.dtype, "int32");
    assert.equal(m.forward(torch.ones([3, 4], { dtype: "float64" })).dtype, "float64");
  });

  it("Sequential, ModuleList and ModuleDict index, iterate and append", () => {
    const seq = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU());
    assert.equal(seq.length, 2);
    assert.ok(seq.get(-1) instanceof nn.ReLU);
    seq.append(new nn.Linear(3, 1));
    assert.deepEqual(
      [...seq].map((m) => m.constructor.name),
      ["Linear", "ReLU", "Linear"],
    );
    assert.deepEqual([...seq.forward(torch.ones([4, 2])).shape], [4, 1]);
    assert.throws(() => seq.get(3), torch.IndexError);
    const list = new nn.ModuleList().extend([new nn.ReLU(), new nn.Tanh()]);
    assert.equal(list.length, 2);
    const dict = new nn.ModuleDict({ b: new nn.ReLU(), a: new nn.Tanh() });
    assert.deepEqual(dict.keys(), ["b", "a"]);
    assert.ok(dict.get("a") instanceof nn.Tanh);
    assert.equal(dict.toString(), "ModuleDict(\n  (b): ReLU()\n  (a): Tanh()\n)");
    assert.throws(() => dict.get("c"), torch.IndexError);
  });

  it("Flatten and Unflatten reshape", () => {
    const x = torch.zeros([2, 3, 4]);
    assert.deepEqual([...new nn.Flatten().forward(x).shape], [2, 12]);
    assert.deepEqual(
      [...new nn.Unflatten(1, [3, 4]).forward(torch.zeros([2, 12])).shape],
      [2, 3, 4],
    );
  });
});

describe("nn.init", () => {
  it("calculateGain matches PyTorch for every nonlinearity", () => {
    for (const [name, gain] of Object.entries(fx.init.gains)) {
      const got =
        name === "leaky_relu(0.2)"
          ? nn.init.calculateGain("leaky_relu", 0.2)
          : nn.init.calculateGain(name as torch.nn.init.Nonlinearity);
      assert.ok(Math.abs(got - gain) < 1e-15, `${name}: ${got} vs ${gain}`);
    }
    assert.throws(() => nn.init.calculateGain("swish" as "relu"), /Unsupported nonlinearity swish/);
  });

  function moments(t: Tensor): { mean: number; std: number; min: number; max: number } {
    const v = [...t.toArray()];
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    return { mean, std, min: Math.min(...v), max: Math.max(...v) };
  }

  it("uniform and normal initialisers have the right bounds and moments", () => {
    torch.manualSeed(0);
    const w = new nn.Parameter(torch.zeros([200, 100]));
    // 20000 draws: a 5% band on the std is many standard errors wide.
    const checkUniform = (bound: number) => {
      const s = moments(w);
      // float32 draws: PyTorch's bounds are the float32 roundings of ±bound, which can lie just
      // outside the float64 bound (fround(0.3) > 0.3).
      const b = Math.fround(bound);
      assert.ok(s.min >= -b && s.max <= b, `within ±${b}`);
      assert.ok(Math.abs(s.std - bound / Math.sqrt(3)) < 0.05 * bound, `std ${s.std}`);
    };
    const checkNormal = (std: number) => {
      const s = moments(w);
      assert.ok(
        Math.abs(s.mean) < 0.05 * std && Math.abs(s.std - std) < 0.05 * std,
        `std ${s.std}`,
      );
    };
    assert.equal(nn.init.xavierUniform_(w), w);
    checkUniform(Math.sqrt(6 / 300));
    nn.init.kaimingUniform_(w, { nonlinearity: "relu" });
    checkUniform(Math.sqrt(2) * Math.sqrt(3 / 100));
    nn.init.kaimingUniform_(w, { mode: "fan_out", nonlinearity: "relu" });
    checkUniform(Math.sqrt(2) * Math.sqrt(3 / 200));
    nn.init.uniform_(w, -0.3, 0.3);
    checkUniform(0.3);
    nn.init.xavierNormal_(w, 2);
    checkNormal(2 * Math.sqrt(2 / 300));
    nn.init.kaimingNormal_(w);
    checkNormal(Math.sqrt(2) / 10);
    nn.init.normal_(w, 0, 0.02);
    checkNormal(0.02);
    assert.ok(w.requiresGrad && w.isLeaf);
    nn.init.ones_(w);
    assert.ok(w.toArray().every((v) => v === 1));
    nn.init.constant_(w, 0.5);
    assert.ok(w.toArray().every((v) => v === 0.5));
    nn.init.zeros_(w);
    assert.ok(w.toArray().every((v) => v === 0));
    assert.throws(() => nn.init.xavierUniform_(torch.zeros([3])), /fewer than 2 dimensions/);
  });

  it("Linear and Embedding start as PyTorch's defaults", () => {
    const fc = new nn.Linear(100, 50);
    const bound = 1 / Math.sqrt(100);
    for (const p of fc.parameters()) {
      assert.ok(p.toArray().every((v) => Math.abs(v) <= bound));
    }
    assert.ok(moments(fc.weight).std > 0.8 * (bound / Math.sqrt(3)));
    const emb = new nn.Embedding(100, 50, { paddingIdx: 3 });
    assert.ok(Math.abs(moments(emb.weight).std - 1) < 0.05);
    assert.ok(
      emb.weight
        .select(0, 3)
        .toArray()
        .every((v) => v === 0),
    );
  });
});
