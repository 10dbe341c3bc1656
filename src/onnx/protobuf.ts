/**
 * Just enough of the protobuf wire format to write ONNX models: varints (int32/int64/enum),
 * 32-bit floats, and length-delimited strings, bytes and sub-messages. Written by hand rather
 * than with protobufjs because the exporter runs in the browser bundle and needs only a writer
 * for a dozen fixed messages (https://protobuf.dev/programming-guides/encoding/).
 */

const utf8 = new TextEncoder();

/** Appends protobuf fields to a growing byte buffer; `finish()` returns the message's bytes. */
export class ProtoWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private rawVarint(value: bigint): void {
    this.reserve(10);
    // Negative int64s are written as their 64-bit two's complement (ten bytes), as protobuf does.
    let v = BigInt.asUintN(64, value);
    while (v >= 0x80n) {
      this.buf[this.len++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.len++] = Number(v);
  }

  private tag(field: number, wireType: 0 | 2 | 5): void {
    this.rawVarint(BigInt((field << 3) | wireType));
  }

  /** An int32, int64, bool or enum field. */
  varint(field: number, value: number): this {
    if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer: ${value}`);
    this.tag(field, 0);
    this.rawVarint(BigInt(value));
    return this;
  }

  /** A float field (fixed 32 bits, little-endian). */
  float(field: number, value: number): this {
    this.tag(field, 5);
    this.reserve(4);
    new DataView(this.buf.buffer).setFloat32(this.len, value, true);
    this.len += 4;
    return this;
  }

  /** A bytes field. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.rawVarint(BigInt(value.length));
    this.reserve(value.length);
    this.buf.set(value, this.len);
    this.len += value.length;
    return this;
  }

  /** A string field (UTF-8). */
  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  /** An embedded message field, written by `build` into its own writer. */
  message(field: number, build: (w: ProtoWriter) => void): this {
    const w = new ProtoWriter();
    build(w);
    return this.bytes(field, w.finish());
  }

  /** The bytes written so far. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
