import { TorchletError } from "../../errors.js";

/**
 * A file that is not a valid PyTorch archive (a corrupt zip, a missing record, a tensor that
 * does not fit its storage), or a value that cannot be saved in one (PyTorch raises
 * RuntimeError).
 */
export class SerializationError extends TorchletError {}

/**
 * A pickle torchlet refuses to read: malformed, or using a global outside the allow-list of
 * PyTorch's `weights_only=True` unpickler (Python raises pickle.UnpicklingError).
 */
export class UnpicklingError extends TorchletError {}
