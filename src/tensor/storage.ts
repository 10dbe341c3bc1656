import { isInferenceModeEnabled } from "../autograd/grad-mode.js";
import { CPU, type Device } from "./device.js";
import { dtypeOfArray, type DType, type TypedArray } from "./dtype.js";

/**
 * The memory behind one or more tensors. The JavaScript garbage collector owns it: nothing is
 * freed by hand. `version` counts in-place writes, shared by every view of the storage, so that
 * autograd can tell when a tensor it saved was modified afterwards (PyTorch's version counter).
 */
export class Storage<A extends TypedArray = TypedArray> {
  version = 0;
  /** The element type, worked out once here rather than on every `tensor.dtype` read. */
  readonly dtype: DType;
  /** Made inside torch.inferenceMode: every tensor over it is an inference tensor. */
  readonly inference: boolean;
  constructor(readonly data: A) {
    this.dtype = dtypeOfArray(data);
    this.inference = isInferenceModeEnabled();
  }

  /**
   * Where the memory lives. A getter rather than a field, so CPU storage pays nothing for it; a
   * storage class of another device (WebGPU) overrides it.
   */
  get device(): Device {
    return CPU;
  }
}
