// Memory stays flat while users never dispose anything: trains the XOR program and the W3 MLP for
// many steps, forcing garbage collection at checkpoints, and checks that heap + external memory
// after warm-up stays within a bound. Full size (the issue's):
//   node --expose-gc --import tsx bench/memtest.ts
// test/perf/memory.test.ts runs it at a reduced size: --xor-epochs N --mlp-steps M.
// Prints one JSON line per program; exits 1 if a bound is exceeded.
import * as torch from "../src/index.js";
import { mlpStep, xorStep } from "./workloads.js";

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const xorEpochs = arg("xor-epochs", 200_000);
const mlpSteps = arg("mlp-steps", 3_000);
const backend = process.argv.includes("--reference") ? "reference" : "wasm";
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with node --expose-gc");
torch.setBackend(backend);

/** heapUsed + external (external includes the ArrayBuffers behind typed arrays and WASM memory). */
function used(): number {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/**
 * Runs `step` `total` times; after a warm-up of a tenth of the steps, samples memory (after GC) at
 * ten checkpoints and reports the growth from the first checkpoint to the largest later one.
 */
function measure(name: string, total: number, bound: number, step: () => void): boolean {
  const warmup = Math.max(1, Math.floor(total / 10));
  for (let i = 0; i < warmup; i++) step();
  const base = used();
  let peak = base;
  const every = Math.max(1, Math.floor((total - warmup) / 10));
  for (let i = warmup; i < total; i++) {
    step();
    if ((i - warmup + 1) % every === 0) peak = Math.max(peak, used());
  }
  const growth = peak - base;
  const ok = growth <= bound;
  console.log(
    JSON.stringify({ program: name, backend, steps: total, base, peak, growth, bound, ok }),
  );
  return ok;
}

// XOR: 2-2-1 sigmoid MLP, MSE, SGD (examples/seed.ts).
const xor = xorStep();
const okXor = measure("xor", xorEpochs, 1 << 20, () => xor().item());

// W3: 784-256-128-10 ReLU MLP, cross-entropy, SGD, batch 128, the loss read every step.
const mlp = mlpStep();
// One step allocates ~2 MB of activations and gradients; the bound allows a few steps' worth of
// not-yet-collected garbage but not growth with the step count.
const okMlp = measure("mlp", mlpSteps, 8 << 20, () => mlp().item());
process.exit(okXor && okMlp ? 0 : 1);
