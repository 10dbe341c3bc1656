// The package as a user gets it: `npm pack` of a clean copy of the project (so the lifecycle
// scripts build dist/, the WebAssembly and the native prebuild from nothing, and the build does
// not rewrite files that the other tests are reading), installed with `npm install
// --ignore-scripts` into a fresh app under the OS temp folder (outside the repository, so
// Node's resolution cannot reach the project's devDependencies). There it is imported from ESM,
// runs a short training on the prebuilt native backend, typechecks in a strict TypeScript program
// with the oldest TypeScript the README states and with the newest, bundles for the browser, and
// passes publint and Are the Types Wrong. Needs the npm registry (node-gyp-build, TypeScript);
// skips, saying so, when it cannot be reached.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** The oldest TypeScript the README promises; the newest is npm's `latest`. */
export const OLDEST_TYPESCRIPT = "5.0.4";

/** The package linters, installed into the app beside TypeScript (pinned: new rules come by choice). */
const PUBLINT = "0.3.25";
const ATTW = "0.18.5";

const repo = resolve(".");
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { name: string; version: string };

function run(cmd: string, args: string[], options: SpawnSyncOptions = {}): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 300_000, ...options });
  if (r.status !== 0) {
    const out = `${String(r.stdout)}\n${String(r.stderr)}`.trim().slice(-3000);
    throw new Error(`${cmd} ${args.join(" ")} exited ${r.status ?? r.signal}:\n${out}`);
  }
  return String(r.stdout);
}

/** The environment without the project's own switches, as a user's shell would have it. */
function userEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith("TORCHLET_")) delete env[key];
  for (const key of Object.keys(env)) if (key.startsWith("npm_")) delete env[key];
  return env;
}

const registry = spawnSync("npm", ["ping"], { encoding: "utf8", timeout: 30_000 });
const skip = registry.status === 0 ? false : "the npm registry is not reachable (npm ping failed)";

/** What a checkout holds that the build does not read, or that the build must make itself. */
const NOT_COPIED = new Set([
  "node_modules",
  ".git",
  "dist",
  "build",
  "fixtures",
  "test",
  "bench",
  "examples",
  "docs",
  join("native", "build"),
  join("native", "prebuilds"),
  join("src", "backend", "wasm", "generated"),
]);

describe("the packed package, installed in a fresh app", { skip }, () => {
  let work = "";
  let app = "";
  let tarball = "";
  let files: string[] = [];

  before(() => {
    work = mkdtempSync(join(tmpdir(), "torchlet-package-"));
    const copy = join(work, "project");
    cpSync(repo, copy, {
      recursive: true,
      filter: (src) => !NOT_COPIED.has(relative(repo, src)),
    });
    // The copy builds with the project's devDependencies (as a git install's prepare does).
    symlinkSync(realpathSync(join(repo, "node_modules")), join(copy, "node_modules"), "dir");
    run("npm", ["pack", "--pack-destination", work, "--loglevel", "error"], {
      cwd: copy,
      env: userEnv(),
    });
    tarball = join(
      work,
      readdirSync(work).find((f) => f.endsWith(".tgz"))!,
    );
    files = run("tar", ["-tzf", tarball])
      .split("\n")
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ""));

    app = join(work, "app");
    mkdirSync(app);
    writeFileSync(
      join(app, "package.json"),
      JSON.stringify({ name: "torchlet-user-app", private: true, type: "module" }),
    );
    run(
      "npm",
      [
        "install",
        "--ignore-scripts",
        "--no-audit",
        "--no-fund",
        "--loglevel",
        "error",
        tarball,
        `ts-oldest@npm:typescript@${OLDEST_TYPESCRIPT}`,
        "ts-newest@npm:typescript@latest",
        `publint@${PUBLINT}`,
        `@arethetypeswrong/cli@${ATTW}`,
      ],
      { cwd: app, env: userEnv() },
    );
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("the tarball holds the compiled library, its types, the prebuild and the package files", () => {
    for (const f of [
      "dist/src/node.js",
      "dist/src/node.d.ts",
      "dist/src/index.js",
      "dist/src/index.d.ts",
    ])
      assert.ok(files.includes(f), `${f} missing`);
    for (const f of ["package.json", "README.md", "LICENSE", "CHANGELOG.md", "bin/torchlet.mjs"])
      assert.ok(files.includes(f), `${f} missing`);
    // The WebAssembly is inlined in the compiled modules: no source build at install.
    assert.ok(files.some((f) => f.startsWith("dist/src/backend/wasm/generated/")));
    if (process.platform === "linux" && process.arch === "x64")
      assert.ok(
        files.some((f) => f.startsWith("native/prebuilds/linux-x64/") && f.endsWith(".node")),
      );
    assert.deepEqual(
      files.filter((f) => f.endsWith(".map")),
      [],
      "source maps without sources",
    );
    assert.deepEqual(
      files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")),
      [],
      "TypeScript sources",
    );
    assert.deepEqual(
      files.filter((f) => f.startsWith("test/") || f.startsWith("fixtures/")),
      [],
    );
  });

  it("no @internal declaration is published", () => {
    const root = join(app, "node_modules", "torchlet", "dist");
    const found: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith(".d.ts") && readFileSync(p, "utf8").includes("@internal"))
          found.push(relative(root, p));
      }
    };
    walk(root);
    assert.deepEqual(found, []);
  });

  it("imports from ESM, loads the native backend from the prebuild and trains", (t) => {
    const script = `
      import * as torch from "torchlet";
      torch.manualSeed(0);
      const x = torch.randn([64, 8]);
      const y = x.sum(1, true);
      const model = new torch.nn.Linear(8, 1);
      const opt = new torch.optim.SGD(model.parameters(), { lr: 0.1 });
      const losses = [];
      for (let i = 0; i < 50; i++) {
        opt.zeroGrad();
        const loss = torch.nn.F.mseLoss(model.forward(x), y);
        loss.backward();
        opt.step();
        losses.push(loss.item());
      }
      console.log(JSON.stringify({
        version: torch.version,
        backend: torch.getBackend().name,
        status: torch.nativeBackendStatus(),
        first: losses[0],
        last: losses[losses.length - 1],
      }));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: app,
      env: userEnv(),
      encoding: "utf8",
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim()) as {
      version: string;
      backend: string;
      status: { available: boolean; path?: string; reason?: string };
      first: number;
      last: number;
    };
    assert.equal(out.version, pkg.version);
    assert.ok(out.last < out.first * 0.01, `loss ${out.first} -> ${out.last}`);
    if (!(process.platform === "linux" && process.arch === "x64")) {
      t.diagnostic(`no prebuild for ${process.platform}-${process.arch}: ${out.backend}`);
      return;
    }
    assert.equal(out.backend, "native", out.status.reason);
    assert.ok(
      out.status.path?.startsWith(
        join(app, "node_modules", "torchlet", "native", "prebuilds") + sep,
      ),
      out.status.path,
    );
    assert.equal(r.stderr, "", "no warning when the prebuild loads");
  });

  it("npx torchlet --version prints the version", () => {
    const out = run("npx", ["--no-install", "torchlet", "--version"], { cwd: app, env: userEnv() });
    assert.equal(out.trim(), pkg.version);
  });

  const program = `
    import * as torch from "torchlet";
    import { nn, optim, type Tensor } from "torchlet";

    class Net extends nn.Module {
      fc1 = new nn.Linear(2, 8);
      act = new nn.Tanh();
      fc2 = new nn.Linear(8, 1);
      forward(x: Tensor): Tensor {
        return this.fc2.forward(this.act.forward(this.fc1.forward(x)));
      }
    }

    torch.manualSeed(0);
    const x: Tensor = torch.tensor([[0, 1], [1, 0], [1, 1], [0, 0]], { dtype: "float32" });
    const y = torch.tensor([[1], [1], [0], [0]], { dtype: "float32" });
    const model = new Net();
    const optimizer = new optim.Adam(model.parameters(), { lr: 0.05 });
    const criterion = new nn.MSELoss();
    const losses: number[] = [];
    for (let step = 0; step < 100; step++) {
      optimizer.zeroGrad();
      const loss: Tensor = criterion.forward(model.forward(x), y);
      loss.backward();
      optimizer.step();
      losses.push(loss.item());
    }
    const version: string = torch.version;
    const backend: string = torch.getBackend().name;
    console.log(JSON.stringify({ version, backend, first: losses[0], last: losses[losses.length - 1] }));
  `;

  const setups = [
    { ts: "ts-oldest", module: "NodeNext", moduleResolution: "NodeNext" },
    { ts: "ts-newest", module: "NodeNext", moduleResolution: "NodeNext" },
    { ts: "ts-oldest", module: "ESNext", moduleResolution: "Bundler" },
  ];
  for (const { ts, module, moduleResolution } of setups) {
    it(`a strict TypeScript program typechecks against it (${ts}, ${moduleResolution}) and runs`, () => {
      const dir = join(app, `${ts}-${moduleResolution}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "main.ts"), program);
      writeFileSync(
        join(dir, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            target: "ES2022",
            module,
            moduleResolution,
            lib: ["ES2022", "DOM"],
            types: [],
            strict: true,
            noUnusedLocals: true,
            skipLibCheck: false,
            outDir: "out",
          },
          files: ["main.ts"],
        }),
      );
      const tsVersion = run(process.execPath, [
        join(app, "node_modules", ts, "bin", "tsc"),
        "--version",
      ]);
      run(process.execPath, [join(app, "node_modules", ts, "bin", "tsc"), "-p", dir], { cwd: dir });
      const out = JSON.parse(
        run(process.execPath, [join(dir, "out", "main.js")], { cwd: dir, env: userEnv() }).trim(),
      ) as {
        version: string;
        first: number;
        last: number;
      };
      assert.equal(out.version, pkg.version, tsVersion);
      assert.ok(out.last < out.first / 2, `loss ${out.first} -> ${out.last}`);
    });
  }

  it("bundles for the browser with esbuild: the browser entry, no Node built-in", async () => {
    writeFileSync(
      join(app, "web.js"),
      `import * as torch from "torchlet";\nconsole.log(torch.ones([2]).add(1).tolist());\n`,
    );
    const result = await build({
      absWorkingDir: app,
      entryPoints: ["web.js"],
      bundle: true,
      platform: "browser",
      format: "esm",
      minify: true,
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.includes("node_modules/torchlet/dist/src/index.js"), "browser entry not used");
    assert.deepEqual(
      inputs.filter(
        (f) =>
          f.startsWith("node:") || f.includes("/dist/src/node") || f.includes("node-gyp-build"),
      ),
      [],
    );
  });

  // Budgets from measurement, with ~15% headroom. First set at 0.1.0 (whole library 254 KB /
  // 70 KB gzip, `import { tensor }` 75 KB / 26 KB); raised after the session that added the
  // recurrent and attention layers, linalg, distributions, ONNX export, PyTorch's file format,
  // eight optimizers and ~40 ops: from the sources the whole library measured 419 KB / 124 KB
  // gzip and `import { tensor }` 99 KB / 34 KB (the ops attach Tensor methods, so every op comes
  // with `tensor`; nn, optim, data, io, linalg and the WebAssembly kernels do not).
  const budgets = [
    {
      name: "the whole library",
      code: `import * as torch from "torchlet"; globalThis.torch = torch;`,
      min: 500_000,
      gzip: 150_000,
    },
    {
      name: "import { tensor }",
      code: `import { tensor } from "torchlet"; globalThis.out = tensor([1, 2]).add(1).mul(2).tolist();`,
      min: 120_000,
      gzip: 41_000,
    },
  ];
  for (const b of budgets) {
    it(`browser bundle size: ${b.name} within ${b.min / 1000} KB minified, ${b.gzip / 1000} KB gzip`, async (t) => {
      const result = await build({
        absWorkingDir: app,
        stdin: { contents: b.code, resolveDir: app },
        bundle: true,
        platform: "browser",
        format: "esm",
        minify: true,
        write: false,
        logLevel: "silent",
      });
      const bytes = result.outputFiles[0]!.contents;
      const gzip = gzipSync(bytes, { level: 9 }).length;
      t.diagnostic(`${b.name}: ${bytes.length} bytes minified, ${gzip} gzip`);
      assert.ok(bytes.length <= b.min, `${bytes.length} bytes minified`);
      assert.ok(gzip <= b.gzip, `${gzip} bytes gzip`);
      // The tree-shaken bundle still works: the ops' methods came with it.
      const g = globalThis as { out?: unknown; torch?: unknown };
      await import(`data:text/javascript;base64,${Buffer.from(bytes).toString("base64")}`);
      if (b.name.startsWith("import")) assert.deepEqual(g.out, [4, 6]);
      else assert.equal(typeof (g.torch as { tensor?: unknown }).tensor, "function");
      delete g.out;
      delete g.torch;
    });
  }

  it("publint finds no error", () => {
    const out = run(process.execPath, [
      join(app, "node_modules", "publint", "src", "cli.js"),
      "run",
      tarball,
      "--level",
      "error",
    ]);
    assert.doesNotMatch(out, /Errors:/);
  });

  it("Are the Types Wrong finds no problem (ESM-only package)", () => {
    run(process.execPath, [
      join(app, "node_modules", "@arethetypeswrong", "cli", "dist", "index.js"),
      tarball,
      "--profile",
      "esm-only",
      "--format",
      "ascii",
    ]);
  });

  it("without a binary it runs on WebAssembly and says so once; TORCHLET_BACKEND silences it", () => {
    // Last: it removes the prebuild from the app (as on a platform the package has none for).
    rmSync(join(app, "node_modules", "torchlet", "native", "prebuilds"), { recursive: true });
    const script = `import * as torch from "torchlet"; torch.ones([2]).add(1); console.log(torch.getBackend().name);`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: app,
      env: userEnv(),
      encoding: "utf8",
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), "wasm");
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, r.stderr);
    assert.match(
      lines[0]!,
      /^torchlet: native backend not available \(no prebuilt or compiled addon for /,
    );
    assert.match(lines[0]!, /using the slower wasm backend/);
    const chosen = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: app,
      env: { ...userEnv(), TORCHLET_BACKEND: "wasm" },
      encoding: "utf8",
    });
    assert.equal(chosen.status, 0, chosen.stderr);
    assert.equal(chosen.stdout.trim(), "wasm");
    assert.equal(chosen.stderr, "");
  });
});
