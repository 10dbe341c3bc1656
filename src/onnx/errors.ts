import { TorchletError } from "../errors.js";

/** A model or an argument that torch.onnx.export cannot export. */
export class OnnxExportError extends TorchletError {}

/**
 * An op of the traced forward pass with no ONNX mapping (PyTorch's
 * torch.onnx.errors.UnsupportedOperatorError); `op` names it.
 */
export class UnsupportedOperatorError extends OnnxExportError {
  constructor(
    readonly op: string,
    readonly opset: number,
    detail = "",
  ) {
    super(
      `Exporting the operator '${op}' to ONNX opset version ${opset} is not supported${detail ? `: ${detail}` : ""}.`,
    );
  }
}
