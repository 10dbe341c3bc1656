import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  DTypeError,
  Generator,
  manualSeed,
  rand,
  ShapeError,
  tensor,
  ValueError,
  zeros,
  type Tensor,
} from "../../src/index.js";
import { transforms } from "../../src/data/index.js";
import { assertClose } from "../helpers/assert.js";
import { decode, loadFixture, type EncodedTensor } from "../helpers/fixtures.js";

const { Compose, Lambda, Normalize, RandomCrop, RandomHorizontalFlip, ToTensor } = transforms;

interface ToTensorFixture {
  cases: { input: EncodedTensor; out: EncodedTensor }[];
}
interface NormalizeFixture {
  cases: { input: EncodedTensor; mean: number[]; std: number[]; out: EncodedTensor }[];
  errors: { zeroStd: string; ndim: string; dtype: string };
}
interface FlipFixture {
  input: EncodedTensor;
  forced: EncodedTensor;
  seed: number;
  flipped: boolean[];
  seedP03: number;
  flippedP03: boolean[];
}
interface CropFixture {
  cases: {
    input: EncodedTensor;
    size: number | number[];
    padding: number | number[] | null;
    seed: number;
    outs: EncodedTensor[];
    after: number[];
  }[];
  padIfNeeded: {
    input: EncodedTensor;
    size: number[];
    fill: number;
    seed: number;
    outs: EncodedTensor[];
  };
  errors: { tooLarge: string };
}

const exact = { rtol: 0, atol: 0 };

describe("ToTensor vs torchvision", () => {
  const fx = loadFixture<ToTensorFixture>("transforms", "to_tensor");
  fx.cases.forEach((c, k) => {
    it(`case ${k}: [${c.input.shape.join(", ")}] ${c.input.dtype} -> exactly torchvision's output`, () => {
      assertClose(ToTensor()(decode(c.input)), c.out, exact);
    });
  });

  it("takes an ImageLike (ImageData's layout: RGBA bytes)", () => {
    const c = fx.cases[0]!; // [4, 5, 3] bytes
    const bytes = Uint8Array.from(decode(c.input).toArray());
    const image = { data: bytes, width: 5, height: 4 };
    assertClose(ToTensor()(image), c.out, exact);
    assert.throws(() => ToTensor()({ data: bytes, width: 7, height: 4 }), ShapeError);
  });

  it("refuses integer values outside 0..255", () => {
    assert.throws(() => ToTensor()(tensor([[0, 256]])), ValueError);
  });
});

describe("Normalize vs torchvision", () => {
  const fx = loadFixture<NormalizeFixture>("transforms", "normalize");
  fx.cases.forEach((c, k) => {
    it(`case ${k}: [${c.input.shape.join(", ")}] ${c.input.dtype} -> exactly torchvision's output`, () => {
      const x = decode(c.input);
      assertClose(Normalize(c.mean, c.std)(x), c.out, exact);
      assertClose(x, c.input, exact);
      // inplace writes into the input.
      const y = decode(c.input);
      Normalize(c.mean, c.std, { inplace: true })(y);
      assertClose(y, c.out, exact);
    });
  });

  it("refuses what torchvision refuses, with its messages", () => {
    assert.throws(
      () => Normalize([0.5], [0])(zeros([1, 2, 2])),
      (e: Error) => e instanceof ValueError && e.message === fx.errors.zeroStd,
    );
    assert.throws(
      () => Normalize([0.5], [0.5])(zeros([2, 2])),
      (e: Error) =>
        e instanceof ShapeError &&
        e.message === fx.errors.ndim.replace("torch.Size([2, 2])", "[2, 2]"),
    );
    // torchlet's int32 is PyTorch's int64.
    assert.throws(
      () => Normalize([0.5], [0.5])(zeros([1, 2, 2], { dtype: "int32" })),
      (e: Error) =>
        e instanceof DTypeError && e.message === fx.errors.dtype.replace("int64", "int32"),
    );
  });
});

describe("RandomHorizontalFlip vs torchvision", () => {
  const fx = loadFixture<FlipFixture>("transforms", "flip");
  const x = decode(fx.input);
  const isFlipped = (t: Tensor): boolean => {
    const same = t.tolist();
    const flipped = x.flip(-1).tolist();
    return JSON.stringify(same) === JSON.stringify(flipped);
  };

  it("p=1 flips the last dim", () => {
    assertClose(RandomHorizontalFlip(1)(x), fx.forced, exact);
    assertClose(RandomHorizontalFlip(0)(x), fx.input, exact);
  });

  it("with the same seed, flips the same calls as torchvision (p=0.5 and p=0.3)", () => {
    manualSeed(fx.seed);
    const flip = RandomHorizontalFlip();
    assert.deepEqual(
      fx.flipped.map(() => isFlipped(flip(x))),
      fx.flipped,
    );
    manualSeed(fx.seedP03);
    const flip3 = RandomHorizontalFlip(0.3);
    assert.deepEqual(
      fx.flippedP03.map(() => isFlipped(flip3(x))),
      fx.flippedP03,
    );
  });

  it("draws from a given generator, reproducibly", () => {
    const run = () => {
      const flip = RandomHorizontalFlip(0.5, { generator: new Generator().manualSeed(4) });
      return Array.from({ length: 12 }, () => isFlipped(flip(x)));
    };
    const a = run();
    assert.deepEqual(run(), a);
    assert.ok(a.includes(true) && a.includes(false));
  });
});

describe("RandomCrop vs torchvision", () => {
  const fx = loadFixture<CropFixture>("transforms", "crop");
  fx.cases.forEach((c) => {
    it(`size ${JSON.stringify(c.size)} padding ${JSON.stringify(c.padding)} on [${c.input.shape.join(", ")}], seed ${c.seed}: torchvision's crops`, () => {
      const x = decode(c.input);
      manualSeed(c.seed);
      const crop = RandomCrop(c.size, c.padding === null ? {} : { padding: c.padding });
      c.outs.forEach((out, k) => assertClose(crop(x), out, { ...exact, message: `call ${k}` }));
      assert.deepEqual(rand([1]).tolist(), c.after);
    });
  });

  it("refuses a crop larger than the image, with torchvision's message", () => {
    assert.throws(
      () => RandomCrop(8)(zeros([1, 5, 5])),
      (e: Error) => e instanceof ValueError && e.message === fx.errors.tooLarge,
    );
  });

  it("padIfNeeded pads a small image (on both sides, as torchvision) before cropping", () => {
    const c = fx.padIfNeeded;
    manualSeed(c.seed);
    const crop = RandomCrop(c.size, { padIfNeeded: true, fill: c.fill });
    c.outs.forEach((out, k) =>
      assertClose(crop(decode(c.input)), out, { ...exact, message: `call ${k}` }),
    );
  });
});

describe("Compose and Lambda", () => {
  it("chain transforms in order", () => {
    const t = Compose([ToTensor(), Normalize([0.5], [0.5]), Lambda((y: Tensor) => y.mul(2))]);
    const out = t(tensor([[0, 255]]));
    assert.deepEqual(out.shape, [1, 1, 2]);
    assert.deepEqual(out.tolist(), [[[-2, 2]]]);
  });
});
