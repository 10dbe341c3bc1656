// docs/api-coverage.md is generated (scripts/coverage/report.ts); it must say what the code has.
// Adding an op (or renaming one) without regenerating the page fails here.
import { it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { coveragePage, measure, toTorchletName } from "../../scripts/coverage/report.js";

it("docs/api-coverage.md is up to date", () => {
  const committed = readFileSync("docs/api-coverage.md", "utf8");
  assert.ok(
    committed === coveragePage(),
    "docs/api-coverage.md is out of date: run `npm run docs:coverage` and commit the page",
  );
});

it("maps PyTorch's snake_case to torchlet's camelCase, keeping a trailing in-place underscore", () => {
  assert.equal(toTorchletName("log_softmax"), "logSoftmax");
  assert.equal(toTorchletName("zero_grad"), "zeroGrad");
  assert.equal(toTorchletName("clip_grad_norm_"), "clipGradNorm_");
  assert.equal(toTorchletName("add_"), "add_");
  assert.equal(toTorchletName("Conv2d"), "Conv2d");
  assert.equal(toTorchletName("max_pool2d"), "maxPool2d");
  assert.equal(toTorchletName("T"), "T");
});

it("counts a name only when torchlet has it at run time", () => {
  const [torchRow, tensorRow, fRow, dataRow] = measure({
    pytorch: "test",
    namespaces: {
      torch: ["log_softmax", "no_such_op"],
      Tensor: ["requires_grad", "zero_", "no_such_method"],
      "nn.functional": ["cross_entropy"],
      "utils.data": ["DataLoader"],
    },
  });
  assert.deepEqual(torchRow!.covered, ["log_softmax"]);
  assert.deepEqual(torchRow!.missing, [["no_such_op", "noSuchOp"]]);
  assert.deepEqual(tensorRow!.covered, ["requires_grad", "zero_"]);
  assert.deepEqual(fRow!.covered, ["cross_entropy"]);
  assert.deepEqual(dataRow!.covered, ["DataLoader"]);
});

it("every most-used name is one of PyTorch's listed names", () => {
  const names = JSON.parse(readFileSync("docs/api/pytorch-1.13-names.json", "utf8")) as {
    namespaces: Record<string, string[]>;
  };
  const used = JSON.parse(readFileSync("docs/api/most-used.json", "utf8")) as { names: string[] };
  const namespaces = Object.keys(names.namespaces).sort((a, b) => b.length - a.length);
  for (const q of used.names) {
    const ns = namespaces.find((n) => q.startsWith(n + "."));
    assert.ok(ns !== undefined && names.namespaces[ns]!.includes(q.slice(ns.length + 1)), q);
  }
});
