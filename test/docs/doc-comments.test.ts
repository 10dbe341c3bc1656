// Every public export has a doc comment with an @example (TypeDoc builds the API reference from
// them). Names not yet there are listed in test/docs/undocumented.json, which may only shrink:
// a new export without a doc comment fails, and so does a listed name that has since been
// documented (remove it: `npx tsx scripts/docs/doc-comments.ts --write`).
import { it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { docGaps } from "../../scripts/docs/doc-comments.js";

const allowed = JSON.parse(readFileSync("test/docs/undocumented.json", "utf8")) as {
  noComment: string[];
  noExample: string[];
};

const gaps = docGaps();

it("every public name is found in the sources", () => {
  assert.deepEqual(gaps.notFound, []);
});

for (const kind of ["noComment", "noExample"] as const) {
  const what = kind === "noComment" ? "a doc comment" : "an @example in its doc comment";
  it(`public exports without ${what} are only the listed ones, and the list only shrinks`, () => {
    const listed = new Set(allowed[kind]);
    const have = new Set(gaps[kind]);
    const fresh = gaps[kind].filter((n) => !listed.has(n));
    const fixed = allowed[kind].filter((n) => !have.has(n));
    assert.deepEqual(fresh, [], `public exports without ${what}: ${fresh.join(", ")}`);
    assert.deepEqual(
      fixed,
      [],
      `now documented, remove from test/docs/undocumented.json ` +
        `(npx tsx scripts/docs/doc-comments.ts --write): ${fixed.join(", ")}`,
    );
  });
}

it("tells a documented export from one without an example and one without a comment", () => {
  const names = { torch: ["documented", "noExample", "NoComment", "absent"] };
  const found = docGaps(names, "test/docs/fixtures/doc-gaps.ts");
  assert.deepEqual(found.noComment, ["torch.NoComment"]);
  assert.deepEqual(found.noExample, ["torch.noExample"]);
  assert.deepEqual(found.notFound, ["torch.absent"]);
});
