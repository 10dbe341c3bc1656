// Forward, gradient and error conformance of the core ops against PyTorch fixtures
// (scripts/fixtures/ops_core.py -> fixtures/ops_core/*.json).
import { describe } from "node:test";
import { loadFixture } from "../helpers/fixtures.js";
import { runOpCases, type OpCase } from "../helpers/op-cases.js";
import { coreOp } from "./core-ops.js";

const groups = ["binary", "pow", "unary", "compare", "view", "linalg", "reduce", "errors"];

for (const group of groups) {
  describe(`ops_core/${group} vs PyTorch`, () => {
    const { cases } = loadFixture<{ cases: OpCase[] }>("ops_core", group);
    for (const c of cases) runOpCases([c], coreOp(c.name));
  });
}
