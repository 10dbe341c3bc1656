// The public API is only the API: every name a user's autocompletion shows is listed in
// test/api/public-names.json. A new export, or an internal helper that leaks into an index
// file, fails here until the list is updated on purpose (`npm run api:names`), so the change is
// seen in review.
import { it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { publicNames } from "../../scripts/api/public-names.js";

const announced = JSON.parse(readFileSync("test/api/public-names.json", "utf8")) as Record<
  string,
  string[]
>;

it("every public name is announced in test/api/public-names.json, and only those", () => {
  const actual = publicNames();
  const problems: string[] = [];
  for (const ns of new Set([...Object.keys(actual), ...Object.keys(announced)])) {
    const have = new Set(actual[ns] ?? []);
    const listed = new Set(announced[ns] ?? []);
    const added = [...have].filter((n) => !listed.has(n));
    const removed = [...listed].filter((n) => !have.has(n));
    if (added.length) problems.push(`${ns}: not announced: ${added.join(", ")}`);
    if (removed.length) problems.push(`${ns}: announced but gone: ${removed.join(", ")}`);
  }
  assert.deepEqual(problems, [], `${problems.join("\n")}\n(run npm run api:names to accept)`);
});

it("no internal helper is exported", () => {
  const internal = ["binaryKernel", "checkIndexDType", "finish", "inferShape", "pair"];
  const more = ["parseReduceArgs", "parseSizeArgs", "poolGeometry", "reduceKernel"];
  const rest = [
    "reducedShape",
    "reluBackward",
    "addmmLinear",
    "asView",
    "expandReduced",
    "inPlace",
  ];
  const top = new Set(publicNames().torch);
  for (const name of [...internal, ...more, ...rest]) assert.ok(!top.has(name), name);
});
