/**
 * Full training checkpoints: model, optimizer, lr scheduler, epoch, random generators and user
 * metadata in one safetensors file, so a run stopped after epoch k resumes bit for bit.
 *
 * Layout: every tensor is an entry with a prefixed key (`model.fc1.weight`,
 * `optimizer.state.0.momentum_buffer`); everything else (optimizer param groups and scalar state,
 * scheduler fields, epoch, generator states in base64, user metadata) is one JSON document under
 * `__metadata__["torchlet.checkpoint"]`. PyTorch reads the model part with
 * `{k[6:]: v for k, v in load_file(path).items() if k.startswith("model.")}`.
 */
import { TorchletError } from "../errors.js";
import type { Module } from "../nn/module.js";
import type { OptimizerStateDict, ParamState } from "../optim/optimizer.js";
import type { SchedulerStateDict } from "../optim/lr-scheduler/base.js";
import { defaultGenerator, Generator } from "../random/generator.js";
import { shapesEqual } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { deserialize, SafetensorsError, serialize } from "./safetensors.js";

/**
 * A checkpoint that is corrupt, of another format, or does not fit the model/optimizer.
 *
 * @example
 * try {
 *   torch.restoreCheckpoint(ckpt, { model });
 * } catch (e) {
 *   if (e instanceof torch.CheckpointError) console.log(e.message);
 * }
 */
export class CheckpointError extends TorchletError {}

/** JSON-representable user data (numbers may be non-finite: they are encoded losslessly). */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Anything with PyTorch's optimizer state dict protocol (every torchlet optimizer). */
export interface OptimizerLike {
  stateDict(): OptimizerStateDict;
  loadStateDict(sd: OptimizerStateDict): void;
  readonly paramGroups: readonly { params: Tensor[] }[];
}

/** Anything with a scheduler's state dict protocol (every torchlet lr scheduler). */
export interface SchedulerLike {
  stateDict(): SchedulerStateDict;
  loadStateDict(sd: SchedulerStateDict): void;
}

/** What a checkpoint holds, decoded. */
export interface Checkpoint {
  /** The model's state dict (PyTorch keys). */
  model: Record<string, Tensor>;
  optimizer: OptimizerStateDict | null;
  scheduler: SchedulerStateDict | null;
  /** The number of completed epochs (the epoch to resume at, 0-based). */
  epoch: number;
  /** The default generator's state (torch.get_rng_state layout) and each named generator's. */
  rng: { default: Uint8Array; generators: Record<string, Uint8Array> };
  metadata: Record<string, JsonValue>;
}

/** The live objects a checkpoint is taken from and restored into. */
export interface TrainingObjects {
  model: Module;
  optimizer?: OptimizerLike;
  scheduler?: SchedulerLike;
  /** Generators besides the default one, e.g. the DataLoader's `{ loader: g }`. */
  generators?: Record<string, Generator>;
}

const FORMAT = "torchlet.checkpoint";
const VERSION = 1;

/** What a checkpoint records besides the live objects; `epoch` defaults to 0. */
export interface CheckpointExtra {
  epoch?: number;
  metadata?: Record<string, JsonValue>;
}

/**
 * Takes a snapshot of a training run (tensors cloned, generator states copied).
 *
 * @example
 * const ckpt = captureCheckpoint({ model, optimizer }, { epoch: 3, metadata: { loss: 0.31 } });
 * const bytes = serializeCheckpoint(ckpt);
 */
export function captureCheckpoint(
  objects: TrainingObjects,
  extra: CheckpointExtra = {},
): Checkpoint {
  const given = (objects as Partial<TrainingObjects> | null)?.model;
  if (typeof (given as { stateDict?: unknown } | undefined)?.stateDict !== "function") {
    throw new CheckpointError(
      "captureCheckpoint(): expected { model, optimizer?, scheduler?, generators? } with model an nn.Module",
    );
  }
  const epoch = extra.epoch ?? 0;
  if (!Number.isSafeInteger(epoch) || epoch < 0)
    throw new CheckpointError(
      `checkpoint epoch must be a non-negative integer, got ${String(epoch)}`,
    );
  const model: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(objects.model.stateDict())) model[k] = v.detach().clone();
  const generators: Record<string, Uint8Array> = {};
  for (const [name, g] of Object.entries(objects.generators ?? {})) generators[name] = g.getState();
  return {
    model,
    optimizer: objects.optimizer ? objects.optimizer.stateDict() : null,
    scheduler: objects.scheduler ? objects.scheduler.stateDict() : null,
    epoch,
    rng: { default: defaultGenerator.getState(), generators },
    metadata: extra.metadata ?? {},
  };
}

// Non-finite numbers (a scheduler's best = Infinity) have no JSON form: they become {"$num": ".."}.
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) return { $num: String(value) };
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const num = (value as { $num?: unknown }).$num;
    if (
      keys.length === 1 &&
      typeof num === "string" &&
      ["Infinity", "-Infinity", "NaN"].includes(num)
    )
      return Number(num);
  }
  return value;
}

// btoa/atob rather than Buffer: this file is in the universal core (browsers too).
function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/**
 * Encodes a checkpoint as a safetensors file (see the module comment for the layout).
 *
 * @example
 * atomicWriteFile("ckpt.safetensors", serializeCheckpoint(captureCheckpoint(objs, { epoch })));
 */
export function serializeCheckpoint(ckpt: Checkpoint): Uint8Array {
  const tensors: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(ckpt.model)) tensors[`model.${k}`] = v;
  let optimizer: unknown = null;
  if (ckpt.optimizer) {
    const state: Record<string, Record<string, number>> = {};
    for (const [id, s] of Object.entries(ckpt.optimizer.state)) {
      const scalars: Record<string, number> = {};
      for (const [k, v] of Object.entries(s as ParamState)) {
        if (v instanceof Tensor) tensors[`optimizer.state.${id}.${k}`] = v;
        else if (typeof v === "number") scalars[k] = v;
        else fail(`optimizer state ${id}.${k} (a list or None) is not supported in checkpoints`);
      }
      state[id] = scalars;
    }
    optimizer = { state, param_groups: ckpt.optimizer.param_groups };
  }
  const doc = {
    format: FORMAT,
    version: VERSION,
    epoch: ckpt.epoch,
    optimizer,
    scheduler: ckpt.scheduler,
    rng: {
      default: toBase64(ckpt.rng.default),
      generators: Object.fromEntries(
        Object.entries(ckpt.rng.generators).map(([k, v]) => [k, toBase64(v)]),
      ),
    },
    metadata: ckpt.metadata,
  };
  try {
    return serialize(tensors, { metadata: { [FORMAT]: JSON.stringify(doc, replacer) } });
  } catch (e) {
    if (e instanceof SafetensorsError)
      throw new CheckpointError(`cannot save checkpoint: ${e.message}`);
    throw e;
  }
}

function fail(message: string): never {
  throw new CheckpointError(`invalid checkpoint: ${message}`);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function fromBase64(what: string, v: unknown): Uint8Array {
  if (typeof v !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(v))
    fail(`${what} is not a base64 string`);
  const s = atob(v);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * Decodes and validates a checkpoint file's bytes; anything malformed is a CheckpointError.
 *
 * @example
 * const ckpt = deserializeCheckpoint(readFileSync("ckpt.safetensors"));
 */
export function deserializeCheckpoint(bytes: Uint8Array): Checkpoint {
  let file;
  try {
    file = deserialize(bytes);
  } catch (e) {
    if (e instanceof SafetensorsError) fail(e.message);
    throw e;
  }
  const text = file.metadata[FORMAT];
  if (text === undefined) fail(`no "${FORMAT}" entry in __metadata__ (not a torchlet checkpoint)`);
  let doc: unknown;
  try {
    doc = JSON.parse(text, reviver);
  } catch (e) {
    fail(`metadata is not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(doc) || doc.format !== FORMAT) fail("metadata is not a torchlet checkpoint");
  if (doc.version !== VERSION) fail(`unsupported version ${JSON.stringify(doc.version)}`);
  const { epoch, scheduler, rng, metadata } = doc;
  if (typeof epoch !== "number" || !Number.isSafeInteger(epoch) || epoch < 0)
    fail(`epoch ${JSON.stringify(epoch)} is not a non-negative integer`);
  if (scheduler !== null && !isObject(scheduler)) fail("scheduler state is not an object");
  if (!isObject(metadata)) fail("user metadata is not an object");
  if (!isObject(rng) || !isObject(rng.generators)) fail("rng state is missing");
  const generators: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(rng.generators))
    generators[k] = fromBase64(`rng state of generator "${k}"`, v);

  const model: Record<string, Tensor> = {};
  const optTensors = new Map<string, Record<string, Tensor>>();
  for (const [key, t] of Object.entries(file.tensors)) {
    if (key.startsWith("model.")) {
      model[key.slice(6)] = t;
      continue;
    }
    const m = /^optimizer\.state\.(\d+)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(key);
    if (!m) fail(`unexpected tensor "${key}"`);
    const entry = optTensors.get(m[1]!) ?? {};
    entry[m[2]!] = t;
    optTensors.set(m[1]!, entry);
  }
  return {
    model,
    optimizer: decodeOptimizer(doc.optimizer, optTensors),
    scheduler: (scheduler as SchedulerStateDict | null) ?? null,
    epoch,
    rng: { default: fromBase64("rng state of the default generator", rng.default), generators },
    metadata: metadata as Record<string, JsonValue>,
  };
}

function decodeOptimizer(
  raw: unknown,
  tensors: Map<string, Record<string, Tensor>>,
): OptimizerStateDict | null {
  if (raw === null) {
    if (tensors.size > 0) fail("optimizer state tensors without an optimizer entry");
    return null;
  }
  if (!isObject(raw) || !isObject(raw.state) || !Array.isArray(raw.param_groups))
    fail("optimizer state dict must have state and param_groups");
  const groups = raw.param_groups as unknown[];
  for (const g of groups) {
    if (!isObject(g) || !Array.isArray(g.params) || !g.params.every((p) => Number.isSafeInteger(p)))
      fail("every optimizer param group needs a params list of indices");
  }
  const state: Record<number, ParamState> = {};
  for (const [id, s] of Object.entries(raw.state)) {
    if (!/^\d+$/.test(id) || !isObject(s)) fail(`optimizer state "${id}" is malformed`);
    const entry: ParamState = {};
    for (const [k, v] of Object.entries(s)) {
      if (typeof v !== "number") fail(`optimizer state ${id}.${k} is not a number`);
      entry[k] = v;
    }
    Object.assign(entry, tensors.get(id) ?? {});
    tensors.delete(id);
    state[Number(id)] = entry;
  }
  if (tensors.size > 0)
    fail(`optimizer state tensors for unknown parameter(s) ${[...tensors.keys()].join(", ")}`);
  return { state, param_groups: groups as OptimizerStateDict["param_groups"] };
}

/**
 * Checks that `ckpt` fits `objects` (every check `restoreCheckpoint` needs, nothing changed).
 *
 * @example
 * torch.validateCheckpoint(ckpt, { model, optimizer }); // throws CheckpointError on a mismatch
 */
export function validateCheckpoint(ckpt: Checkpoint, objects: TrainingObjects): void {
  const current = objects.model.stateDict();
  const missing = Object.keys(current).filter((k) => !(k in ckpt.model));
  const unexpected = Object.keys(ckpt.model).filter((k) => !(k in current));
  if (missing.length || unexpected.length)
    throw new CheckpointError(
      `checkpoint does not fit the model: missing ${JSON.stringify(missing)}, unexpected ${JSON.stringify(unexpected)}`,
    );
  for (const [k, t] of Object.entries(current)) {
    if (!shapesEqual(t.shape, ckpt.model[k]!.shape))
      throw new CheckpointError(
        `size mismatch for ${k}: [${ckpt.model[k]!.shape.join(", ")}] in the checkpoint, [${t.shape.join(", ")}] in the model`,
      );
  }
  if (objects.optimizer) {
    const sd = ckpt.optimizer;
    if (!sd) throw new CheckpointError("checkpoint has no optimizer state");
    const groups = objects.optimizer.paramGroups;
    if (sd.param_groups.length !== groups.length)
      throw new CheckpointError(
        `checkpoint has ${sd.param_groups.length} optimizer parameter group(s), the optimizer ${groups.length}`,
      );
    const byId = new Map<number, Tensor>();
    sd.param_groups.forEach((g, gi) => {
      if (g.params.length !== groups[gi]!.params.length)
        throw new CheckpointError(
          `optimizer parameter group ${gi} has ${g.params.length} parameters in the checkpoint, ${groups[gi]!.params.length} in the optimizer`,
        );
      g.params.forEach((id, pi) => byId.set(id, groups[gi]!.params[pi]!));
    });
    for (const [id, s] of Object.entries(sd.state)) {
      const p = byId.get(Number(id));
      if (!p) throw new CheckpointError(`optimizer state for unknown parameter index ${id}`);
      for (const [k, v] of Object.entries(s)) {
        if (v instanceof Tensor && k !== "step" && !shapesEqual(v.shape, p.shape))
          throw new CheckpointError(
            `optimizer state ${id}.${k} has shape [${v.shape.join(", ")}], its parameter [${p.shape.join(", ")}]`,
          );
      }
    }
  }
  if (objects.scheduler && !ckpt.scheduler)
    throw new CheckpointError("checkpoint has no lr scheduler state");
  for (const name of Object.keys(objects.generators ?? {})) {
    if (!(name in ckpt.rng.generators))
      throw new CheckpointError(`checkpoint has no state for generator "${name}"`);
  }
  // A throwaway generator checks the state bytes (size, mt19937 invariants).
  const probe = new Generator();
  try {
    for (const state of [ckpt.rng.default, ...Object.values(ckpt.rng.generators)])
      probe.setState(state);
  } catch (e) {
    throw new CheckpointError(`invalid rng state: ${(e as Error).message}`);
  }
}

/**
 * Restores a checkpoint into the live objects. Everything is validated first: on error nothing
 * (parameters, optimizer state, scheduler, generators) has changed.
 *
 * @example
 * const ckpt = deserializeCheckpoint(bytes);
 * restoreCheckpoint(ckpt, { model, optimizer, generators: { loader: g } });
 * for (let epoch = ckpt.epoch; epoch < epochs; epoch++) { ... }
 */
export function restoreCheckpoint(ckpt: Checkpoint, objects: TrainingObjects): void {
  validateCheckpoint(ckpt, objects);
  objects.model.loadStateDict(ckpt.model);
  if (objects.optimizer) objects.optimizer.loadStateDict(ckpt.optimizer!);
  if (objects.scheduler) objects.scheduler.loadStateDict(ckpt.scheduler!);
  defaultGenerator.setState(ckpt.rng.default);
  for (const [name, g] of Object.entries(objects.generators ?? {}))
    g.setState(ckpt.rng.generators[name]!);
}
