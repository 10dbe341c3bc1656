import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ProtoWriter } from "../../src/onnx/protobuf.js";

// Expected bytes from the protobuf encoding spec (https://protobuf.dev/programming-guides/encoding/).
describe("ProtoWriter", () => {
  it("writes varints (negative int64 as ten bytes), floats, strings and nested messages", () => {
    const bytes = new ProtoWriter()
      .varint(1, 150)
      .varint(1, -1)
      .float(2, 1)
      .string(3, "hi")
      .message(4, (m) => m.varint(1, 0))
      .finish();
    assert.deepEqual(
      [...bytes],
      [
        0x08, 0x96, 0x01, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x15,
        0x00, 0x00, 0x80, 0x3f, 0x1a, 0x02, 0x68, 0x69, 0x22, 0x02, 0x08, 0x00,
      ],
    );
  });

  it("grows past its first buffer and refuses non-integers", () => {
    const big = new Uint8Array(1000).fill(7);
    const bytes = new ProtoWriter().bytes(5, big).finish();
    assert.deepEqual([...bytes.subarray(0, 3)], [0x2a, 0xe8, 0x07]);
    assert.equal(bytes.length, 1003);
    assert.throws(() => new ProtoWriter().varint(1, 1.5), RangeError);
  });
});
