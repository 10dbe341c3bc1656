import { crc32 } from "../../src/io/pt/crc32.js";

/**
 * A stored zip archive written the zip64 way (as writers do past 4 GiB): 0xFFFFFFFF
 * placeholders in every header, the real sizes and offsets in zip64 extra fields, and a zip64
 * end-of-directory record with its locator. torchlet never writes one; its reader must read it.
 */
export function zip64Archive(entries: readonly { name: string; data: Uint8Array }[]): Uint8Array {
  const enc = new TextEncoder();
  const chunks: number[] = [];
  const u16 = (a: number[], v: number): void => void a.push(v & 0xff, (v >>> 8) & 0xff);
  const u32 = (a: number[], v: number): void => {
    for (let i = 0; i < 4; i++) a.push((v >>> (8 * i)) & 0xff);
  };
  const u64 = (a: number[], v: number): void => {
    u32(a, v % 2 ** 32);
    u32(a, Math.floor(v / 2 ** 32));
  };
  const central: number[] = [];
  for (const { name, data } of entries) {
    const offset = chunks.length;
    const nameBytes = [...enc.encode(name)];
    const crc = crc32(data);
    u32(chunks, 0x04034b50);
    u16(chunks, 45);
    u16(chunks, 0);
    u16(chunks, 0);
    u32(chunks, 0);
    u32(chunks, crc);
    u32(chunks, 0xffffffff);
    u32(chunks, 0xffffffff);
    u16(chunks, nameBytes.length);
    u16(chunks, 20);
    chunks.push(...nameBytes);
    u16(chunks, 1);
    u16(chunks, 16);
    u64(chunks, data.length);
    u64(chunks, data.length);
    chunks.push(...data);
    u32(central, 0x02014b50);
    u16(central, 45);
    u16(central, 45);
    u16(central, 0);
    u16(central, 0);
    u32(central, 0);
    u32(central, crc);
    u32(central, 0xffffffff);
    u32(central, 0xffffffff);
    u16(central, nameBytes.length);
    u16(central, 28);
    u16(central, 0);
    u16(central, 0);
    u16(central, 0);
    u32(central, 0);
    u32(central, 0xffffffff);
    central.push(...nameBytes);
    u16(central, 1);
    u16(central, 24);
    u64(central, data.length);
    u64(central, data.length);
    u64(central, offset);
  }
  const cdOffset = chunks.length;
  chunks.push(...central);
  const rec64 = chunks.length;
  u32(chunks, 0x06064b50);
  u64(chunks, 44);
  u16(chunks, 45);
  u16(chunks, 45);
  u32(chunks, 0);
  u32(chunks, 0);
  u64(chunks, entries.length);
  u64(chunks, entries.length);
  u64(chunks, central.length);
  u64(chunks, cdOffset);
  u32(chunks, 0x07064b50);
  u32(chunks, 0);
  u64(chunks, rec64);
  u32(chunks, 1);
  u32(chunks, 0x06054b50);
  u32(chunks, 0);
  u16(chunks, 0xffff);
  u16(chunks, 0xffff);
  u32(chunks, 0xffffffff);
  u32(chunks, 0xffffffff);
  u16(chunks, 0);
  return Uint8Array.from(chunks);
}
