/**
 * torch.linalg on the CPU: factorizations computed on host arrays in double precision
 * (LU with partial pivoting, Cholesky–Banachiewicz, Householder QR, Jacobi for eigh and
 * svd), batched over leading dims, with PyTorch's gradients and errors.
 *
 * @example
 * import { linalg, tensor } from "torchlet";
 * const a = tensor([[4, 1], [1, 3]], { dtype: "float64" });
 * const [values, vectors] = linalg.eigh(a);
 */
export { inv, det, slogdet, solve } from "./inverse.js";
export { cholesky } from "./cholesky.js";
export { qr, type QRMode } from "./qr.js";
export { eigh, eigvalsh, svd, svdvals } from "./decompositions.js";
export {
  norm,
  vectorNorm,
  matrixNorm,
  type VectorNormOptions,
  type MatrixNormOptions,
  type MatrixNormOrder,
} from "./norms.js";
export { LinAlgError } from "../errors.js";
