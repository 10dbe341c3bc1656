// Importing this module attaches the in-place initialisers (uniform_, normal_, ...) to Tensor.
export {
  Generator,
  defaultGenerator,
  manualSeed,
  seed,
  initialSeed,
  getRngState,
  setRngState,
  type Seed,
} from "./generator.js";
export type { GeneratorOptions } from "./inplace.js";
export * from "./factories.js";
export { multinomial, type MultinomialOptions } from "./multinomial.js";
