/**
 * torch.onnx for Node: as the browser core's, plus writing the model to a file.
 *
 * @example
 * torch.onnx.export(model, [torch.randn([1, 4])], "model.onnx");
 */
import { exportToBytes, type ExportableModule, type OnnxExportOptions } from "../onnx/export.js";
import type { Tensor } from "../tensor/tensor.js";
import { atomicWriteFile } from "./atomic-write.js";

export {
  DEFAULT_OPSET,
  type ExportableModule,
  type DynamicAxes,
  type OnnxExportOptions,
} from "../onnx/export.js";
export { OnnxExportError, UnsupportedOperatorError } from "../onnx/errors.js";

/**
 * Traces `model` on `inputs` into an ONNX model (torch.onnx.export); writes it to `path` when one
 * is given (atomically) and returns its bytes either way.
 *
 * @example
 * torch.onnx.export(model, torch.randn([1, 784]), "model.onnx", {
 *   inputNames: ["x"], dynamicAxes: { x: { 0: "batch" } },
 * });
 */
export function exportOnnx(
  model: ExportableModule,
  inputs: Tensor | readonly Tensor[],
  path?: string | OnnxExportOptions,
  options: OnnxExportOptions = {},
): Uint8Array {
  if (typeof path !== "string") return exportToBytes(model, inputs, path ?? options);
  const bytes = exportToBytes(model, inputs, options);
  atomicWriteFile(path, bytes);
  return bytes;
}

export { exportOnnx as export };
