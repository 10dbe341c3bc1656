// Module buffers under PyTorch's name and the camelCase name, vs PyTorch
// (scripts/fixtures/buffers.py -> fixtures/buffers/batchnorm.json).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import { nn } from "../../src/index.js";
import { decode, loadFixture, type EncodedTensor } from "../helpers/fixtures.js";
import { assertClose } from "../helpers/assert.js";

interface BatchNormFixture {
  input: EncodedTensor;
  keys: string[];
  buffers: string[];
  running_mean: EncodedTensor;
  running_var: EncodedTensor;
  num_batches_tracked: EncodedTensor;
}

const fx = loadFixture<BatchNormFixture>("buffers", "batchnorm");

function trained(): nn.BatchNorm1d {
  const bn = new nn.BatchNorm1d(3);
  const x = decode(fx.input);
  bn.forward(x);
  bn.forward(x.mul(2).sub(1));
  return bn;
}

describe("BatchNorm buffers under both names", () => {
  it("runningMean, runningVar and numBatchesTracked are PyTorch's buffers after two steps", () => {
    const bn = trained();
    assertClose(bn.runningMean!, fx.running_mean);
    assertClose(bn.runningVar!, fx.running_var);
    assertClose(bn.numBatchesTracked!, fx.num_batches_tracked);
    assert.equal(bn.numBatchesTracked, bn.num_batches_tracked);
    assert.equal(bn.runningMean, bn.running_mean);
    assert.equal(bn.runningVar, bn.running_var);
  });

  it("state-dict keys and buffer names stay PyTorch's snake_case", () => {
    const bn = trained();
    assert.deepEqual(Object.keys(bn.stateDict()), fx.keys);
    assert.deepEqual(
      [...bn.namedBuffers()].map(([k]) => k),
      fx.buffers,
    );
  });

  it("assigning either name replaces the same buffer", () => {
    const bn = new nn.BatchNorm1d(3);
    const mean = torch.tensor([1.5, 2.5, 3.5]);
    bn.runningMean = mean;
    assert.equal(bn.running_mean, mean);
    assert.deepEqual([...bn.stateDict().running_mean!.toArray()], [1.5, 2.5, 3.5]);
    const count = torch.tensor(7);
    bn.num_batches_tracked = count;
    assert.equal(bn.numBatchesTracked, count);
  });

  it("without running stats every name is null", () => {
    const bn = new nn.BatchNorm1d(3, { trackRunningStats: false });
    assert.equal(bn.runningMean, null);
    assert.equal(bn.runningVar, null);
    assert.equal(bn.numBatchesTracked, null);
  });
});
