import { TorchletError } from "../../errors.js";

/**
 * A file that is not a valid PyTorch archive (a corrupt zip, a missing record, a tensor that
 * does not fit its storage), or a value that cannot be saved in one (PyTorch raises
 * RuntimeError).
 *
 * @example
 * try {
 *   torch.deserialize(bytes);
 * } catch (e) {
 *   if (e instanceof torch.SerializationError) console.log(e.message);
 * }
 */
export class SerializationError extends TorchletError {}

/**
 * A pickle torchlet refuses to read: malformed, or using a global outside the allow-list of
 * PyTorch's `weights_only=True` unpickler (Python raises pickle.UnpicklingError).
 *
 * @example
 * try {
 *   torch.load("untrusted.pt");
 * } catch (e) {
 *   if (e instanceof torch.UnpicklingError) console.log(e.message);
 * }
 */
export class UnpicklingError extends TorchletError {}
