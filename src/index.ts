/**
 * torchlet: deep learning for TypeScript with PyTorch's model of work.
 *
 * @example
 * import * as torch from "torchlet";
 * const x = torch.randn([4, 2]);
 * const model = new torch.nn.Linear(2, 1);
 */
export { version } from "./version.js";
export { Tensor, type NestedArray, type BackwardOptions } from "./tensor/tensor.js";
export {
  zeros,
  ones,
  empty,
  full,
  zerosLike,
  onesLike,
  fullLike,
  emptyLike,
  tensor,
  arange,
  linspace,
  eye,
  type FactoryOptions,
  type SizeArgs,
  type ArangeOptions,
} from "./tensor/create.js";
export { type DType, type DTypeLike, type TypedArray, promoteTypes } from "./tensor/dtype.js";
export * from "./tensor/dtype-names.js";
export { Device, device, type DeviceLike, type DeviceType } from "./tensor/device.js";
export * as cuda from "./tensor/cuda.js";
export {
  setPrintoptions,
  withPrintoptions,
  type PrintOptions,
  type PrintOptionsInput,
} from "./tensor/format.js";
export { type Shape, broadcastShapes } from "./tensor/shape.js";
export * from "./ops/index.js";
export * from "./errors.js";
export {
  noGrad,
  enableGrad,
  isGradEnabled,
  setGradEnabled,
  inferenceMode,
  isInferenceModeEnabled,
} from "./autograd/grad-mode.js";
export * as autograd from "./autograd/index.js";
export {
  setBackend,
  getBackend,
  listBackends,
  registerBackend,
  withBackend,
} from "./backend/registry.js";
export type { Backend, StridedView, UnaryOp, BinaryOp, ReduceOp } from "./backend/backend.js";
export * as optim from "./optim/index.js";
export * as nn from "./nn/index.js";
export * as linalg from "./linalg/index.js";
export * as distributions from "./distributions/index.js";
export * from "./random/index.js";
export {
  WasmBackend,
  initWasmBackend,
  setNumThreads,
  getNumThreads,
  type WasmBackendOptions,
} from "./backend/wasm/index.js";
export * as data from "./data/index.js";
export * as onnx from "./onnx/index.js";
export {
  CheckpointError,
  captureCheckpoint,
  restoreCheckpoint,
  validateCheckpoint,
  serializeCheckpoint,
  deserializeCheckpoint,
  type Checkpoint,
  type CheckpointExtra,
  type TrainingObjects,
  type JsonValue,
} from "./io/checkpoint.js";
export {
  serialize,
  deserialize,
  detectFormat,
  SerializationError,
  UnpicklingError,
  type SaveFormat,
  type SaveOptions,
} from "./io/serialization.js";
