// 10 000 seeded mutations of valid files for each loader (safetensors, IDX, training
// checkpoints): every case parses or throws the loader's typed error, each within 1 s, with no
// allocation past what the file's own size can hold and no prototype pollution. The count and
// the seed are fixed, so CI runs the same cases every time.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import { nn, optim } from "../../src/index.js";
import { SafetensorsError, deserialize, serialize } from "../../src/io/safetensors.js";
import { IdxFormatError, parseIdx } from "../../src/data/idx.js";
import {
  CheckpointError,
  captureCheckpoint,
  deserializeCheckpoint,
  serializeCheckpoint,
} from "../../src/io/checkpoint.js";
import { fuzz } from "../helpers/fuzz.js";

const TRIALS = 10_000;

/** Bytes a result's tensors hold, to bound allocation by the file's size. */
function tensorBytes(tensors: Iterable<torch.Tensor>): number {
  let n = 0;
  for (const t of tensors)
    n += t.numel() * (t.dtype === "float64" ? 8 : t.dtype === "bool" ? 1 : 4);
  return n;
}

describe("loader fuzzing (10 000 mutations each, fixed seeds)", () => {
  it("safetensors", () => {
    torch.manualSeed(0);
    const valid = [
      serialize({ w: torch.randn([3, 4]), b: torch.zeros([4], { dtype: "float64" }) }),
      serialize(
        { i: torch.arange(6).reshape(2, 3), m: torch.ones([5]).gt(0) },
        { metadata: { a: "b" } },
      ),
    ];
    const { parsed, refused } = fuzz({
      valid,
      parse: deserialize,
      isTypedError: (e) => e instanceof SafetensorsError,
      // Every element comes from the file: a parse never holds more bytes than it read (float32
      // and int32 as stored; bool widened from 1 byte; float16/bfloat16 widened 2x).
      checkResult: (r, bytes) =>
        assert.ok(tensorBytes(Object.values(r.tensors)) <= 2 * bytes.length),
      trials: TRIALS,
      seed: 1,
    });
    assert.equal(parsed + refused, TRIALS);
    assert.ok(refused > 0 && parsed > 0, `parsed ${parsed}, refused ${refused}`);
  });

  it("IDX", () => {
    const header = (code: number, dims: number[]): number[] => [
      0,
      0,
      code,
      dims.length,
      ...dims.flatMap((d) => [(d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255]),
    ];
    const valid = [
      new Uint8Array([...header(0x08, [2, 3, 4]), ...Array.from({ length: 24 }, (_, i) => i)]),
      new Uint8Array([...header(0x0d, [3]), 0x3f, 0xc0, 0, 0, 0x40, 0, 0, 0, 0xbf, 0x80, 0, 0]),
    ];
    const { parsed, refused } = fuzz({
      valid,
      parse: (b) => parseIdx(b),
      isTypedError: (e) => e instanceof IdxFormatError,
      checkResult: (t, bytes) => assert.ok(tensorBytes([t]) <= 4 * bytes.length),
      trials: TRIALS,
      seed: 2,
    });
    assert.equal(parsed + refused, TRIALS);
    assert.ok(refused > 0, `refused ${refused}`);
  });

  it("training checkpoints", () => {
    torch.manualSeed(0);
    const model = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    model(torch.randn([2, 3]))
      .sum()
      .backward();
    optimizer.step();
    const valid = [serializeCheckpoint(captureCheckpoint({ model, optimizer }, { epoch: 1 }))];
    const { parsed, refused } = fuzz({
      valid,
      parse: deserializeCheckpoint,
      isTypedError: (e) => e instanceof CheckpointError || e instanceof SafetensorsError,
      trials: TRIALS,
      seed: 3,
    });
    assert.equal(parsed + refused, TRIALS);
    assert.ok(refused > 0, `refused ${refused}`);
  });
});
