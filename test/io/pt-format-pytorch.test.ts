import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as torch from "../../src/index.js";
import { load, save } from "../../src/node/serialization-files.js";
import { Storage } from "../../src/tensor/storage.js";
import { assertClose } from "../helpers/assert.js";
import { pytorchUnavailable, runPython } from "../helpers/python.js";
import { ResNet18 } from "../helpers/resnet.js";

const skip = pytorchUnavailable();
const script = new URL("../../scripts/interop/pt_format.py", import.meta.url).pathname;

/** The torchlet dtype each PyTorch dtype loads as (the documented conversion rule). */
const LOADS_AS: Record<string, string> = {
  float32: "float32",
  float64: "float64",
  float16: "float32",
  bfloat16: "float32",
  int64: "int32",
  int32: "int32",
  int16: "int32",
  int8: "int32",
  uint8: "int32",
  bool: "bool",
};

interface EncTensor {
  dtype: string;
  shape: number[];
  stride: number[];
  offset: number;
  storage: number;
  data: (number | boolean | string)[];
  requires_grad: boolean;
  parameter: boolean;
}

const num = (v: unknown): number =>
  v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : Number(v);

/**
 * Asserts that a loaded value equals what PyTorch held (scripts/interop/pt_format.py's `enc`),
 * tensors exactly (every conversion of the rule is exact) with the same layout, and that two
 * tensors share a storage in torchlet exactly when they do in PyTorch.
 */
function assertMatches(
  actual: unknown,
  expected: unknown,
  where: string,
  storages = new Map<number, Storage>(),
): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${where}: expected a list`);
    assert.equal(actual.length, expected.length, `${where}: length`);
    expected.forEach((e, i) => assertMatches(actual[i], e, `${where}[${i}]`, storages));
    return;
  }
  if (typeof expected !== "object" || expected === null) {
    if (typeof expected === "string" && ["nan", "inf", "-inf"].includes(expected))
      assert.ok(Object.is(actual, num(expected)), `${where}: ${String(actual)}`);
    else assert.equal(actual, expected, where);
    return;
  }
  const e = expected as Record<string, unknown>;
  if ("$tensor" in e) {
    const spec = e.$tensor as EncTensor;
    assert.ok(actual instanceof torch.Tensor, `${where}: expected a tensor`);
    assert.equal(actual.dtype, LOADS_AS[spec.dtype], `${where}: dtype`);
    assert.deepEqual([...actual.shape], spec.shape, `${where}: shape`);
    assert.deepEqual([...actual.strides], spec.stride, `${where}: stride`);
    assert.equal(actual.offset, spec.offset, `${where}: storage offset`);
    assert.equal(actual.requiresGrad, spec.requires_grad, `${where}: requires_grad`);
    assert.equal(actual instanceof torch.nn.Parameter, spec.parameter, `${where}: Parameter`);
    const got = Array.from(actual.toArray());
    const want = spec.data.map((v) => (typeof v === "boolean" ? Number(v) : num(v)));
    assert.deepEqual(got, want, `${where}: values`);
    if (spec.data.length > 0) {
      const known = storages.get(spec.storage);
      if (known === undefined) {
        assert.ok(
          ![...storages.values()].includes(actual.storage),
          `${where}: shares a storage PyTorch does not share`,
        );
        storages.set(spec.storage, actual.storage);
      } else assert.equal(actual.storage, known, `${where}: does not share its storage`);
    }
    return;
  }
  if ("$dict" in e) {
    assert.ok(typeof actual === "object" && actual !== null, `${where}: expected a dict`);
    assert.equal(Object.getPrototypeOf(actual), null, `${where}: null prototype`);
    const pairs = e.$dict as [string | number, unknown][];
    assert.deepEqual(
      Object.keys(actual),
      pairs.map(([k]) => String(k)),
      `${where}: keys`,
    );
    for (const [k, v] of pairs)
      assertMatches((actual as Record<string, unknown>)[String(k)], v, `${where}.${k}`, storages);
    return;
  }
  if ("$tuple" in e) return assertMatches(actual, e.$tuple, where, storages);
  if ("$bytes" in e) {
    assert.ok(actual instanceof Uint8Array, `${where}: expected bytes`);
    assert.deepEqual([...actual], e.$bytes, where);
    return;
  }
  assert.fail(`${where}: unexpected encoding ${JSON.stringify(e)}`);
}

/** The same small model as pt_format.py's `model()`. */
function model(): torch.nn.Sequential {
  return new torch.nn.Sequential(
    new torch.nn.Linear(4, 3),
    new torch.nn.ReLU(),
    new torch.nn.BatchNorm1d(3),
    new torch.nn.Linear(3, 2),
  );
}

describe("PyTorch's zip format against real PyTorch", { skip: skip ?? false }, () => {
  let dir = "";
  const file = (name: string): string => join(dir, `pytorch_${name}.pt`);
  const expected = (name: string): unknown =>
    JSON.parse(readFileSync(join(dir, `pytorch_${name}.json`), "utf8"));

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "torchlet-pt-"));
    runPython(script, ["write", dir]);
  });

  for (const name of [
    "state_dict",
    "views",
    "dtypes",
    "nested",
    "sgd_optimizer",
    "adam_optimizer",
  ]) {
    it(`loads PyTorch's ${name} into equal values`, () => {
      assertMatches(load<unknown>(file(name)), expected(name), name);
    });
  }

  for (const protocol of [1, 3, 4, 5]) {
    it(`reads pickle protocol ${protocol} (torch.save(..., pickle_protocol=${protocol}))`, () => {
      assertMatches(load<unknown>(file(`nested_p${protocol}`)), expected("nested"), "nested");
    });
  }

  it("refuses protocol 0, whose storage ids are text (PyTorch cannot load it either)", () => {
    assert.throws(() => load(file("nested_p0")), { name: "UnpicklingError", message: /PERSID/ });
  });

  it("reads the archive re-zipped with zip64 headers, and names what it cannot read", () => {
    assertMatches(load<unknown>(file("zip64")), expected("views"), "zip64");
    assert.throws(() => load(file("deflated")), {
      name: "SerializationError",
      message: /deflate-compressed/,
    });
    assert.throws(() => load(file("legacy")), {
      name: "SerializationError",
      message: /legacy \(pre-1\.6\) format/,
    });
  });

  it("views of one storage stay views of one storage", () => {
    const v = load(file("views"));
    for (const k of ["t", "slice", "row"]) assert.equal(v[k]!.storage, v.base!.storage, k);
    assert.equal(v.t!.isContiguous(), false);
    v.base!.fill_(7);
    assert.deepEqual([...v.slice!.toArray()], [7, 7, 7, 7, 7, 7]);
    assert.deepEqual([...v.expanded!.strides], [1, 0]);
  });

  for (const opt of ["sgd", "adam"] as const) {
    it(`${opt}: PyTorch's optimizer state loads into torchlet's optimizer and trains on identically`, () => {
      const net = model();
      net.loadStateDict(load(file(`${opt}_model`)));
      const optimizer =
        opt === "sgd"
          ? new torch.optim.SGD(net.parameters(), { lr: 0.5 })
          : new torch.optim.Adam(net.parameters(), { lr: 0.5 });
      optimizer.loadStateDict(load<torch.optim.OptimizerStateDict>(file(`${opt}_optimizer`)));
      assert.equal(optimizer.paramGroups[0]!.lr, opt === "sgd" ? 0.1 : 0.01);
      const { x, y } = load(file("batch3"));
      optimizer.zeroGrad();
      torch.nn.functional.mseLoss(net.forward(x!), y!).backward();
      optimizer.step();
      const want = load(file(`${opt}_model_after`));
      const got = net.stateDict();
      assert.deepEqual(Object.keys(got), Object.keys(want));
      for (const [k, t] of Object.entries(want))
        assertClose(got[k]!, { shape: t.shape, data: t.toArray() }, { message: k });
    });
  }

  it("refuses files that call forbidden globals, naming them", () => {
    assert.throws(() => load(file("evil_system")), {
      name: "UnpicklingError",
      message: /GLOBAL posix\.system whose module posix is blocked/,
    });
    assert.throws(() => load(file("evil_eval")), {
      name: "UnpicklingError",
      message: /GLOBAL builtins\.eval was not an allowed global/,
    });
    assert.throws(() => load(file("evil_module")), {
      name: "UnpicklingError",
      message: /GLOBAL torch\.nn\.modules\.linear\.Linear was not an allowed global/,
    });
  });

  it("refuses int64 values outside int32 and dtypes torchlet lacks, with typed errors", () => {
    assert.throws(() => load(file("int64_overflow")), {
      name: "SerializationError",
      message: /int64 value 1099511627776, outside torchlet's int32 range/,
    });
    assert.throws(() => load(file("complex")), {
      name: "SerializationError",
      message: /ComplexFloatStorage/,
    });
  });

  it("torchvision's ResNet-18 state dict loads into torchlet's ResNet-18: same outputs", () => {
    const net = new ResNet18().eval();
    const result = net.loadStateDict(load(file("resnet18")));
    assert.deepEqual(result, { missingKeys: [], unexpectedKeys: [] });
    const { x, y } = load(file("resnet18_io"));
    const got = torch.noGrad(() => net.forward(x!));
    // 21 conv/linear layers of float32 sums taken in another order than PyTorch's: the rounding
    // compounds through the depth, so the budget is float32's 1e-5 of the largest logit rather
    // than of each element (small logits are differences of large sums). Measured: ~6e-7.
    const scale = y!.abs().max().item();
    assertClose(got, { shape: y!.shape, data: y!.toArray() }, { rtol: 1e-5, atol: 1e-5 * scale });
  });

  it("PyTorch loads what torchlet saves into equal values (torch.load)", () => {
    const out = mkdtempSync(join(tmpdir(), "torchlet-pt-out-"));
    const write = (name: string, value: unknown, enc: unknown): void => {
      save(value, join(out, `torchlet_${name}.pt`));
      writeFileSync(join(out, `torchlet_${name}.json`), JSON.stringify(enc));
    };
    torch.manualSeed(0);
    const net = model();
    const sd = net.stateDict();
    write("state_dict", sd, encDict(sd));

    const base = torch.arange(24, { dtype: "float32" }).view(4, 6);
    const views = { base, t: base.t(), slice: base.narrow(0, 1, 2), row: base.select(0, 2) };
    write("views", views, encDict(views));

    const dtypes = {
      float32: torch.tensor([1.5, -2, NaN]),
      float64: torch.tensor([1e-300, -0.1], { dtype: "float64" }),
      int32: torch.tensor([-2147483648, 0, 2147483647]),
      bool: torch.tensor([true, false]),
      scalar: torch.tensor(3.25),
      empty: torch.zeros([0, 2]),
      grad: torch.tensor([1, 2], { dtype: "float32", requiresGrad: true }),
      param: new torch.nn.Parameter(torch.tensor([0.5])),
    };
    write("dtypes", dtypes, encDict(dtypes));

    const nested = {
      epoch: 3,
      lr: 0.1,
      name: "run-1",
      none: null,
      flag: false,
      list: [1, 2.5, [3, "x", [null]]],
      big: 2 ** 40,
      neg: -70000,
      inf: -Infinity,
      bytes: new Uint8Array([0, 255, 97]),
    };
    write("nested", nested, {
      $dict: Object.entries(nested).map(([k, v]) => [
        k,
        v instanceof Uint8Array ? { $bytes: [...v] } : v === -Infinity ? "-inf" : v,
      ]),
    });

    // A training checkpoint: Adam after 3 steps and an SGD-momentum state, as PyTorch's.
    const adam = new torch.optim.Adam(net.parameters(), { lr: 0.01, betas: [0.8, 0.95] });
    const sgdNet = model();
    const sgd = new torch.optim.SGD(sgdNet.parameters(), { lr: 0.1, momentum: 0.9 });
    for (let step = 0; step < 3; step++) {
      for (const [m, o] of [
        [net, adam],
        [sgdNet, sgd],
      ] as const) {
        o.zeroGrad();
        torch.nn.functional.mseLoss(m.forward(torch.randn([5, 4])), torch.randn([5, 2])).backward();
        o.step();
      }
    }
    const ckpt = {
      epoch: 3,
      model: net.stateDict(),
      optimizer: adam.stateDict(),
      sgd: sgd.stateDict(),
    };
    write("checkpoint", ckpt, {
      $dict: [
        ["epoch", 3],
        ["model", encDict(ckpt.model)],
        ["optimizer", encOptimizer(ckpt.optimizer)],
        ["sgd", encOptimizer(ckpt.sgd)],
      ],
    });

    const log = runPython(script, ["read", out]);
    for (const name of ["state_dict", "views", "dtypes", "nested", "checkpoint"])
      assert.match(log, new RegExp(`${name}: torch.load equal`));
    assert.match(log, /views: storage shared/);
    assert.match(log, /state_dict: loads into the PyTorch model/);
    // weights_only=True too, for files without Python floats (1.13's weights_only unpickler
    // has no BINFLOAT; 2.x's has).
    for (const name of ["state_dict", "views", "dtypes"])
      assert.match(log, new RegExp(`${name}: weights_only=True loads`));
    assert.match(log, /checkpoint: Adam and SGD state load into PyTorch's optimizers and step/);
    // The round trip through torchlet keeps everything too.
    assert.equal(load<{ epoch: number }>(join(out, "torchlet_checkpoint.pt")).epoch, 3);
  });
});

const TORCH_DTYPE: Record<string, string> = {
  float32: "float32",
  float64: "float64",
  int32: "int32",
  bool: "bool",
};

/** What torchlet saved, in pt_format.py's encoding (its inputs, not computed values). */
function encTensor(t: torch.Tensor): unknown {
  return {
    $tensor: {
      dtype: TORCH_DTYPE[t.dtype],
      shape: [...t.shape],
      stride: [...t.strides],
      offset: t.offset,
      data: Array.from(t.toArray(), (v) =>
        t.dtype === "bool" ? v === 1 : Number.isNaN(v) ? "nan" : v,
      ),
      requires_grad: t.requiresGrad,
      parameter: t instanceof torch.nn.Parameter,
    },
  };
}

function encValue(v: unknown): unknown {
  if (v instanceof torch.Tensor) return encTensor(v);
  if (Array.isArray(v)) return v.map(encValue);
  return v;
}

function encDict(d: Record<string, unknown>): unknown {
  return { $dict: Object.entries(d).map(([k, v]) => [k, encValue(v)]) };
}

function encOptimizer(sd: torch.optim.OptimizerStateDict): unknown {
  return {
    $dict: [
      ["state", { $dict: Object.entries(sd.state).map(([k, s]) => [Number(k), encDict(s)]) }],
      [
        "param_groups",
        sd.param_groups.map((g) => ({
          $dict: Object.entries(g).map(([k, v]) => [
            k,
            k === "betas" ? { $tuple: v as number[] } : encValue(v),
          ]),
        })),
      ],
    ],
  };
}
