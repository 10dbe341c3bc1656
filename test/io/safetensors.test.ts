import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as torch from "../../src/index.js";
import { deserialize, serialize, SafetensorsError } from "../../src/io/safetensors.js";
import { load, save } from "../../src/node/safetensors-files.js";

function sample(): Record<string, torch.Tensor> {
  return {
    "fc1.weight": torch.tensor([
      [0.5, -1.25],
      [3, 1e-8],
    ]),
    "fc1.bias": torch.tensor([1, 2], { dtype: "float64" }),
    steps: torch.tensor([3, -4, 2147483647]),
    mask: torch.tensor([true, false]),
    scalar: torch.tensor(2.5),
    empty: torch.zeros([0, 3]),
    transposed: torch.arange(6).view(2, 3).T,
  };
}

/** Builds a file by hand from a header object and data bytes. */
function rawFile(
  header: unknown,
  data: Uint8Array = new Uint8Array(0),
  headerText?: string,
): Uint8Array {
  const json = new TextEncoder().encode(headerText ?? JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe("safetensors", () => {
  it("round-trips names, dtypes, shapes and values (views written contiguous)", () => {
    const original = sample();
    const { tensors } = deserialize(serialize(original));
    assert.deepEqual(Object.keys(tensors).sort(), Object.keys(original).sort());
    for (const [name, t] of Object.entries(original)) {
      assert.equal(tensors[name]!.dtype, t.dtype, name);
      assert.deepEqual(tensors[name]!.shape, t.shape, name);
      assert.deepEqual(tensors[name]!.tolist(), t.tolist(), name);
    }
  });

  it("stores metadata and aligns the data to 8 bytes", () => {
    const bytes = serialize({ a: torch.ones([3]) }, { metadata: { format: "pt" } });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    assert.equal(headerLength % 8, 0);
    assert.deepEqual({ ...deserialize(bytes).metadata }, { format: "pt" });
  });

  it("reads I64 as int32, F16 and BF16 as float32, and refuses int64 values outside int32", () => {
    const i64 = new Uint8Array(new BigInt64Array([5n, -7n]).buffer);
    assert.deepEqual(
      deserialize(
        rawFile({ x: { dtype: "I64", shape: [2], data_offsets: [0, 16] } }, i64),
      ).tensors.x!.tolist(),
      [5, -7],
    );
    const half = new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x3555]).buffer); // 1, -2, ~1/3
    const h = deserialize(rawFile({ x: { dtype: "F16", shape: [3], data_offsets: [0, 6] } }, half))
      .tensors.x!;
    assert.equal(h.dtype, "float32");
    assert.deepEqual((h.tolist() as number[]).slice(0, 2), [1, -2]);
    assert.ok(Math.abs((h.tolist() as number[])[2]! - 0.33325) < 1e-4);
    const bf = new Uint8Array(new Uint16Array([0x3f80, 0x4040]).buffer); // 1, 3
    assert.deepEqual(
      deserialize(
        rawFile({ x: { dtype: "BF16", shape: [2], data_offsets: [0, 4] } }, bf),
      ).tensors.x!.tolist(),
      [1, 3],
    );
    const big = new Uint8Array(new BigInt64Array([2n ** 40n]).buffer);
    assert.throws(
      () => deserialize(rawFile({ x: { dtype: "I64", shape: [1], data_offsets: [0, 8] } }, big)),
      SafetensorsError,
    );
  });

  const hostile: [string, Uint8Array, RegExp][] = [
    ["shorter than the length field", new Uint8Array(5), /shorter than the 8-byte header length/],
    [
      "header length beyond the file",
      (() => {
        const b = rawFile({});
        new DataView(b.buffer).setBigUint64(0, 1000n, true);
        return b;
      })(),
      /larger than the file/,
    ],
    [
      "a huge header length",
      (() => {
        const b = rawFile({});
        new DataView(b.buffer).setBigUint64(0, 2n ** 60n, true);
        return b;
      })(),
      /exceeds the limit/,
    ],
    ["non-JSON header", rawFile(null, new Uint8Array(0), "{not json"), /not valid UTF-8 JSON/],
    ["a JSON array header", rawFile([1, 2]), /not a JSON object/],
    [
      "unknown dtype",
      rawFile({ x: { dtype: "C64", shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8)),
      /unsupported dtype/,
    ],
    [
      "offsets out of range",
      rawFile({ x: { dtype: "F32", shape: [4], data_offsets: [0, 16] } }, new Uint8Array(8)),
      /out of range/,
    ],
    [
      "shape that does not match the byte count",
      rawFile({ x: { dtype: "F32", shape: [3], data_offsets: [0, 16] } }, new Uint8Array(16)),
      /needs 12 bytes/,
    ],
    [
      "a shape too large for the file",
      rawFile({ x: { dtype: "F32", shape: [1e9, 1e9], data_offsets: [0, 8] } }, new Uint8Array(8)),
      /more bytes than the file holds/,
    ],
    [
      "negative dims",
      rawFile({ x: { dtype: "F32", shape: [-2], data_offsets: [0, 8] } }, new Uint8Array(8)),
      /invalid shape/,
    ],
    [
      "overlapping tensors",
      rawFile(
        {
          a: { dtype: "F32", shape: [2], data_offsets: [0, 8] },
          b: { dtype: "F32", shape: [2], data_offsets: [4, 12] },
        },
        new Uint8Array(12),
      ),
      /overlaps/,
    ],
    [
      "a hole in the data",
      rawFile({ a: { dtype: "F32", shape: [1], data_offsets: [4, 8] } }, new Uint8Array(8)),
      /hole/,
    ],
    [
      "trailing bytes",
      rawFile({ a: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, new Uint8Array(8)),
      /trailing bytes/,
    ],
    [
      "a __proto__ tensor name",
      rawFile(
        null,
        new Uint8Array(4),
        '{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
      ),
      /not allowed/,
    ],
    [
      "a constructor tensor name",
      rawFile(
        { constructor: { dtype: "F32", shape: [1], data_offsets: [0, 4] } },
        new Uint8Array(4),
      ),
      /not allowed/,
    ],
    ["non-string metadata", rawFile({ __metadata__: { a: 1 } }), /is not a string/],
  ];
  for (const [what, bytes, message] of hostile) {
    it(`refuses ${what} with a typed error`, () => {
      assert.throws(
        () => deserialize(bytes),
        (e: Error) => e instanceof SafetensorsError && message.test(e.message),
      );
    });
  }

  it("survives random mutations of valid files: a typed error or valid tensors, never a crash or pollution", () => {
    const valid = serialize(sample(), { metadata: { note: "fuzz" } });
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let trial = 0; trial < 2000; trial++) {
      const bytes = valid.slice(0, trial % 7 === 0 ? rand(valid.length) : valid.length);
      const flips = 1 + rand(4);
      for (let f = 0; f < flips && bytes.length > 0; f++) bytes[rand(bytes.length)] = rand(256);
      try {
        const { tensors } = deserialize(bytes);
        for (const t of Object.values(tensors)) assert.ok(t.numel() * 8 <= bytes.length * 8 + 64);
      } catch (e) {
        assert.ok(e instanceof SafetensorsError, `untyped error: ${(e as Error).stack}`);
      }
      assert.equal(
        ({} as Record<string, unknown>)["dtype"],
        undefined,
        "Object.prototype was polluted",
      );
    }
  });
});

describe("safetensors files", () => {
  it("saves and loads a file", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchlet-st-"));
    const path = join(dir, "model.safetensors");
    save(sample(), path);
    assert.deepEqual(load(path)["fc1.weight"]!.tolist(), [
      [0.5, -1.25],
      [3, 1e-8].map((v) => Math.fround(v)),
    ]);
  });

  it("keeps the previous file intact when a save fails midway", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchlet-st-"));
    const path = join(dir, "ckpt.safetensors");
    save({ a: torch.ones([2]) }, path);
    const before = readFileSync(path);
    assert.throws(
      () =>
        save({ a: torch.zeros([1000]) }, path, {
          hooks: {
            afterWrite: () => {
              throw new Error("disk full (simulated)");
            },
          },
        }),
      /disk full/,
    );
    assert.deepEqual(readFileSync(path), before);
    assert.deepEqual(readdirSync(dir), ["ckpt.safetensors"], "the temporary file was removed");
  });

  it("leaves no file when the first save fails", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchlet-st-"));
    const path = join(dir, "new.safetensors");
    assert.throws(
      () => save({ __proto__bad: torch.ones([1]), constructor: torch.ones([1]) }, path),
      SafetensorsError,
    );
    assert.equal(existsSync(path), false);
    writeFileSync(join(dir, "unused"), "");
  });
});
