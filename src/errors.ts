/**
 * Typed errors. Each names the op, the shapes or dtypes involved and what was expected, in
 * PyTorch's wording where PyTorch has one, so a message can be searched for.
 */

/**
 * Base class of every error torchlet throws on purpose.
 *
 * @example
 * try {
 *   model(x);
 * } catch (e) {
 *   if (e instanceof torch.TorchletError) console.log(e.name, e.message);
 * }
 */
export class TorchletError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * Shapes that do not fit the op (PyTorch raises RuntimeError).
 *
 * @example
 * try {
 *   torch.zeros([2]).add(torch.zeros([3]));
 * } catch (e) {
 *   if (e instanceof torch.ShapeError) console.log(e.message);
 * }
 */
export class ShapeError extends TorchletError {}

/**
 * A dtype the op does not accept, or two dtypes it cannot combine.
 *
 * @example
 * try {
 *   torch.tensor([1, 2]).logSoftmax(0);
 * } catch (e) {
 *   if (e instanceof torch.DTypeError) console.log(e.message);
 * }
 */
export class DTypeError extends TorchletError {}

/**
 * An argument of the wrong kind: a string or an object where a number goes, a float where an
 * integer goes, an option the function does not have (PyTorch raises TypeError).
 *
 * @example
 * try {
 *   torch.zeros([2]).sum("1" as never);
 * } catch (e) {
 *   if (e instanceof torch.ArgumentTypeError) console.log(e.message);
 * }
 */
export class ArgumentTypeError extends TorchletError {}

/**
 * A dimension or index out of range (PyTorch raises IndexError).
 *
 * @example
 * try {
 *   torch.zeros([2]).select(0, 5);
 * } catch (e) {
 *   if (e instanceof torch.IndexError) console.log(e.message);
 * }
 */
export class IndexError extends TorchletError {}

/**
 * An argument with a bad value: a negative size, a probability outside [0, 1], ...
 *
 * @example
 * try {
 *   torch.nn.init.calculateGain("nope" as never);
 * } catch (e) {
 *   if (e instanceof torch.ValueError) console.log(e.message);
 * }
 */
export class ValueError extends TorchletError {}

/**
 * Misuse of autograd: backward twice, in-place on a leaf, a tensor modified after it was saved.
 *
 * @example
 * try {
 *   torch.zeros([2]).backward();
 * } catch (e) {
 *   if (e instanceof torch.AutogradError) console.log(e.message);
 * }
 */
export class AutogradError extends TorchletError {}

/**
 * Memory for a tensor could not be had: the message says how many bytes were asked for.
 *
 * @example
 * try {
 *   torch.empty([1e6, 1e6]);
 * } catch (e) {
 *   if (e instanceof torch.OutOfMemoryError) console.log(e.message);
 * }
 */
export class OutOfMemoryError extends TorchletError {}
/**
 * A device that does not exist here ("cuda" without a CUDA backend) or a malformed device string.
 *
 * @example
 * try {
 *   torch.zeros([2], { device: "cuda" });
 * } catch (e) {
 *   if (e instanceof torch.DeviceError) console.log(e.message);
 * }
 */
export class DeviceError extends TorchletError {}

/**
 * A file to load does not exist (Python's FileNotFoundError).
 *
 * @example
 * try {
 *   torch.load("missing.pt");
 * } catch (e) {
 *   if (e instanceof torch.FileNotFoundError) console.log(e.message);
 * }
 */
export class FileNotFoundError extends TorchletError {}

/**
 * A file could not be read: a directory, no permission, an I/O error (Python's OSError).
 *
 * @example
 * try {
 *   torch.load("a-directory");
 * } catch (e) {
 *   if (e instanceof torch.FileReadError) console.log(e.message);
 * }
 */
export class FileReadError extends TorchletError {}

/**
 * A feature PyTorch has and torchlet does not yet.
 *
 * @example
 * if (e instanceof torch.NotImplementedError) console.log("not in torchlet yet:", e.message);
 */
export class NotImplementedError extends TorchletError {}

/**
 * A factorization that cannot complete: a singular or non positive-definite input
 * (torch.linalg.LinAlgError).
 *
 * @example
 * try { torch.linalg.inv(torch.zeros(2, 2)); } catch (e) { if (e instanceof torch.LinAlgError) ... }
 */
export class LinAlgError extends TorchletError {}
