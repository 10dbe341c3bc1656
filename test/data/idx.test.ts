import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { IdxFormatError, parseIdx } from "../../src/data/idx.js";
import { readIdxFile } from "../../src/node/idx-files.js";

/** An IDX file: magic, type code, dims (big-endian) and the given payload bytes. */
function idx(type: number, dims: number[], payload: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + payload.length);
  const view = new DataView(out.buffer);
  out[2] = type;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(payload, 4 + 4 * dims.length);
  return out;
}

describe("IDX reader", () => {
  it("reads unsigned bytes with their shape", () => {
    const t = parseIdx(idx(0x08, [2, 3], [0, 1, 2, 253, 254, 255]));
    assert.deepEqual(t.shape, [2, 3]);
    assert.equal(t.dtype, "int32");
    assert.deepEqual(t.tolist(), [
      [0, 1, 2],
      [253, 254, 255],
    ]);
  });

  it("reads big-endian ints, floats and signed bytes", () => {
    assert.deepEqual(
      parseIdx(idx(0x0c, [2], [0, 0, 1, 0, 0xff, 0xff, 0xff, 0xfe])).tolist(),
      [256, -2],
    );
    assert.deepEqual(parseIdx(idx(0x0d, [1], [0x3f, 0xc0, 0, 0])).tolist(), [1.5]);
    assert.deepEqual(parseIdx(idx(0x09, [2], [0x7f, 0x80])).tolist(), [127, -128]);
  });

  it("refuses bad magic, unknown types, truncated and overlong files with typed errors", () => {
    const bad: [Uint8Array, RegExp][] = [
      [new Uint8Array([1, 0, 8, 1, 0, 0, 0, 0]), /bad magic number/],
      [idx(0x07, [1], [0]), /unknown IDX type code 0x07/],
      [idx(0x08, [2, 3], [1, 2, 3]), /expected 18 bytes .* has 15 \(truncated\?\)/],
      [idx(0x08, [1], [1, 2]), /expected 9 bytes .* has 10/],
      [new Uint8Array([0, 0, 8, 3, 0, 0]), /truncated header/],
      [new Uint8Array([0, 0]), /too short/],
    ];
    for (const [bytes, message] of bad) {
      assert.throws(
        () => parseIdx(bytes, "test.idx"),
        (e: Error) =>
          e instanceof IdxFormatError &&
          message.test(e.message) &&
          e.message.startsWith("test.idx"),
      );
    }
  });

  it("reads gzipped and raw files, and reports corrupt gzip", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchlet-idx-"));
    const bytes = idx(0x08, [3], [7, 8, 9]);
    writeFileSync(join(dir, "raw-idx1-ubyte"), bytes);
    writeFileSync(join(dir, "gz-idx1-ubyte.gz"), gzipSync(bytes));
    const corrupt = gzipSync(bytes).slice(0, 12);
    writeFileSync(join(dir, "bad.gz"), corrupt);
    assert.deepEqual(readIdxFile(join(dir, "raw-idx1-ubyte")).tolist(), [7, 8, 9]);
    assert.deepEqual(readIdxFile(join(dir, "gz-idx1-ubyte.gz")).tolist(), [7, 8, 9]);
    assert.throws(() => readIdxFile(join(dir, "bad.gz")), IdxFormatError);
  });
});
