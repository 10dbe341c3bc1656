// The public names of torchlet, as a user's autocompletion lists them: every export of the Node
// entry by namespace, and the methods and properties of Tensor and nn.Module. `npm run
// api:names` rewrites test/api/public-names.json from it; test/api/public-names.test.ts fails
// when a name appears or disappears without that file (the announcement) changing with it.
import * as torch from "../../src/node.js";

/** Names of a namespace object, split into plain names and nested namespaces. */
function names(ns: object): string[] {
  return Object.keys(ns).sort();
}

/** Methods and accessors of a class, walking its prototypes up to (not including) `stop`. */
function members(proto: object, stop: object | null = Object.prototype): string[] {
  const out = new Set<string>();
  for (let p: object | null = proto; p !== null && p !== stop; p = Object.getPrototypeOf(p)) {
    for (const k of Object.getOwnPropertyNames(p)) if (k !== "constructor") out.add(k);
  }
  return [...out].sort();
}

export function publicNames(): Record<string, string[]> {
  const namespaces: Record<string, object> = {
    torch,
    "torch.nn": torch.nn,
    "torch.nn.functional": torch.nn.functional,
    "torch.nn.init": torch.nn.init,
    "torch.nn.utils": torch.nn.utils,
    "torch.optim": torch.optim,
    "torch.optim.lrScheduler": torch.optim.lrScheduler,
    "torch.autograd": torch.autograd,
    "torch.cuda": torch.cuda,
    "torch.data": torch.data,
    "torch.data.transforms": torch.data.transforms,
  };
  const out: Record<string, string[]> = {};
  for (const [name, ns] of Object.entries(namespaces)) out[name] = names(ns);
  out["Tensor members"] = members(torch.Tensor.prototype);
  out["nn.Module members"] = members(torch.nn.Module.prototype);
  return out;
}

if (process.argv.includes("--write")) {
  const { writeFileSync } = await import("node:fs");
  writeFileSync("test/api/public-names.json", JSON.stringify(publicNames(), null, 2) + "\n");
  console.log("wrote test/api/public-names.json");
}
