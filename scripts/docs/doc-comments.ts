// Which public exports lack a doc comment, or an @example in it. The public names are those of
// test/api/public-names.json (top level and namespaces); their declarations are found with the
// TypeScript compiler by walking the exports of src/node.ts (which re-exports src/index.ts) and
// following `export * as ns` into namespaces. A namespace counts as documented when its module
// file opens with a doc comment (what TypeDoc shows for it).
//
// `tsx scripts/docs/doc-comments.ts --write` rewrites test/docs/undocumented.json, the committed
// list of names still to document; test/docs/doc-comments.test.ts keeps that list shrinking.
import { readFileSync } from "node:fs";
import ts from "typescript";

export interface DocGaps {
  /** Qualified names ("torch.nn.Linear") whose declaration has no doc comment. */
  readonly noComment: string[];
  /** Names with a doc comment that has no @example. */
  readonly noExample: string[];
  /** Listed public names no declaration was found for (the walk itself is then wrong). */
  readonly notFound: string[];
}

const ENTRY = "src/node.ts";

/** public-names.json's member lists, and the path of their class from the entry's exports. */
const MEMBER_LISTS: Readonly<Record<string, readonly string[]>> = {
  "Tensor members": ["Tensor"],
  "nn.Module members": ["nn", "Module"],
};

function program(entry: string): ts.Program {
  const config = ts.getParsedCommandLineOfConfigFile(
    "tsconfig.json",
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  if (config === undefined) throw new Error("cannot read tsconfig.json");
  return ts.createProgram([entry], { ...config.options, noEmit: true });
}

/** The module file's opening comment, if it is a doc comment (`/** ... *\/`). */
function moduleDoc(symbol: ts.Symbol): { comment: boolean; example: boolean } {
  const file = symbol.declarations?.find(ts.isSourceFile);
  if (file === undefined) return { comment: false, example: false };
  const text = file.getFullText();
  const ranges = ts.getLeadingCommentRanges(text, 0) ?? [];
  const docs = ranges
    .map((r) => text.slice(r.pos, r.end))
    .filter((c) => c.startsWith("/**") && !c.startsWith("/**/"));
  return { comment: docs.length > 0, example: docs.some((d) => d.includes("@example")) };
}

function symbolDoc(
  symbol: ts.Symbol,
  checker: ts.TypeChecker,
): { comment: boolean; example: boolean } {
  const comment = symbol.getDocumentationComment(checker).length > 0;
  const tags = symbol.getJsDocTags(checker);
  // A class's @example may sit on its constructor: TypeDoc shows both on the class page.
  const example =
    tags.some((t) => t.name === "example") ||
    ((symbol.flags & ts.SymbolFlags.Class) !== 0 &&
      (symbol.members?.get("__constructor" as ts.__String)?.getJsDocTags(checker) ?? []).some(
        (t) => t.name === "example",
      ));
  return { comment, example };
}

/**
 * Doc-comment gaps of the public names listed in `publicNames` (namespace -> names), whose
 * top-level namespace "torch" is the module `entry`.
 */
export function docGaps(
  publicNames: Record<string, string[]> = JSON.parse(
    readFileSync("test/api/public-names.json", "utf8"),
  ) as Record<string, string[]>,
  entry: string = ENTRY,
): DocGaps {
  const prog = program(entry);
  const checker = prog.getTypeChecker();
  const file = prog.getSourceFile(entry);
  if (file === undefined) throw new Error(`${entry} not in the program`);
  const root = checker.getSymbolAtLocation(file);
  if (root === undefined) throw new Error(`${entry} has no module symbol`);

  const noComment: string[] = [];
  const noExample: string[] = [];
  const seen = new Set<string>();
  const walk = (module: ts.Symbol, ns: string): void => {
    const listed = new Set(publicNames[ns] ?? []);
    for (const exported of checker.getExportsOfModule(module)) {
      const name = exported.getName();
      if (!listed.has(name)) continue;
      const target =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const isModule = target.declarations?.some(ts.isSourceFile) ?? false;
      const doc = isModule ? moduleDoc(target) : symbolDoc(target, checker);
      const qualified = `${ns}.${name}`;
      seen.add(qualified);
      if (!doc.comment) noComment.push(qualified);
      else if (!doc.example) noExample.push(qualified);
      if (isModule && publicNames[qualified] !== undefined) walk(target, qualified);
    }
  };
  walk(root, "torch");

  // Members of the classes public-names.json lists by member ("Tensor members", ...): methods
  // and accessors, including those declared by op files' `declare module` augmentations.
  for (const [key, path] of Object.entries(MEMBER_LISTS)) {
    const names = publicNames[key];
    if (names === undefined) continue;
    let cls: ts.Symbol | undefined = root;
    for (const part of path) {
      const e: ts.Symbol | undefined = checker
        .getExportsOfModule(cls)
        .find((x) => x.getName() === part);
      cls =
        e === undefined
          ? undefined
          : e.flags & ts.SymbolFlags.Alias
            ? checker.getAliasedSymbol(e)
            : e;
      if (cls === undefined) break;
    }
    if (cls === undefined) continue;
    const type = checker.getDeclaredTypeOfSymbol(cls);
    for (const name of names) {
      const qualified = `torch.${path.join(".")}.${name}`;
      const member = type.getProperty(name);
      if (member === undefined) continue;
      seen.add(qualified);
      // @internal members are stripped from the typings, and private ones are no API: TypeDoc
      // leaves both out of the reference (excludeInternal, excludePrivate).
      if (member.getJsDocTags(checker).some((t) => t.name === "internal")) continue;
      const decl = member.declarations?.[0];
      if (decl && ts.getCombinedModifierFlags(decl) & ts.ModifierFlags.Private) continue;
      const doc = symbolDoc(member, checker);
      if (!doc.comment) noComment.push(qualified);
      else if (!doc.example) noExample.push(qualified);
    }
  }
  const notFound = Object.entries(publicNames)
    .flatMap(([ns, names]) => {
      const path = MEMBER_LISTS[ns];
      const prefix = path === undefined ? ns : `torch.${path.join(".")}`;
      return names.map((n) => `${prefix}.${n}`);
    })
    .filter((q) => !seen.has(q));
  return { noComment: noComment.sort(), noExample: noExample.sort(), notFound };
}

if (process.argv.includes("--write")) {
  const { writeFileSync } = await import("node:fs");
  const { noComment, noExample, notFound } = docGaps();
  if (notFound.length) throw new Error(`public names not found: ${notFound.join(", ")}`);
  const gaps = { noComment, noExample };
  writeFileSync("test/docs/undocumented.json", JSON.stringify(gaps, null, 2) + "\n");
  console.log(
    `wrote test/docs/undocumented.json: ${gaps.noComment.length} without a doc comment, ` +
      `${gaps.noExample.length} without an @example`,
  );
}
