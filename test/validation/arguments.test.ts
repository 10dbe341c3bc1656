// Wrong arguments at the public boundary get torchlet's typed errors naming the function and the
// argument (issue "Bad input at the public boundary"), never NaN, a coerced string or an engine
// error. The wording follows PyTorch's argument parser ("argument 'p' must be float, not str").
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import { closestKey } from "../../src/validation/options.js";
import { captureCheckpoint } from "../../src/io/checkpoint.js";

const { nn, optim } = torch;
type Case = [label: string, call: () => unknown, error: RegExp];

function param(): torch.Tensor {
  return torch.zeros(1, { requiresGrad: true });
}

const a = torch.ones(2);
const cases: Case[] = [
  [
    "a.add({})",
    () => a.add({} as never),
    /add\(\): argument 'other' must be Tensor or Number, not dict/,
  ],
  [
    "a.add(undefined)",
    () => a.add(undefined as never),
    /argument 'other' must be Tensor or Number, not NoneType/,
  ],
  [
    "a.add(null)",
    () => a.add(null as never),
    /argument 'other' must be Tensor or Number, not NoneType/,
  ],
  [
    "a.mul('2')",
    () => a.mul("2" as never),
    /mul\(\): argument 'other' must be Tensor or Number, not str/,
  ],
  [
    "a.pow('2')",
    () => a.pow("2" as never),
    /pow\(\): argument 'other' must be Tensor or Number, not str/,
  ],
  [
    "torch.add('1', a)",
    () => torch.add("1" as never, a),
    /add\(\): argument 'input' must be Tensor or Number, not str/,
  ],
  [
    "a.add_({})",
    () => a.clone().add_({} as never),
    /argument 'other' must be Tensor or Number, not dict/,
  ],
  [
    "alpha as a string",
    () => a.add(a, { alpha: "2" as never }),
    /add\(\): argument 'alpha' must be float, not str/,
  ],
  ["a.eq('1')", () => a.eq("1" as never), /argument 'other' must be Tensor or Number, not str/],
  [
    "new nn.Dropout('0.5')",
    () => new nn.Dropout("0.5" as never),
    /argument 'p' must be float, not str/,
  ],
  [
    "new nn.Linear('3', 2)",
    () => new nn.Linear("3" as never, 2),
    /Linear\(\): argument 'in_features' must be int, not str/,
  ],
  [
    "new nn.Linear(2.5, 2)",
    () => new nn.Linear(2.5, 2),
    /argument 'in_features' must be int, not float/,
  ],
  [
    "new nn.Linear(2, -1)",
    () => new nn.Linear(2, -1),
    /argument 'out_features' must be a non-negative integer, got -1/,
  ],
  [
    "Linear option typo",
    () => new nn.Linear(2, 2, { bais: false } as never),
    /unexpected keyword argument 'bais'\. Did you mean 'bias'\?/,
  ],
  [
    "SGD lr as a string",
    () => new optim.SGD([param()], { lr: "0.1" as never }),
    /SGD\(\): argument 'lr' must be float, not str/,
  ],
  [
    "SGD option typo",
    () => new optim.SGD([param()], { lr: 0.1, momentun: 0.9 } as never),
    /SGD\(\) got an unexpected keyword argument 'momentun'\. Did you mean 'momentum'\?/,
  ],
  [
    "SGD without lr",
    () => new optim.SGD([param()], {} as never),
    /required optimization parameter lr/,
  ],
  [
    "Adam betas not a pair",
    () => new optim.Adam([param()], { betas: 0.9 } as never),
    /argument 'betas' must be tuple of floats, not float/,
  ],
  [
    "AdamW unknown option",
    () => new optim.AdamW([param()], { decay: 0.1 } as never),
    /AdamW\(\) got an unexpected keyword argument 'decay'/,
  ],
  [
    "Adagrad option of the wrong type",
    () => new optim.Adagrad([param()], { lrDecay: "0" as never }),
    /argument 'lrDecay' must be float, not str/,
  ],
  [
    "RMSprop options not an object",
    () => new optim.RMSprop([param()], 0.1 as never),
    /options must be an object of named arguments, not float/,
  ],
  [
    "torch.zeros([2.5])",
    () => torch.zeros([2.5]),
    /zeros\(\): argument 'size' must be tuple of ints, but found element of type float at pos 0/,
  ],
  [
    "torch.ones(2, '3')",
    () => torch.ones([2, "3"] as never),
    /ones\(\): argument 'size' must be tuple of ints, but found element of type str at pos 1/,
  ],
  [
    "torch.randn([1e6, 1e6])",
    () => torch.randn([1e6, 1e6]),
    /can't allocate memory: you tried to allocate 4000000000000 bytes/,
  ],
  [
    "torch.zeros([1e6, 1e6])",
    () => torch.zeros([1e6, 1e6]),
    /can't allocate memory: you tried to allocate 4000000000000 bytes/,
  ],
  [
    "captureCheckpoint({ model: {} })",
    () => captureCheckpoint({ model: {} } as never),
    /captureCheckpoint\(\): expected \{ model, optimizer\?, scheduler\?, generators\? \}/,
  ],
  [
    "torch.exp('x')",
    () => torch.exp("x" as never),
    /exp\(\): argument 'input' must be Tensor, not str/,
  ],
  [
    "torch.cat(a)",
    () => torch.cat(a as never),
    /cat\(\): argument 'tensors' must be tuple of Tensors, not Tensor/,
  ],
  [
    "torch.stack([a, 1])",
    () => torch.stack([a, 1] as never),
    /expected Tensor as element 1 in argument 'tensors', but got int/,
  ],
  ["a.sum('1')", () => a.sum("1" as never), /argument 'dim' must be int or tuple of ints, not str/],
  ["a.sum({ dim: 0.5 })", () => a.sum({ dim: 0.5 }), /argument 'dim' must be int, not float/],
  [
    "a.unsqueeze(null)",
    () => a.unsqueeze(null as never),
    /argument 'dim' must be int, not NoneType/,
  ],
  [
    "manualSeed('abc')",
    () => torch.manualSeed("abc" as never),
    /manualSeed\(\): argument 'seed' must be int, not str/,
  ],
];

describe("wrong arguments give typed errors that name the function and the argument", () => {
  for (const [label, call, error] of cases) {
    it(label, () => {
      assert.throws(call, (e: unknown) => {
        assert.ok(e instanceof torch.TorchletError, `not a torchlet error: ${String(e)}`);
        assert.match((e as Error).message, error);
        return true;
      });
    });
  }

  it("valid arguments still work: numbers, booleans and tensors as operands", () => {
    assert.deepEqual(Array.from(torch.add(1, a).toArray()), [2, 2]);
    assert.deepEqual(Array.from(a.add(true).toArray()), [2, 2]);
    assert.deepEqual(Array.from(a.add(a, { alpha: 2 }).toArray()), [3, 3]);
    assert.equal(
      new optim.SGD([param()], { lr: 0.1, momentum: 0.9, maximize: undefined }).defaults.momentum,
      0.9,
    );
  });
});

describe("closestKey", () => {
  it("suggests a close key and nothing for a distant one", () => {
    assert.equal(closestKey("momentun", ["lr", "momentum", "dampening"]), "momentum");
    assert.equal(closestKey("weight_decay", ["weightDecay", "lr"]), "weightDecay");
    assert.equal(closestKey("zzzzzz", ["lr", "momentum"]), null);
  });
});
