/**
 * torch.onnx: export a model to ONNX (bytes here; the Node entry also writes files).
 *
 * @example
 * const bytes = torch.onnx.export(model, torch.randn([1, 4]));
 */
export {
  exportToBytes as export,
  DEFAULT_OPSET,
  type ExportableModule,
  type DynamicAxes,
  type OnnxExportOptions,
} from "./export.js";
export { OnnxExportError, UnsupportedOperatorError } from "./errors.js";
