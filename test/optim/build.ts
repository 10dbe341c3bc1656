// Test helper: builds torchlet optimizers from a fixture's name and camelCase options.
import { optim, type Tensor } from "../../src/index.js";

export type OptName = "SGD" | "Adam" | "AdamW" | "RMSprop" | "Adagrad";

export function makeOptimizer(
  name: OptName,
  params: Tensor[],
  options: Record<string, unknown>,
): optim.Optimizer {
  switch (name) {
    case "SGD":
      return new optim.SGD(params, options as unknown as optim.SGDOptions);
    case "Adam":
      return new optim.Adam(params, options);
    case "AdamW":
      return new optim.AdamW(params, options);
    case "RMSprop":
      return new optim.RMSprop(params, options);
    case "Adagrad":
      return new optim.Adagrad(params, options);
  }
}
