/**
 * Typed errors. Each names the op, the shapes or dtypes involved and what was expected, in
 * PyTorch's wording where PyTorch has one, so a message can be searched for.
 */

/** Base class of every error torchlet throws on purpose. */
export class TorchletError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Shapes that do not fit the op (PyTorch raises RuntimeError). */
export class ShapeError extends TorchletError {}

/** A dtype the op does not accept, or two dtypes it cannot combine. */
export class DTypeError extends TorchletError {}

/**
 * An argument of the wrong kind: a string or an object where a number goes, a float where an
 * integer goes, an option the function does not have (PyTorch raises TypeError).
 */
export class ArgumentTypeError extends TorchletError {}

/** A dimension or index out of range (PyTorch raises IndexError). */
export class IndexError extends TorchletError {}

/** An argument with a bad value: a negative size, a probability outside [0, 1], ... */
export class ValueError extends TorchletError {}

/** Misuse of autograd: backward twice, in-place on a leaf, a tensor modified after it was saved. */
export class AutogradError extends TorchletError {}

/** Memory for a tensor could not be had: the message says how many bytes were asked for. */
export class OutOfMemoryError extends TorchletError {}
/** A device that does not exist here ("cuda" without a CUDA backend) or a malformed device string. */
export class DeviceError extends TorchletError {}

/** A file to load does not exist (Python's FileNotFoundError). */
export class FileNotFoundError extends TorchletError {}

/** A file could not be read: a directory, no permission, an I/O error (Python's OSError). */
export class FileReadError extends TorchletError {}

/** A feature PyTorch has and torchlet does not yet. */
export class NotImplementedError extends TorchletError {}

/** A factorization that cannot complete: a singular or non positive-definite input (torch.linalg.LinAlgError). */
export class LinAlgError extends TorchletError {}
