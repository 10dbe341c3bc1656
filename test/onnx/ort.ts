/**
 * Test helpers for ONNX export: run an exported model in ONNX Runtime (onnxruntime-web's
 * WebAssembly backend, single-threaded) and validate it with onnx.checker (Debian's python3-onnx).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as torch from "../../src/node.js";
import type { Tensor } from "../../src/node.js";
import type { ExportableModule, OnnxExportOptions } from "../../src/onnx/index.js";
import { assertClose } from "../helpers/assert.js";
import { PYTHON } from "../helpers/python.js";

/** The part of onnxruntime-web's API the tests use (typed here, so tsc does not need it). */
interface OrtTensor {
  readonly dims: readonly number[];
  readonly data: unknown;
}
interface OrtModule {
  env: { wasm: { numThreads: number } };
  Tensor: new (type: string, data: ArrayLike<number>, dims: number[]) => OrtTensor;
  InferenceSession: {
    create(bytes: Uint8Array): Promise<{
      run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
      release(): Promise<void>;
    }>;
  };
}

/**
 * onnxruntime-web (a devDependency), or the copy at $ONNXRUNTIME_WEB (a path to its
 * dist/ort.node.min.mjs) where node_modules lacks it; null when neither loads.
 */
async function loadOrt(): Promise<OrtModule | null> {
  for (const spec of ["onnxruntime-web", process.env.ONNXRUNTIME_WEB]) {
    if (spec === undefined) continue;
    try {
      return (await import(spec)) as OrtModule;
    } catch {
      // try the next
    }
  }
  return null;
}
const loaded = await loadOrt();

/** Why ONNX Runtime cannot run here, or null. */
export const ortUnavailable: string | null =
  loaded === null ? "needs the onnxruntime-web npm package (npm install)" : null;
const ort = loaded!;
if (loaded !== null) ort.env.wasm.numThreads = 1;

const ORT_TYPES = { float32: "float32", float64: "float64", int32: "int32", bool: "bool" } as const;

/** Runs `bytes` in ONNX Runtime on named inputs; returns the outputs by name. */
export async function runOrt(
  bytes: Uint8Array,
  feeds: Record<string, Tensor>,
): Promise<Record<string, { dims: readonly number[]; data: ArrayLike<number> }>> {
  const session = await ort.InferenceSession.create(bytes);
  const ortFeeds: Record<string, OrtTensor> = {};
  for (const [name, t] of Object.entries(feeds)) {
    const data = t.toArray();
    ortFeeds[name] =
      t.dtype === "bool"
        ? new ort.Tensor("bool", Uint8Array.from(data), [...t.shape])
        : new ort.Tensor(ORT_TYPES[t.dtype], data as Float32Array, [...t.shape]);
  }
  const result = await session.run(ortFeeds);
  await session.release();
  const out: Record<string, { dims: readonly number[]; data: ArrayLike<number> }> = {};
  for (const [name, t] of Object.entries(result)) {
    out[name] = { dims: t.dims, data: t.data as ArrayLike<number> };
  }
  return out;
}

/** Why onnx.checker cannot run here, or null. */
export function onnxUnavailable(): string | null {
  const r = spawnSync(PYTHON, ["-c", "import onnx"], { encoding: "utf8" });
  return r.status === 0 ? null : `needs python3-onnx (${(r.stderr || String(r.error)).trim()})`;
}

export interface Inspected {
  opset: number;
  initializers: string[];
  inputs: [string, (number | string)[]][];
  outputs: [string, (number | string)[]][];
  ops: string[];
}

/** Checks each model with onnx.checker (full check) in one Python run; returns their structure. */
export function checkModels(models: readonly Uint8Array[]): Inspected[] {
  const dir = mkdtempSync(join(tmpdir(), "torchlet-onnx-"));
  try {
    const paths = models.map((bytes, i) => {
      const path = join(dir, `m${i}.onnx`);
      writeFileSync(path, bytes);
      return path;
    });
    const r = spawnSync(PYTHON, ["scripts/onnx/check_models.py", ...paths], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`onnx.checker failed:\n${r.stderr}`);
    return r.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Inspected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Exports `model` on `inputs`, runs the file in ONNX Runtime on `runInputs` (default the same)
 * and asserts every output equals torchlet's forward on them (float32: 1e-5 relative, 1e-6
 * absolute). Returns the bytes.
 */
export async function assertExportMatches(
  model: ExportableModule,
  inputs: readonly Tensor[],
  options: OnnxExportOptions & { runInputs?: readonly Tensor[]; rtol?: number; atol?: number } = {},
): Promise<Uint8Array> {
  const bytes = torch.onnx.export(model, inputs, options);
  const run = options.runInputs ?? inputs;
  const feeds: Record<string, Tensor> = {};
  run.forEach((x, i) => (feeds[options.inputNames?.[i] ?? `input_${i}`] = x));
  const got = await runOrt(bytes, feeds);
  const wasTraining = model.training;
  model.eval();
  const result = torch.noGrad(() => model.forward(...run));
  model.train(wasTraining);
  const expected = result instanceof torch.Tensor ? [result] : [...result];
  expected.forEach((want, i) => {
    const name = options.outputNames?.[i] ?? `output_${i}`;
    const g = got[name];
    if (g === undefined) throw new Error(`ONNX Runtime gave no output ${name}`);
    const actual = torch.Tensor.fromData(
      want.dtype === "bool" ? Uint8Array.from(g.data) : (g.data as Float32Array),
      [...g.dims],
    );
    assertClose(
      actual,
      { shape: want.shape, data: want.toArray() },
      {
        rtol: options.rtol,
        atol: options.atol,
        message: name,
      },
    );
  });
  return bytes;
}
