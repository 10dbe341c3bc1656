/**
 * The zip container of PyTorch's files, read and written as PyTorch's writer
 * (caffe2/serialize/inline_container.cc) does: every record stored uncompressed, its data
 * 64-byte aligned by an "FB" extra field of padding in the local header, so a reader can map
 * tensors straight from the file.
 *
 * Reading trusts nothing: every offset and size is checked against the file before use, records
 * may not overlap, and each record's CRC-32 is checked. Only stored records are read: PyTorch
 * never compresses, and a stored record is a view of the file, so nothing is allocated beyond
 * the file's own size and a declared size past the file (a zip bomb) is an error. A deflated
 * record (a re-zipped file) is listed, and refused when read.
 */
import { crc32 } from "./crc32.js";
import { SerializationError } from "./errors.js";

/** A record of an archive: where its bytes are and how they are stored. */
export interface ZipRecord {
  name: string;
  method: 0 | 8;
  crc: number;
  compressedSize: number;
  size: number;
  /** Offset of the record's (possibly compressed) bytes in the file. */
  dataStart: number;
}

const ALIGNMENT = 64;
/** Deflate cannot expand more than about 1032:1; a larger declared size is a zip bomb. */
const MAX_DEFLATE_RATIO = 1032;

function fail(message: string): never {
  throw new SerializationError(`invalid zip archive: ${message}`);
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Reads a zip64 extended-information extra field, replacing the 0xFFFFFFFF placeholders. */
function zip64Fields(
  view: DataView,
  start: number,
  end: number,
  fields: { size: number; compressedSize: number; offset: number },
): void {
  let p = start;
  while (p + 4 <= end) {
    const id = view.getUint16(p, true);
    const len = view.getUint16(p + 2, true);
    if (p + 4 + len > end) fail("extra field runs past its header");
    if (id === 0x0001) {
      let q = p + 4;
      const next = (): number => {
        if (q + 8 > p + 4 + len) fail("zip64 extra field is too short");
        const v = view.getBigUint64(q, true);
        q += 8;
        if (v > BigInt(Number.MAX_SAFE_INTEGER)) fail("zip64 size out of range");
        return Number(v);
      };
      if (fields.size === 0xffffffff) fields.size = next();
      if (fields.compressedSize === 0xffffffff) fields.compressedSize = next();
      if (fields.offset === 0xffffffff) fields.offset = next();
      return;
    }
    p += 4 + len;
  }
}

/**
 * Lists an archive's records after checking the directory against the file: offsets in range,
 * no overlaps, no duplicate names, no encryption, stored or deflated only.
 */
export function readZipDirectory(bytes: Uint8Array): Map<string, ZipRecord> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  if (n < 22) fail(`file is ${n} bytes, too short for a zip archive`);
  let eocd = -1;
  for (let p = n - 22; p >= Math.max(0, n - 22 - 0xffff); p--) {
    if (view.getUint32(p, true) === 0x06054b50 && p + 22 + view.getUint16(p + 20, true) <= n) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) fail("no end of central directory record");
  let count = view.getUint16(eocd + 10, true);
  let cdSize = view.getUint32(eocd + 12, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  let cdLimit = eocd;
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || view.getUint32(loc, true) !== 0x07064b50) fail("zip64 locator missing");
    const rec64 = view.getBigUint64(loc + 8, true);
    if (rec64 > BigInt(loc - 56)) fail("zip64 end of central directory out of range");
    const r = Number(rec64);
    if (view.getUint32(r, true) !== 0x06064b50) fail("bad zip64 end of central directory");
    const big = (o: number): number => {
      const v = view.getBigUint64(r + o, true);
      if (v > BigInt(n)) fail("zip64 directory field out of range");
      return Number(v);
    };
    count = big(32);
    cdSize = big(40);
    cdOffset = big(48);
    cdLimit = r;
  }
  if (cdOffset + cdSize > cdLimit) fail("central directory runs past its end record");
  if (count * 46 > cdSize) fail(`${count} records cannot fit a ${cdSize}-byte directory`);
  const records = new Map<string, ZipRecord>();
  const spans: [number, number, string][] = [];
  let p = cdOffset;
  const cdEnd = cdOffset + cdSize;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cdEnd || view.getUint32(p, true) !== 0x02014b50)
      fail(`central directory entry ${i} is malformed`);
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    const fields = {
      compressedSize: view.getUint32(p + 20, true),
      size: view.getUint32(p + 24, true),
      offset: view.getUint32(p + 42, true),
    };
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const end = p + 46 + nameLen + extraLen + commentLen;
    if (end > cdEnd) fail(`central directory entry ${i} runs past the directory`);
    let name: string;
    try {
      name = utf8.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    } catch {
      fail(`record ${i} has a name that is not UTF-8`);
    }
    zip64Fields(view, p + 46 + nameLen, p + 46 + nameLen + extraLen, fields);
    p = end;
    if (flags & 1) fail(`record "${name}" is encrypted`);
    if (method !== 0 && method !== 8)
      fail(`record "${name}" uses compression method ${method} (only stored and deflate)`);
    if (records.has(name)) fail(`duplicate record "${name}"`);
    const { compressedSize, size, offset } = fields;
    if (method === 0 && compressedSize !== size)
      fail(`stored record "${name}" has compressed size ${compressedSize} != size ${size}`);
    if (method === 8 && size > compressedSize * MAX_DEFLATE_RATIO + 64)
      fail(`record "${name}" declares ${size} bytes from ${compressedSize} (a zip bomb?)`);
    if (offset + 30 > cdOffset) fail(`record "${name}" has its header out of range`);
    if (view.getUint32(offset, true) !== 0x04034b50)
      fail(`record "${name}" has no local header at ${offset}`);
    const dataStart =
      offset + 30 + view.getUint16(offset + 26, true) + view.getUint16(offset + 28, true);
    if (dataStart + compressedSize > cdOffset)
      fail(`record "${name}" runs past the start of the central directory`);
    spans.push([offset, dataStart + compressedSize, name]);
    records.set(name, {
      name,
      method: method as 0 | 8,
      crc,
      compressedSize,
      size,
      dataStart,
    });
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i]![0] < spans[i - 1]![1])
      fail(`records "${spans[i - 1]![2]}" and "${spans[i]![2]}" overlap`);
  }
  return records;
}

/** A record's bytes (a view into `bytes` when stored), CRC checked. */
export function readZipRecord(bytes: Uint8Array, record: ZipRecord): Uint8Array {
  const raw = bytes.subarray(record.dataStart, record.dataStart + record.compressedSize);
  if (record.method !== 0)
    fail(
      `record "${record.name}" is deflate-compressed; PyTorch stores every record uncompressed ` +
        "and torchlet reads only stored records (re-save the file with torch.save)",
    );
  const out = raw;
  if (crc32(out) !== record.crc) fail(`record "${record.name}" fails its CRC-32 check`);
  return out;
}

/**
 * Writes records in order as PyTorch does: stored, each record's data 64-byte aligned.
 * Archives past 4 GiB (zip64) are not written.
 */
export function writeZip(entries: readonly { name: string; data: Uint8Array }[]): Uint8Array {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = encoder.encode(name);
    const crc = crc32(data);
    // inline_container.cc's getPadding: an "FB" field of 'Z's up to the next 64-byte boundary.
    const beforePad = offset + 30 + nameBytes.length + 4;
    const pad = (ALIGNMENT - (beforePad % ALIGNMENT)) % ALIGNMENT;
    const local = new Uint8Array(30 + nameBytes.length + 4 + pad);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, data.length, true);
    lv.setUint32(22, data.length, true);
    lv.setUint16(26, nameBytes.length, true);
    lv.setUint16(28, 4 + pad, true);
    local.set(nameBytes, 30);
    lv.setUint16(30 + nameBytes.length, 0x4246, true);
    lv.setUint16(32 + nameBytes.length, pad, true);
    local.fill(0x5a, 34 + nameBytes.length);
    const cd = new Uint8Array(46 + nameBytes.length);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, data.length, true);
    cv.setUint32(24, data.length, true);
    cv.setUint16(28, nameBytes.length, true);
    cv.setUint32(42, offset, true);
    cd.set(nameBytes, 46);
    parts.push(local, data);
    central.push(cd);
    offset += local.length + data.length;
    if (offset > 0xfffffffe)
      throw new SerializationError("archives over 4 GiB (zip64) cannot be written yet");
  }
  const cdSize = central.reduce((s, c) => s + c.length, 0);
  const eocd = new Uint8Array(22);
  const ev = new DataView(eocd.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + cdSize + 22);
  let pos = 0;
  for (const part of [...parts, ...central, eocd]) {
    out.set(part, pos);
    pos += part.length;
  }
  return out;
}
