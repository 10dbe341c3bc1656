/**
 * 10 000 seeded mutations of valid PyTorch files (real torch.save output from
 * scripts/fixtures/pt_format.py, and torchlet's own): each must give a typed torchlet error or a
 * valid result, within 1 s, holding no more than the file's size bounds allow, with no
 * prototype touched. Half the mutations hit the raw file (the zip layer), half hit data.pkl and
 * are re-wrapped with correct CRCs so that they reach the unpickler.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as torch from "../../src/index.js";
import { serializePt } from "../../src/io/pt/format.js";
import { readZipDirectory, readZipRecord, writeZip } from "../../src/io/pt/zip.js";
import type { Storage } from "../../src/tensor/storage.js";
import { zip64Archive } from "../helpers/zip64.js";

/** mulberry32: a small seeded PRNG, so every run checks the same cases. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTERESTING = [0, 1, 0x7f, 0x80, 0xff, 0x28, 0x2e, 0x52, 0x62, 0x63, 0x71, 0x68, 0x51];
const INTERESTING_U32 = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffff0, 64, 4096];

function mutate(bytes: Uint8Array, rand: () => number): Uint8Array {
  let out = bytes.slice();
  const ops = 1 + Math.floor(rand() * 4);
  const at = (): number => Math.floor(rand() * Math.max(out.length, 1));
  for (let k = 0; k < ops; k++) {
    const op = Math.floor(rand() * 7);
    if (out.length === 0) break;
    if (op === 0) out[at()]! ^= 1 << Math.floor(rand() * 8);
    else if (op === 1) out[at()] = INTERESTING[Math.floor(rand() * INTERESTING.length)]!;
    else if (op === 2 && out.length >= 4) {
      const p = Math.floor(rand() * (out.length - 3));
      new DataView(out.buffer).setUint32(
        p,
        INTERESTING_U32[Math.floor(rand() * INTERESTING_U32.length)]!,
        true,
      );
    } else if (op === 3) out = out.subarray(0, at()).slice();
    else if (op === 4) {
      const p = at();
      const len = 1 + Math.floor(rand() * 8);
      const ins = Uint8Array.from({ length: len }, () => Math.floor(rand() * 256));
      out = Uint8Array.from([...out.subarray(0, p), ...ins, ...out.subarray(p)]);
    } else if (op === 5) {
      const p = at();
      out = Uint8Array.from([
        ...out.subarray(0, p),
        ...out.subarray(p + 1 + Math.floor(rand() * 8)),
      ]);
    } else {
      // Duplicate a slice (repeats opcodes: memo, MARK and container churn).
      const p = at();
      const len = 1 + Math.floor(rand() * 32);
      out = Uint8Array.from([
        ...out.subarray(0, p + len),
        ...out.subarray(p, p + len),
        ...out.subarray(p + len),
      ]);
    }
  }
  return out;
}

/**
 * Walks a loaded value without recursion and checks the bounds: every object took at least one
 * byte of the file, every storage at most 4 bytes per file byte (int8 -> int32 is the largest
 * growth), every tensor lies inside its storage, every dict has a null prototype.
 */
function checkResult(value: unknown, fileSize: number): void {
  const seen = new Set<object>();
  const storages = new Set<Storage>();
  const todo: unknown[] = [value];
  while (todo.length) {
    const v = todo.pop();
    if (typeof v !== "object" || v === null || seen.has(v)) continue;
    seen.add(v);
    assert.ok(seen.size <= fileSize, "more objects than bytes in the file");
    if (v instanceof torch.Tensor) {
      storages.add(v.storage);
      let last = v.offset;
      let empty = false;
      v.shape.forEach((d, i) => {
        if (d === 0) empty = true;
        last += (d - 1) * v.strides[i]!;
      });
      assert.ok(empty || last < v.storage.data.length, "a tensor reaches past its storage");
      continue;
    }
    if (v instanceof Uint8Array) continue;
    if (Array.isArray(v) || v instanceof Set) {
      for (const item of v) todo.push(item);
      continue;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto === null)
      for (const k of Object.keys(v)) todo.push((v as Record<string, unknown>)[k]);
  }
  let bytes = 0;
  for (const s of storages) bytes += s.data.byteLength;
  assert.ok(bytes <= 4 * fileSize, `${bytes} bytes of storage from a ${fileSize}-byte file`);
}

function seeds(): Uint8Array[] {
  const dir = new URL("../../fixtures/pt_format/", import.meta.url);
  const fromPytorch = ["state_dict.pt", "adam.pt", "nested.pt"].map(
    (f) => new Uint8Array(readFileSync(new URL(f, dir))),
  );
  const base = torch.arange(6, { dtype: "float32" }).view(2, 3);
  const ours = serializePt({
    epoch: 1,
    w: base,
    t: base.t(),
    mask: torch.tensor([true, false]),
    n: [1, -2.5, "s", null, { k: [torch.tensor([7])] }],
  });
  const records = [...readZipDirectory(ours).values()];
  const ours64 = zip64Archive(records.map((r) => ({ name: r.name, data: readZipRecord(ours, r) })));
  return [...fromPytorch, ours, ours64];
}

describe("fuzzing PyTorch's format: 10 000 mutations", () => {
  it("each mutation is a typed error or a bounded valid result, under 1 s, no pollution", () => {
    const rand = prng(19);
    const files = seeds();
    for (const f of files) checkResult(torch.deserialize<unknown>(f), f.length);
    const protoBefore = [Object.prototype, Array.prototype, Function.prototype].map((p) =>
      Object.getOwnPropertyNames(p).join(),
    );
    const counts = { valid: 0, errors: 0 };
    const messages = new Set<string>();
    let slowest = 0;
    for (let i = 0; i < 10_000; i++) {
      const seed = files[i % files.length]!;
      let bytes: Uint8Array;
      if (i % 2 === 0) bytes = mutate(seed, rand);
      else {
        // Mutate the pickle and re-wrap it, so it passes the zip layer's CRC checks.
        const records = [...readZipDirectory(seed).values()];
        bytes = writeZip(
          records.map((r) => {
            const data = readZipRecord(seed, r);
            return { name: r.name, data: r.name.endsWith("data.pkl") ? mutate(data, rand) : data };
          }),
        );
      }
      const start = performance.now();
      let result: unknown;
      let failed = false;
      try {
        result = torch.deserialize<unknown>(bytes);
      } catch (e) {
        failed = true;
        if (!(e instanceof torch.TorchletError))
          assert.fail(`case ${i}: untyped ${String(e)}\n${(e as Error).stack}`);
        messages.add(e.message.replace(/\d+/g, "N"));
      }
      const ms = performance.now() - start;
      slowest = Math.max(slowest, ms);
      assert.ok(ms < 1000, `case ${i} took ${ms} ms`);
      if (failed) counts.errors++;
      else {
        counts.valid++;
        checkResult(result, bytes.length);
      }
    }
    assert.deepEqual(
      [Object.prototype, Array.prototype, Function.prototype].map((p) =>
        Object.getOwnPropertyNames(p).join(),
      ),
      protoBefore,
    );
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    // Both outcomes are common, and the errors are many distinct ones (the fuzzer reaches deep).
    assert.ok(counts.valid > 300, `only ${counts.valid} valid results`);
    assert.ok(counts.errors > 3000, `only ${counts.errors} errors`);
    assert.ok(messages.size > 40, `only ${messages.size} distinct errors`);
    assert.ok(slowest < 1000);
  });
});
