/**
 * MNIST and Fashion-MNIST from IDX files on disk (torchvision.datasets.MNIST / FashionMNIST).
 * Nothing is downloaded: the files come from Debian's `dataset-fashion-mnist` package or are put
 * in `root` by hand.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Dataset } from "../data/dataset.js";
import { IdxFormatError } from "../data/idx.js";
import { TorchletError } from "../errors.js";
import { formatShape } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import "../ops/index.js";
import { readIdxFile } from "./idx-files.js";

/**
 * The dataset's files are not where they were looked for (torchvision: "Dataset not found").
 *
 * @example
 * try {
 *   new torch.MNIST({ root: "data" });
 * } catch (e) {
 *   if (e instanceof torch.DatasetNotFoundError) console.log(e.message);
 * }
 */
export class DatasetNotFoundError extends TorchletError {}

/** Options of MNIST and FashionMNIST. */
export interface MNISTOptions<I, L> {
  /** The folder holding the four IDX files (gzipped or raw); see each class for the default. */
  root?: string;
  /** The 60000-image training set (default) or the 10000-image test set. */
  train?: boolean;
  /** Applied to each image (a [28, 28] int32 tensor of bytes), e.g. transforms.ToTensor(). */
  transform?: (image: Tensor) => I;
  /** Applied to each label (a number 0..9). */
  targetTransform?: (label: number) => L;
}

const FILES = {
  train: ["train-images-idx3-ubyte", "train-labels-idx1-ubyte"],
  test: ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"],
} as const;

/** The path of `name` in root, gzipped or not; null if neither is there. */
function findFile(root: string, name: string): string | null {
  for (const candidate of [`${name}.gz`, name]) {
    if (existsSync(join(root, candidate))) return join(root, candidate);
  }
  return null;
}

/** What a missing-files error says: where it looked and how to get the files. */
function notFound(what: string, root: string, missing: string[], howTo: string): string {
  return (
    `${what}: dataset not found in ${root} (missing ${missing.join(", ")}). ${howTo} ` +
    `Otherwise put the four files train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, ` +
    `t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (gzipped or not) in one folder and ` +
    `pass it as { root }. Nothing is downloaded.`
  );
}

/**
 * The MNIST-style dataset shared by MNIST and FashionMNIST: sample i is `[image, label]`, the
 * image a [28, 28] int32 tensor of bytes 0..255 (torchlet's stand-in for torchvision's PIL image;
 * transforms.ToTensor() turns it into [1, 28, 28] float32 in [0, 1]) and the label a number.
 * The files are read once, on first use.
 *
 * @example
 * const [image, label] = new torch.MNIST({ root: "data", train: true }).get(0);
 */
export class MNISTLike<I = Tensor, L = number> extends Dataset<[I, L]> {
  readonly root: string;
  readonly train: boolean;
  readonly transform: ((image: Tensor) => I) | undefined;
  readonly targetTransform: ((label: number) => L) | undefined;
  private readonly paths: readonly [string, string];
  private loaded: { data: Tensor; targets: Tensor; labels: ArrayLike<number> } | null = null;

  protected constructor(
    what: string,
    options: MNISTOptions<I, L>,
    defaultRoot: string,
    howTo: string,
  ) {
    super();
    this.train = options.train ?? true;
    this.transform = options.transform;
    this.targetTransform = options.targetTransform;
    if (options.root === undefined && !existsSync(defaultRoot)) {
      throw new DatasetNotFoundError(
        `${what}: no root given and the default folder ${defaultRoot} does not exist. ${howTo} ` +
          `Otherwise pass { root } naming a folder that holds train-images-idx3-ubyte.gz, ` +
          `train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz ` +
          `(gzipped or not). Nothing is downloaded.`,
      );
    }
    this.root = options.root ?? defaultRoot;
    const names = this.train ? FILES.train : FILES.test;
    const found = names.map((n) => findFile(this.root, n));
    const missing = names.filter((_, k) => found[k] === null).map((n) => `${n}(.gz)`);
    if (missing.length > 0)
      throw new DatasetNotFoundError(notFound(what, this.root, missing, howTo));
    this.paths = [found[0]!, found[1]!];
  }

  private load(): { data: Tensor; targets: Tensor; labels: ArrayLike<number> } {
    if (this.loaded) return this.loaded;
    const [imagePath, labelPath] = this.paths;
    const data = readIdxFile(imagePath);
    const targets = readIdxFile(labelPath);
    if (data.ndim !== 3 || targets.ndim !== 1 || data.shape[0] !== targets.shape[0]) {
      throw new IdxFormatError(
        `${imagePath} and ${labelPath}: expected images [N, H, W] and labels [N], got ${formatShape(data.shape)} and ${formatShape(targets.shape)}`,
      );
    }
    this.loaded = { data, targets, labels: targets.toArray() };
    return this.loaded;
  }

  /** All images, [N, 28, 28] int32 bytes (torchvision's `.data`). */
  get data(): Tensor {
    return this.load().data;
  }

  /** All labels, [N] int32 (torchvision's `.targets`). */
  get targets(): Tensor {
    return this.load().targets;
  }

  get length(): number {
    return this.load().targets.shape[0]!;
  }

  /** `[image, label]`, each through its transform when one was given. */
  get(index: number): [I, L] {
    const { data, labels } = this.load();
    // select checks the range (IndexError); the clone keeps the dataset safe from in-place edits.
    const image = data.select(0, index).clone();
    const label = labels[index < 0 ? index + labels.length : index]!;
    return [
      this.transform ? this.transform(image) : (image as I),
      this.targetTransform ? this.targetTransform(label) : (label as L),
    ];
  }
}

/**
 * Handwritten digits (torchvision.datasets.MNIST). `root` defaults to /usr/share/datasets/mnist.
 *
 * @example
 * const train = new MNIST({ root: "data/mnist", transform: transforms.ToTensor() });
 */
export class MNIST<I = Tensor, L = number> extends MNISTLike<I, L> {
  static readonly defaultRoot = "/usr/share/datasets/mnist";
  readonly classes = [
    "0 - zero",
    "1 - one",
    "2 - two",
    "3 - three",
    "4 - four",
    "5 - five",
    "6 - six",
    "7 - seven",
    "8 - eight",
    "9 - nine",
  ] as const;

  constructor(options: MNISTOptions<I, L> = {}) {
    super(
      "MNIST",
      options,
      MNIST.defaultRoot,
      "Debian has no MNIST package: get the four IDX files yourself.",
    );
  }
}

/**
 * Zalando's Fashion-MNIST (torchvision.datasets.FashionMNIST). `root` defaults to
 * /usr/share/datasets/fashion-mnist, where `apt-get install dataset-fashion-mnist` puts the files.
 *
 * @example
 * const train = new FashionMNIST({ transform: transforms.ToTensor() });
 * const [image, label] = train.get(0); // [1, 28, 28] float32, 9 ("Ankle boot")
 */
export class FashionMNIST<I = Tensor, L = number> extends MNISTLike<I, L> {
  static readonly defaultRoot = "/usr/share/datasets/fashion-mnist";
  readonly classes = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
  ] as const;

  constructor(options: MNISTOptions<I, L> = {}) {
    super(
      "FashionMNIST",
      options,
      FashionMNIST.defaultRoot,
      "Install them with `apt-get install dataset-fashion-mnist` (Debian/Ubuntu).",
    );
  }
}
