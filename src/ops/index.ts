// Importing this module attaches every op's Tensor methods; the free functions are re-exported.
export * from "./cast.js";
export * from "./binary.js";
export * from "./compare.js";
export * from "./unary.js";
export * from "./clamp.js";
export * from "./view.js";
export * from "./reduce.js";
export * from "./linalg.js";
export * from "./inplace.js";
export type { TensorLike } from "./support.js";
export * from "./pad.js";
export * from "./conv.js";
export * from "./pool.js";
export * from "./join.js";
export * from "./indexing.js";
export * from "./rearrange.js";
export * from "./slicing.js";
export * from "./activation.js";
