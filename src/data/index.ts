/**
 * The data pipeline, as torch.utils.data: datasets, samplers, DataLoader, default collate,
 * random_split, and torchvision-style image transforms. File access lives in the Node adapter
 * (torchlet/node: MNIST, FashionMNIST, readIdxFile) so that this part also runs in browsers.
 *
 * @example
 * const loader = new torch.data.DataLoader(new torch.data.TensorDataset(x, y), { batchSize: 16 });
 */
export * from "./dataset.js";
export * from "./sampler.js";
export * from "./collate.js";
export * from "./dataloader.js";
export * from "./split.js";
export { parseIdx, IdxFormatError } from "./idx.js";
export * as transforms from "./transforms/index.js";
