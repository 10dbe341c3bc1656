// Measures how much of PyTorch 1.13's core API torchlet has, and writes docs/api-coverage.md.
//
// PyTorch's names come from docs/api/pytorch-1.13-names.json (scripts/coverage/pytorch_names.py,
// run against real PyTorch, says exactly which names count). Each is mapped to the name torchlet
// would give it (TORCHLET_NAMESPACE for where it lives, toTorchletName for its spelling, RENAMES
// for the few that differ) and looked up at run time on the Node entry, so a name counts only when
// a user can actually call it. `npm run docs:coverage` rewrites the page; test/docs/api-coverage
// fails when the committed page differs from what this produces.
import { readFileSync } from "node:fs";
import * as torch from "../../src/node.js";

type Lookup = (name: string) => boolean;

export interface NamespaceCoverage {
  /** PyTorch's namespace, as in the JSON ("nn.functional"). */
  readonly name: string;
  /** Where torchlet keeps it ("torch.data"), as Markdown code once wrapped in backticks. */
  readonly torchlet: string;
  readonly total: number;
  readonly covered: readonly string[];
  /** PyTorch names with no torchlet counterpart, each with the torchlet name looked for. */
  readonly missing: readonly (readonly [python: string, torchlet: string])[];
}

/**
 * Names torchlet spells other than by toTorchletName, per PyTorch namespace. (Namespace renames,
 * `utils.data` -> `torch.data`, `lr_scheduler` -> `lrScheduler`, are in torchletNamespaces.)
 */
const RENAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {};

/** PyTorch's namespaces and torchlet's objects for them, looked up at run time. */
function torchletNamespaces(): Record<string, { label: string; has: Lookup }> {
  const inObject =
    (...objects: object[]): Lookup =>
    (name) =>
      objects.some((o) => name in o);
  // Tensor members include instance fields (shape, grad, requiresGrad), so an instance is asked
  // (with `in`, which never runs a getter such as mT that throws on a 1-d tensor).
  const instance = torch.zeros([1]);
  return {
    torch: { label: "torch", has: inObject(torch) },
    Tensor: { label: "torch.Tensor", has: inObject(instance) },
    nn: { label: "torch.nn", has: inObject(torch.nn) },
    "nn.functional": {
      label: "torch.nn.functional` or `torch.nn.F",
      has: inObject(torch.nn.functional, torch.nn.F),
    },
    "nn.init": { label: "torch.nn.init", has: inObject(torch.nn.init) },
    "nn.utils": { label: "torch.nn.utils", has: inObject(torch.nn.utils) },
    "nn.utils.rnn": { label: "torch.nn.utils.rnn", has: inObject(torch.nn.utils.rnn) },
    optim: { label: "torch.optim", has: inObject(torch.optim) },
    "optim.lr_scheduler": {
      label: "torch.optim.lrScheduler",
      has: inObject(torch.optim.lrScheduler),
    },
    "utils.data": { label: "torch.data", has: inObject(torch.data) },
    autograd: { label: "torch.autograd", has: inObject(torch.autograd) },
    linalg: { label: "torch.linalg", has: optionalNamespace("linalg") },
    fft: { label: "torch.fft", has: optionalNamespace("fft") },
    distributions: { label: "torch.distributions", has: optionalNamespace("distributions") },
  };
}

/** A namespace torchlet may not have yet: every name is missing until it exists. */
function optionalNamespace(key: string): Lookup {
  const ns = (torch as Record<string, unknown>)[key];
  if (typeof ns !== "object" || ns === null) return () => false;
  return (name) => name in ns;
}

/**
 * PyTorch's snake_case to torchlet's camelCase: `log_softmax` -> `logSoftmax`, `zero_grad` ->
 * `zeroGrad`; a trailing underscore (in-place) is kept (`clip_grad_norm_` -> `clipGradNorm_`),
 * and names without underscores (`Conv2d`, `float32`, `T`) are unchanged.
 */
export function toTorchletName(python: string): string {
  const trailing = python.endsWith("_") ? "_" : "";
  const core = trailing ? python.slice(0, -1) : python;
  const [head = "", ...rest] = core.split("_");
  return head + rest.map((p) => (p ? p[0]!.toUpperCase() + p.slice(1) : "")).join("") + trailing;
}

/** The torchlet name looked for, given PyTorch's namespace and name. */
export function torchletNameFor(namespace: string, python: string): string {
  return RENAMES[namespace]?.[python] ?? toTorchletName(python);
}

interface PyTorchNames {
  readonly pytorch: string;
  readonly namespaces: Readonly<Record<string, readonly string[]>>;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

/** Coverage of each PyTorch namespace in `names` (default: the committed JSON). */
export function measure(
  names: PyTorchNames = readJson("docs/api/pytorch-1.13-names.json"),
): NamespaceCoverage[] {
  const ours = torchletNamespaces();
  return Object.entries(names.namespaces).map(([name, list]) => {
    const target = ours[name];
    if (target === undefined) throw new Error(`no torchlet namespace mapped for ${name}`);
    const covered: string[] = [];
    const missing: (readonly [string, string])[] = [];
    for (const python of list) {
      const ts = torchletNameFor(name, python);
      if (target.has(ts)) covered.push(python);
      else missing.push([python, ts]);
    }
    return { name, torchlet: target.label, total: list.length, covered, missing };
  });
}

const percent = (n: number, d: number): string =>
  d === 0 ? "-" : `${((100 * n) / d).toFixed(1)}%`;

/** `namespace.name` as the most-used list writes it ("Tensor.backward", "nn.functional.relu"). */
function splitQualified(q: string, namespaces: readonly string[]): [string, string] {
  const ns = [...namespaces].sort((a, b) => b.length - a.length).find((n) => q.startsWith(n + "."));
  if (ns === undefined) throw new Error(`most-used name ${q} has no known namespace`);
  return [ns, q.slice(ns.length + 1)];
}

/** The page, as `npm run docs:coverage` writes it. */
export function coveragePage(): string {
  const names = readJson<PyTorchNames>("docs/api/pytorch-1.13-names.json");
  const mostUsed = readJson<{ names: string[] }>("docs/api/most-used.json").names;
  const rows = measure(names);
  const byNs = new Map(rows.map((r) => [r.name, r]));
  const lines: string[] = [];
  const push = (...l: string[]): void => void lines.push(...l);

  push(
    "# API coverage against PyTorch 1.13",
    "",
    "<!-- Generated by `npm run docs:coverage` (scripts/coverage/report.ts); do not edit. -->",
    "",
    `How many of PyTorch ${names.pytorch.replace(/a0$/, "")}'s core public names torchlet has, per namespace.`,
    "PyTorch's names are listed from real PyTorch by `scripts/coverage/pytorch_names.py` into",
    "[`docs/api/pytorch-1.13-names.json`](api/pytorch-1.13-names.json); its docstring says exactly",
    "which names count (no private, CUDA, quantized or sparse names, no obvious deprecated aliases,",
    "only callables and dtypes, Tensor attributes included). Each is mapped to torchlet's spelling",
    "(`log_softmax` -> `logSoftmax`, `zero_grad` -> `zeroGrad`, a trailing in-place `_` kept;",
    "`torch.utils.data` is `torch.data`, `optim.lr_scheduler` is `optim.lrScheduler`) and looked up",
    "at run time in the Node entry point, so only names a user can call count.",
    "",
    "| PyTorch namespace | torchlet | covered | total | coverage |",
    "| --- | --- | ---: | ---: | ---: |",
  );
  let covered = 0;
  let total = 0;
  for (const r of rows) {
    covered += r.covered.length;
    total += r.total;
    const anchor = r.name.replace(/\./g, "").toLowerCase();
    push(
      `| [\`${r.name}\`](#${anchor}) | \`${r.torchlet}\` | ${r.covered.length} | ${r.total} | ${percent(r.covered.length, r.total)} |`,
    );
  }
  push(`| all | | ${covered} | ${total} | ${percent(covered, total)} |`, "");

  // The most-used list: names real training scripts reach for (docs/api/most-used.json).
  const namespaces = rows.map((r) => r.name);
  const usedMissing: string[] = [];
  for (const q of mostUsed) {
    const [ns, python] = splitQualified(q, namespaces);
    const row = byNs.get(ns)!;
    if (!row.covered.includes(python))
      usedMissing.push(`\`${q}\` (\`${torchletNameFor(ns, python)}\`)`);
  }
  const usedCovered = mostUsed.length - usedMissing.length;
  push(
    "## The names training code uses most",
    "",
    `[\`docs/api/most-used.json\`](api/most-used.json) lists ${mostUsed.length} PyTorch names that`,
    "typical training scripts call (tensor creation, shape ops, reductions, layers, losses, init,",
    "optimizers, schedulers, data loading, autograd); a hand-picked list, edited on purpose.",
    `torchlet has ${usedCovered} of them (${percent(usedCovered, mostUsed.length)}).`,
    "",
  );
  if (usedMissing.length) push("Missing:", "", ...usedMissing.map((m) => `- ${m}`), "");

  push("## Missing names per namespace", "");
  for (const r of rows) {
    push(
      `### ${r.name}`,
      "",
      `\`${r.torchlet}\`: ${r.covered.length} of ${r.total} (${percent(r.covered.length, r.total)}).`,
      "",
    );
    if (r.missing.length === 0) push("Nothing missing.", "");
    else
      push(`Missing (${r.missing.length}): ${r.missing.map(([p]) => `\`${p}\``).join(", ")}`, "");
  }
  return lines.join("\n");
}

if (process.argv.includes("--write")) {
  const { writeFileSync } = await import("node:fs");
  writeFileSync("docs/api-coverage.md", coveragePage());
  console.log("wrote docs/api-coverage.md");
}
