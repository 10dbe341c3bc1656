/**
 * torchlet's version, as in package.json (PyTorch's `torch.__version__`); test/package/version
 * checks that the two agree.
 *
 * @example
 * import * as torch from "torchlet";
 * console.log(torch.version); // "0.1.0"
 */
export const version = "0.1.0";
