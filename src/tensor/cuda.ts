/**
 * torch.cuda's queries, for the `torch.cuda.isAvailable() ? "cuda" : "cpu"` line of PyTorch
 * scripts: torchlet has no CUDA backend, so CUDA is never available.
 *
 * @example
 * const device = torch.device(torch.cuda.isAvailable() ? "cuda" : "cpu"); // cpu
 */

/**
 * Whether a CUDA device can be used: always false in torchlet (torch.cuda.is_available).
 *
 * @example
 * torch.cuda.isAvailable(); // false: torchlet runs on the CPU
 */
export function isAvailable(): boolean {
  return false;
}

/**
 * The number of CUDA devices: 0 (torch.cuda.device_count).
 *
 * @example
 * torch.cuda.deviceCount(); // 0
 */
export function deviceCount(): number {
  return 0;
}
