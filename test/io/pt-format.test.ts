import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as torch from "../../src/index.js";
import { deserializePt, serializePt } from "../../src/io/pt/format.js";
import { unpickle } from "../../src/io/pickle/unpickler.js";
import { readZipDirectory, writeZip } from "../../src/io/pt/zip.js";
import { deserialize as readSafetensors } from "../../src/io/safetensors.js";
import { load, save } from "../../src/node/serialization-files.js";
import { zip64Archive } from "../helpers/zip64.js";

const { SerializationError, UnpicklingError } = torch;

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** A PyTorch-style archive around a hand-written pickle (and optional storages). */
function archive(pkl: Uint8Array, storages: Record<string, Uint8Array> = {}): Uint8Array {
  return writeZip([
    { name: "archive/data.pkl", data: pkl },
    ...Object.entries(storages).map(([k, data]) => ({ name: `archive/data/${k}`, data })),
    { name: "archive/version", data: ascii("3\n") },
  ]);
}

const noStorages = {
  globals: new Map<string, unknown>(),
  persistentLoad: (): never => {
    throw new Error("unexpected");
  },
};

/** A protocol-2 pickle: PROTO 2, the body, STOP. */
const p2 = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from([
    0x80,
    2,
    ...parts.flatMap((p) => (typeof p === "string" ? [...ascii(p)] : p)),
    0x2e,
  ]);

describe("torch.save / torch.load round trip in PyTorch's format", () => {
  it("keeps nested values, numbers, strings, bytes and null", () => {
    const value = {
      epoch: 3,
      lr: 0.1,
      neg: -70000,
      big: 2 ** 40,
      huge: 2n ** 80n,
      negZero: -0,
      nan: NaN,
      name: "ünïcode ✓",
      none: null,
      flags: [true, false],
      nested: [1, [2, [3, "x"]], { a: 1 }],
      bytes: new Uint8Array([0, 255, 7]),
      set: new Set([1, "a"]),
    };
    const back = torch.deserialize<Record<string, unknown>>(torch.serialize(value));
    assert.deepEqual(
      { ...back, nested: undefined },
      {
        ...value,
        nested: undefined,
      },
    );
    assert.ok(Object.is(back.negZero, -0));
    assert.deepEqual(JSON.stringify(back.nested), JSON.stringify(value.nested));
  });

  it("keeps tensors' dtypes, values, layout, storage sharing and Parameters", () => {
    const base = torch.arange(12, { dtype: "float64" }).view(3, 4);
    const value = {
      base,
      t: base.t(),
      col: base.select(1, 2),
      again: base,
      ints: torch.tensor([-2147483648, 2147483647]),
      mask: torch.tensor([true, false]),
      grad: torch.tensor([1.5], { requiresGrad: true }),
      param: new torch.nn.Parameter(torch.tensor([2.5])),
      scalar: torch.tensor(1.25),
      empty: torch.zeros([0, 3]),
    };
    const back = torch.deserialize(torch.serialize(value));
    for (const [k, t] of Object.entries(value)) {
      const b = back[k]!;
      assert.equal(b.dtype, t.dtype, k);
      assert.deepEqual([...b.shape], [...t.shape], k);
      assert.deepEqual([...b.strides], [...t.strides], k);
      assert.equal(b.offset, t.offset, k);
      assert.deepEqual([...b.toArray()], [...t.toArray()], k);
      assert.equal(b.requiresGrad, t.requiresGrad, k);
    }
    assert.equal(back.t!.storage, back.base!.storage);
    assert.equal(back.col!.storage, back.base!.storage);
    assert.equal(back.again, back.base, "the same tensor twice is one tensor");
    assert.notEqual(back.ints!.storage, back.base!.storage);
    assert.ok(back.param instanceof torch.nn.Parameter);
  });

  it("writes the archive as PyTorch does: stored records, data 64-byte aligned", () => {
    const bytes = torch.serialize({ w: torch.ones([3]), b: torch.zeros([2]) });
    const records = readZipDirectory(bytes);
    assert.deepEqual(
      [...records.keys()],
      [
        "archive/data.pkl",
        "archive/data/0",
        "archive/data/1",
        "archive/version",
        "archive/byteorder",
      ],
    );
    for (const r of records.values()) {
      assert.equal(r.method, 0);
      assert.equal(r.dataStart % 64, 0, r.name);
    }
  });

  it("an optimizer state dict gets int keys and tuple betas, and loads back", () => {
    const p = new torch.nn.Parameter(torch.tensor([1.5, 2.5]));
    const opt = new torch.optim.Adam([p], { lr: 0.1, betas: [0.8, 0.9] });
    p.grad = torch.tensor([0.5, -0.5]);
    opt.step();
    const sd = opt.stateDict();
    const bytes = torch.serialize(sd);
    // int keys: BININT1 0 then the state dict of parameter 0; tuple betas: TUPLE2.
    const pkl = [...bytes.subarray(readZipDirectory(bytes).get("archive/data.pkl")!.dataStart)];
    assert.ok(pkl.includes(0x86), "betas written as a tuple");
    const back = torch.deserialize<torch.optim.OptimizerStateDict>(bytes);
    assert.deepEqual(Object.keys(back.state), ["0"]);
    const opt2 = new torch.optim.Adam([new torch.nn.Parameter(torch.tensor([1.5, 2.5]))], {
      lr: 1,
    });
    opt2.loadStateDict(back);
    assert.equal(opt2.paramGroups[0]!.lr, 0.1);
    assert.deepEqual([...opt2.paramGroups[0]!.betas], [0.8, 0.9]);
    assert.equal(opt2.stateDict().state[0]!.step, 1);
  });

  it("reads zip64 archives (sizes and offsets in zip64 extra fields)", () => {
    const bytes = torch.serialize({ w: torch.tensor([1.5, -2]), n: [1, "x"] });
    const records = readZipDirectory(bytes);
    const as64 = zip64Archive(
      [...records.values()].map((r) => ({
        name: r.name,
        data: bytes.subarray(r.dataStart, r.dataStart + r.size),
      })),
    );
    const back = torch.deserialize<{ w: torch.Tensor; n: unknown[] }>(as64);
    assert.deepEqual([...back.w.toArray()], [1.5, -2]);
    assert.deepEqual(back.n, [1, "x"]);
  });

  it("refuses values it cannot save, with a typed error", () => {
    assert.throws(() => torch.serialize({ f: () => 1 }), SerializationError);
    assert.throws(() => torch.serialize(new Date()), SerializationError);
    assert.throws(
      () => torch.serialize({ nested: { x: torch.ones([1]) } }, { format: "safetensors" }),
      {
        name: "SerializationError",
        message: /flat map of tensors/,
      },
    );
  });
});

describe("torch.save / torch.load files and formats", () => {
  const dir = mkdtempSync(join(tmpdir(), "torchlet-save-"));

  it("writes safetensors for .safetensors, PyTorch's format otherwise; the option overrides", () => {
    const sd = { w: torch.tensor([1, 2]) };
    save(sd, join(dir, "a.safetensors"));
    save(sd, join(dir, "a.pt"));
    save(sd, join(dir, "b.pt"), { format: "safetensors" });
    save(sd, join(dir, "b.safetensors"), { format: "pt" });
    const fmt = (f: string): string | null =>
      torch.detectFormat(new Uint8Array(readFileSync(join(dir, f))));
    assert.equal(fmt("a.safetensors"), "safetensors");
    assert.equal(fmt("a.pt"), "pt");
    assert.equal(fmt("b.pt"), "safetensors");
    assert.equal(fmt("b.safetensors"), "pt");
    readSafetensors(new Uint8Array(readFileSync(join(dir, "a.safetensors"))));
    // load tells them apart by their bytes, never by the name.
    for (const f of ["a.safetensors", "a.pt", "b.pt", "b.safetensors"])
      assert.deepEqual([...load(join(dir, f)).w!.toArray()], [1, 2], f);
    assert.deepEqual([...load(readFileSync(join(dir, "a.pt"))).w!.toArray()], [1, 2]);
  });

  it("saves a checkpoint dict, and a failed save leaves the previous file intact", () => {
    const path = join(dir, "ckpt.pt");
    const model = new torch.nn.Linear(2, 1);
    const optimizer = new torch.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    save({ epoch: 1, model: model.stateDict(), optimizer: optimizer.stateDict() }, path);
    const before = readFileSync(path);
    assert.throws(
      () =>
        save({ epoch: 2 }, path, {
          hooks: {
            afterWrite: () => {
              throw new Error("disk full");
            },
          },
        }),
      /disk full/,
    );
    assert.deepEqual(readFileSync(path), before);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith(".tmp")),
      [],
    );
    const ckpt = load<{ epoch: number; model: Record<string, torch.Tensor> }>(path);
    assert.equal(ckpt.epoch, 1);
    new torch.nn.Linear(2, 1).loadStateDict(ckpt.model);
    assert.ok(!existsSync(join(dir, "never.pt")));
    assert.throws(() => save({ f: Symbol("x") }, join(dir, "never.pt")), SerializationError);
    assert.ok(!existsSync(join(dir, "never.pt")), "no file when the value cannot be saved");
  });

  it("refuses bytes that are neither format, and PyTorch's legacy format, by name", () => {
    assert.throws(() => torch.deserialize(ascii("hello world")), SerializationError);
    assert.throws(() => torch.deserialize(p2("N")), {
      name: "SerializationError",
      message: /legacy \(pre-1\.6\) format/,
    });
    writeFileSync(join(dir, "junk.pt"), "junk");
    assert.throws(() => load(join(dir, "junk.pt")), SerializationError);
  });
});

describe("hostile files: typed errors, nothing executed, nothing polluted", () => {
  it("refuses forbidden globals in every opcode that names one", () => {
    const cases: [Uint8Array, RegExp][] = [
      [
        p2("cos\nsystem\n", "X", [4, 0, 0, 0], "echo", [0x85, 0x52]),
        /GLOBAL os\.system whose module os is blocked/,
      ],
      [p2("cposix\nsystem\n"), /posix\.system/],
      [p2("cbuiltins\neval\n"), /GLOBAL builtins\.eval was not an allowed global/],
      // names that are Object.prototype's keys in JavaScript
      [p2("c__proto__\nconstructor\n"), /GLOBAL __proto__\.constructor was not an allowed/],
      [p2("cconstructor\ntoString\n"), /GLOBAL constructor\.toString was not an allowed/],
      [p2("c__builtin__\neval\n"), /GLOBAL builtins\.eval/],
      [p2("csubprocess\nPopen\n"), /subprocess\.Popen/],
      [p2("ctorch.nn.modules.linear\nLinear\n"), /torch\.nn\.modules\.linear\.Linear/],
      // protocol 4's STACK_GLOBAL
      [p2([0x8c, 2], "os", [0x8c, 6], "system", [0x93]), /os\.system/],
      // INST and OBJ create instances of arbitrary classes
      [p2("(ios\nsystem\n"), /INST: creating an instance of os\.system/],
      [p2("(N", [0x6f]), /OBJ/],
      // REDUCE of something that is not an allowed callable; BUILD on a plain dict
      [p2("N)R"), /reduce for unrecognized function NoneType/],
      [p2("}}b"), /Can only build OrderedDict/],
      [p2("X", [1, 0, 0, 0], "a", [0x51]), /Only persistent_load of storage/],
    ];
    for (const [pkl, message] of cases) {
      assert.throws(() => deserializePt(archive(pkl)), { name: "UnpicklingError", message });
    }
  });

  it("a dict key __proto__ is an own property of a null-prototype dict", () => {
    const pkl = p2(
      "}(",
      "X",
      [9, 0, 0, 0],
      "__proto__",
      "}X",
      [8, 0, 0, 0],
      "polluted",
      [0x88, 0x73], // {"polluted": True} via SETITEM
      "X",
      [11, 0, 0, 0],
      "constructor",
      "K",
      [1],
      "u",
    );
    const d = deserializePt(archive(pkl)) as Record<string, Record<string, unknown>>;
    assert.equal(Object.getPrototypeOf(d), null);
    assert.ok(Object.hasOwn(d, "__proto__"));
    assert.equal(d["__proto__"]!.polluted, true);
    assert.equal(d.constructor as unknown, 1);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it("deep nesting costs heap, not call stack", () => {
    const depth = 100_000;
    const body = [
      0x80,
      2,
      ...new Array<number>(depth).fill(0x5d),
      ...new Array<number>(depth - 1).fill(0x61),
      0x2e,
    ];
    let v = unpickle(Uint8Array.from(body), noStorages);
    let d = 1;
    while (Array.isArray(v) && v.length === 1) {
      v = v[0];
      d++;
    }
    assert.equal(d, depth);
    // 100 000 MARKs then a truncation: an error, not a stack overflow.
    assert.throws(
      () =>
        unpickle(Uint8Array.from([0x80, 2, ...new Array<number>(depth).fill(0x28)]), noStorages),
      UnpicklingError,
    );
  });

  it("malformed pickles: typed errors", () => {
    for (const pkl of [
      p2("h", [5]), // memo key never stored
      p2("a"), // stack underflow
      p2("e"), // APPENDS without MARK
      p2("))a"), // append to a tuple
      p2([0x8b, 0xff, 0xff, 0xff, 0x7f]), // LONG4 of 2 GiB
      p2("X", [0xff, 0xff, 0xff, 0xff]), // a 4 GiB string in a few bytes
      p2("X", [2, 0, 0, 0], [0xc3, 0x28]), // not UTF-8
      p2("}", "N", "K", [1], "s"), // None as a dict key
      p2("}", "K", [1], "N", "s", "X", [1, 0, 0, 0], "1", "Ns"), // int and str keys mixed
      p2([0x97]), // out-of-band buffer
      p2([0xff]), // unknown opcode
      Uint8Array.from([0x80, 9, 0x2e]), // protocol 9
      Uint8Array.from([0x80, 2]), // no STOP
    ]) {
      assert.throws(() => unpickle(pkl, noStorages), UnpicklingError);
    }
  });

  const valid = (): Uint8Array =>
    serializePt({ w: torch.arange(6, { dtype: "float32" }).view(2, 3) });

  it("every truncation of a valid file is a typed error", () => {
    const bytes = valid();
    for (let n = 0; n < bytes.length; n++)
      assert.throws(
        () => torch.deserialize(bytes.subarray(0, n)),
        torch.TorchletError,
        `length ${n}`,
      );
  });

  it("zip bombs, out-of-range and overlapping records, bad CRCs: typed errors", () => {
    const bytes = valid();
    const records = [...readZipDirectory(bytes).values()];
    const view = new DataView(bytes.buffer);
    const cd = view.getUint32(bytes.length - 6, true);
    const entry = (i: number): number => {
      let p = cd;
      for (let k = 0; k < i; k++)
        p +=
          46 +
          view.getUint16(p + 28, true) +
          view.getUint16(p + 30, true) +
          view.getUint16(p + 32, true);
      return p;
    };
    const mutate = (f: (v: DataView) => void): Uint8Array => {
      const copy = bytes.slice();
      f(new DataView(copy.buffer));
      return copy;
    };
    const cases: [Uint8Array, RegExp][] = [
      // declared sizes past the file (a bomb)
      [
        mutate((v) => {
          v.setUint32(entry(1) + 20, 0xfffffff0, true);
          v.setUint32(entry(1) + 24, 0xfffffff0, true);
        }),
        /runs past/,
      ],
      [mutate((v) => v.setUint32(entry(1) + 24, 0x7fffffff, true)), /compressed size/],
      // zip64 placeholders without zip64 data
      [mutate((v) => v.setUint32(entry(1) + 24, 0xffffffff, true)), /compressed size|zip64/],
      // a header offset past the directory, and two records on one header
      [mutate((v) => v.setUint32(entry(1) + 42, 0x7fffff00, true)), /out of range/],
      [
        mutate((v) => v.setUint32(entry(2) + 42, v.getUint32(entry(1) + 42, true), true)),
        /overlap/,
      ],
      // a flipped data byte
      [mutate((v) => v.setUint8(records[1]!.dataStart, 0x55)), /CRC-32/],
      // an encrypted record and a deflated one
      [mutate((v) => v.setUint16(entry(0) + 8, 1, true)), /encrypted/],
      [mutate((v) => v.setUint16(entry(0) + 10, 8, true)), /deflate/],
      // a directory claiming 65535 records
      [
        mutate((v) => {
          v.setUint16(bytes.length - 12, 0xfffe, true);
          v.setUint16(bytes.length - 14, 0xfffe, true);
        }),
        /cannot fit/,
      ],
    ];
    for (const [file, message] of cases)
      assert.throws(() => torch.deserialize(file), { name: "SerializationError", message });
  });

  it("storages and views that do not fit: typed errors, no allocation", () => {
    const pid = (numel: number | string): (string | number[])[] => [
      "ctorch._utils\n_rebuild_tensor_v2\n(",
      "(X",
      [7, 0, 0, 0],
      "storage",
      "ctorch\nFloatStorage\n",
      "X",
      [1, 0, 0, 0],
      "0",
      "X",
      [3, 0, 0, 0],
      "cpu",
      typeof numel === "string" ? numel : "J",
      typeof numel === "string" ? [] : [...new Uint8Array(new Int32Array([numel]).buffer)],
      "tQ",
    ];
    const tensor = (numel: number | string, rest: (string | number[])[]): Uint8Array =>
      archive(p2(...pid(numel), ...rest, "tR"), { "0": new Uint8Array(16) });
    const ok = tensor(4, ["K", [0], "K", [4], [0x85], "K", [1], [0x85], [0x89], "N"]);
    assert.deepEqual([...(deserializePt(ok) as torch.Tensor).toArray()], [0, 0, 0, 0]);
    const cases: [Uint8Array, RegExp][] = [
      // 2^40 elements claimed: the record's size disagrees, nothing is allocated
      [
        tensor("\x8a\x06\x00\x00\x00\x00\x00\x01", [
          "K",
          [0],
          "K",
          [4],
          [0x85],
          "K",
          [1],
          [0x85],
          [0x89],
          "N",
        ]),
        /holds 16 bytes/,
      ],
      // a view past its storage
      [tensor(4, ["K", [2], "K", [4], [0x85], "K", [1], [0x85], [0x89], "N"]), /reaches element 5/],
      [
        tensor(4, ["K", [0], "K", [2], "K", [2], [0x86], "K", [3], "K", [1], [0x86], [0x89], "N"]),
        /reaches element 4/,
      ],
      // 2^31+ elements from a stride-0 view
      [
        tensor(4, [
          "K",
          [0],
          "J",
          [0, 0, 0, 0x7f],
          "J",
          [0, 0, 0, 0x7f],
          [0x86],
          "K",
          [0],
          "K",
          [0],
          [0x86],
          [0x89],
          "N",
        ]),
        /too many elements/,
      ],
      // a storage record that does not exist
      [
        archive(p2(...pid(4), "K", [0], "K", [4], [0x85], "K", [1], [0x85], [0x89], "NtR")),
        /no record data\/0/,
      ],
    ];
    for (const [file, message] of cases)
      assert.throws(() => deserializePt(file), { name: "SerializationError", message });
  });
});
