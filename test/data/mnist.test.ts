import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { IndexError, Tensor } from "../../src/index.js";
import { DataLoader, transforms } from "../../src/data/index.js";
import { DatasetNotFoundError, FashionMNIST, MNIST } from "../../src/node/datasets.js";
import { loadFixture } from "../helpers/fixtures.js";

/** An IDX file of unsigned bytes with the given dims. */
function idxBytes(dims: number[], values: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + values.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(values, 4 + 4 * dims.length);
  return out;
}

/** A tiny MNIST-style folder: n images of 2x3 where image k is filled with k, labels k % 10. */
function writeTinySet(dir: string, prefix: string, n: number, gzip: boolean): void {
  const pixels = Array.from({ length: n * 6 }, (_, i) => Math.floor(i / 6) * 20 + (i % 6));
  const labels = Array.from({ length: n }, (_, k) => (k * 3) % 10);
  const write = (name: string, bytes: Uint8Array) =>
    writeFileSync(join(dir, gzip ? `${name}.gz` : name), gzip ? gzipSync(bytes) : bytes);
  write(`${prefix}-images-idx3-ubyte`, idxBytes([n, 2, 3], pixels));
  write(`${prefix}-labels-idx1-ubyte`, idxBytes([n], labels));
}

describe("MNIST-style datasets on small IDX files", () => {
  for (const gzip of [true, false]) {
    it(`reads ${gzip ? "gzipped" : "raw"} files: [image, label] as torchvision`, () => {
      const dir = mkdtempSync(join(tmpdir(), "torchlet-mnist-"));
      try {
        writeTinySet(dir, "train", 5, gzip);
        writeTinySet(dir, "t10k", 3, gzip);
        const train = new MNIST({ root: dir });
        assert.equal(train.length, 5);
        const [image, label] = train.get(2);
        assert.ok(image instanceof Tensor);
        assert.equal(image.dtype, "int32");
        assert.deepEqual(image.tolist(), [
          [40, 41, 42],
          [43, 44, 45],
        ]);
        assert.equal(label, 6);
        assert.deepEqual(train.targets.tolist(), [0, 3, 6, 9, 2]);
        assert.deepEqual(train.data.shape, [5, 2, 3]);
        assert.throws(() => train.get(5), IndexError);

        const test = new FashionMNIST({
          root: dir,
          train: false,
          transform: transforms.ToTensor(),
          targetTransform: (y) => `class ${y}`,
        });
        assert.equal(test.length, 3);
        const [x, y] = test.get(1);
        assert.deepEqual(x.shape, [1, 2, 3]);
        assert.equal(x.dtype, "float32");
        assert.equal(x.toArray()[5], Math.fround(25 / 255));
        assert.equal(y, "class 3");

        // The image handed out is a copy: editing it leaves the dataset alone.
        train.get(0)[0].fill_(7);
        assert.equal(train.get(0)[0].toArray()[1], 1);

        const loader = new DataLoader(test, {
          batchSize: 2,
          collateFn: (samples) => samples.map(([, lbl]) => lbl),
        });
        assert.deepEqual([...loader], [["class 0", "class 3"], ["class 6"]]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it("batches through the default collate", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchlet-mnist-"));
    try {
      writeTinySet(dir, "train", 5, true);
      const [images, labels] = [...new DataLoader(new MNIST({ root: dir }), { batchSize: 4 })][0]!;
      assert.deepEqual(images.shape, [4, 2, 3]);
      assert.deepEqual(labels.tolist(), [0, 3, 6, 9]);
      assert.equal(labels.dtype, "int32");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("says which files are missing and how to get them", () => {
    const dir = mkdtempSync(join(tmpdir(), "torchlet-mnist-"));
    try {
      writeTinySet(dir, "train", 2, false);
      assert.throws(
        () => new FashionMNIST({ root: dir, train: false }),
        (e: Error) =>
          e instanceof DatasetNotFoundError &&
          e.message.includes(dir) &&
          e.message.includes("t10k-images-idx3-ubyte(.gz)") &&
          e.message.includes("t10k-labels-idx1-ubyte(.gz)") &&
          e.message.includes("apt-get install dataset-fashion-mnist"),
      );
      assert.throws(
        () => new MNIST({ root: join(dir, "nowhere") }),
        (e: Error) =>
          e instanceof DatasetNotFoundError && e.message.includes("train-images-idx3-ubyte(.gz)"),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

interface FashionFacts {
  length: number;
  rows: number;
  cols: number;
  firstLabels: number[];
  labelCounts: number[];
  firstImageSum: number;
  firstImageRow14: number[];
}

const realRoot = FashionMNIST.defaultRoot;
const skipReal = existsSync(realRoot)
  ? false
  : `${realRoot} does not exist (apt-get install dataset-fashion-mnist)`;

describe("FashionMNIST on the real files", { skip: skipReal }, () => {
  const facts = existsSync(join("fixtures", "data", "fashion_mnist.json"))
    ? loadFixture<{ train: FashionFacts; test: FashionFacts }>("data", "fashion_mnist")
    : null;

  for (const split of ["train", "test"] as const) {
    it(
      `${split}: length, labels and first image as Python's gzip reads them`,
      { skip: facts ? false : "no fixture" },
      () => {
        const f = facts![split];
        const ds = new FashionMNIST({ train: split === "train" });
        assert.equal(ds.root, realRoot);
        assert.equal(ds.length, split === "train" ? 60000 : 10000);
        assert.equal(ds.length, f.length);
        assert.deepEqual(
          Array.from({ length: 10 }, (_, i) => ds.get(i)[1]),
          f.firstLabels,
        );
        const labels = ds.targets.toArray();
        const counts = new Array<number>(10).fill(0);
        for (const y of labels) {
          assert.ok(y >= 0 && y <= 9, `label ${y} out of 0..9`);
          counts[y]!++;
        }
        assert.deepEqual(counts, f.labelCounts);
        const [image] = ds.get(0);
        assert.deepEqual(image.shape, [f.rows, f.cols]);
        assert.equal(image.sum().item(), f.firstImageSum);
        assert.deepEqual(image.select(0, 14).tolist(), f.firstImageRow14);
      },
    );
  }
});

describe("default root", () => {
  it(
    "without a root and without the default folder, explains how to get the files",
    { skip: existsSync(MNIST.defaultRoot) ? `${MNIST.defaultRoot} exists here` : false },
    () => {
      assert.throws(
        () => new MNIST(),
        (e: Error) =>
          e instanceof DatasetNotFoundError &&
          e.message.includes(MNIST.defaultRoot) &&
          e.message.includes("pass { root }"),
      );
    },
  );
});
