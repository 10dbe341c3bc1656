/**
 * torchvision-style transforms. Each is called without `new` and returns a plain function, so
 * any `(x) => y` function is a transform too.
 *
 * @example
 * const t = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.5], [0.5])]);
 */
export * from "./compose.js";
export * from "./image.js";
export * from "./to-tensor.js";
export * from "./normalize.js";
export * from "./random.js";
