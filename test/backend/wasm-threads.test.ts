import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import type { StridedView } from "../../src/backend/backend.js";
import { WasmBackend } from "../../src/backend/wasm/index.js";
import { nodeThreadHost } from "../../src/backend/wasm/node-threads.js";
import { Slot } from "../../src/backend/wasm/pool-protocol.js";
import {
  getNumThreads,
  poolStats,
  setNumThreads,
  setThreadHost,
} from "../../src/backend/wasm/threads.js";
import { ValueError } from "../../src/errors.js";
import { randomF32, rng, rowMajor, view } from "./wasm-helpers.js";

/** A [...batch, rows, cols] matrix, stored transposed or not. */
function matrix(batch: number[], rows: number, cols: number, t: boolean, next: () => number) {
  const stored = t ? [...batch, cols, rows] : [...batch, rows, cols];
  const strides = rowMajor(stored);
  const nd = strides.length;
  if (t) [strides[nd - 2], strides[nd - 1]] = [strides[nd - 1]!, strides[nd - 2]!];
  const data = randomF32(
    stored.reduce((p, s) => p * s, 1),
    next,
  );
  return view(data, [...batch, rows, cols], strides);
}

function product(backend: WasmBackend, a: StridedView, b: StridedView, threads: number) {
  const nd = a.shape.length;
  const out = new Float32Array(
    a.shape.slice(0, nd - 1).reduce((p, s) => p * s, 1) * b.shape[nd - 1]!,
  );
  setNumThreads(threads);
  backend.matmul(a, b, out);
  return out;
}

/** Runs `fn` with a thread count, restoring the previous one. */
function withThreads<T>(n: number, fn: () => T): T {
  const before = getNumThreads();
  setNumThreads(n);
  try {
    return fn();
  } finally {
    setNumThreads(before);
  }
}

describe("wasm thread pool", () => {
  // gemmThreads 0: every product above the WASM threshold is split over the pool.
  const backend = new WasmBackend({ thresholds: { gemm: 0, gemmThreads: 0 } });
  const next = rng(5);

  it("gives threaded products bit-identical to one thread (all layouts, odd sizes, batches)", () => {
    const before = getNumThreads();
    const jobs = poolStats.jobs;
    try {
      const cases: [number[], number, number, number][] = [
        [[], 67, 45, 131],
        [[], 133, 300, 21],
        [[], 5, 7, 9],
        [[3], 37, 29, 41],
        [[2, 5], 9, 17, 13],
      ];
      const layouts = [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const;
      for (const [batch, m, k, n] of cases) {
        for (const [ta, tb] of layouts) {
          const a = matrix(batch, m, k, ta, next);
          const b = matrix(batch, k, n, tb, next);
          const one = product(backend, a, b, 1);
          for (const threads of [3, 2]) {
            const got = product(backend, a, b, threads);
            assert.deepEqual(got, one, `${batch} ${m}x${k}x${n} ${ta} ${tb}, ${threads} threads`);
          }
        }
      }
      // b broadcast over the batch (stride 0)
      const a = matrix([4], 30, 20, false, next);
      const b2 = matrix([], 20, 50, true, next);
      const b = { ...b2, shape: [4, 20, 50], strides: [0, ...b2.strides] };
      assert.deepEqual(product(backend, a, b, 2), product(backend, a, b, 1), "broadcast");
      assert.equal(
        poolStats.jobs - jobs,
        cases.length * 4 * 2 + 1,
        "every threaded product ran on the pool",
      );
    } finally {
      setNumThreads(before);
    }
  });

  it("starts workers only for products above the threading threshold", () => {
    const t = new WasmBackend({ thresholds: { gemm: 0, gemmThreads: 64 * 64 * 64 } });
    withThreads(2, () => {
      const jobs = poolStats.jobs;
      product(t, matrix([], 32, 64, false, next), matrix([], 64, 64, false, next), 2);
      assert.equal(poolStats.jobs, jobs, "below the threshold: no pool job");
      product(t, matrix([], 64, 64, false, next), matrix([], 64, 64, false, next), 2);
      assert.equal(poolStats.jobs, jobs + 1, "at the threshold: one pool job");
      assert.ok(poolStats.workers >= 1, "2 threads = the caller + at least 1 worker");
    });
    withThreads(1, () => {
      const jobs = poolStats.jobs;
      product(t, matrix([], 128, 64, false, next), matrix([], 64, 64, false, next), 1);
      assert.equal(poolStats.jobs, jobs, "setNumThreads(1): no pool job");
    });
  });

  it("never uses threads with private memory", () => {
    const p = new WasmBackend({ memory: "private", thresholds: { gemm: 0, gemmThreads: 0 } });
    withThreads(3, () => {
      const jobs = poolStats.jobs;
      const a = matrix([], 40, 40, false, next);
      const want = product(backend, a, a, 1);
      assert.deepEqual(product(p, a, a, 3), want);
      assert.equal(poolStats.jobs, jobs);
    });
  });

  it("computes on the calling thread where it may not block (a browser's main thread)", () => {
    const spawned: number[] = [];
    setThreadHost({
      cores: 4,
      canBlock: false,
      spawn: (init) => (spawned.push(init.index), { terminate() {} }),
    });
    try {
      assert.equal(getNumThreads() >= 1, true);
      const a = matrix([], 64, 64, false, next);
      const want = withThreads(1, () => product(backend, a, a, 1));
      const jobs = poolStats.jobs;
      assert.deepEqual(
        withThreads(4, () => product(backend, a, a, 4)),
        want,
      );
      assert.equal(poolStats.jobs, jobs);
      assert.deepEqual(spawned, [], "no worker started");
    } finally {
      setThreadHost(nodeThreadHost);
    }
  });

  it("falls back to one thread, with the same numbers, when workers cannot start", (t) => {
    const warn = t.mock.method(console, "warn", () => {});
    setThreadHost({
      cores: 2,
      canBlock: true,
      spawn(init) {
        Atomics.store(new Int32Array(init.control), Slot.Failed, 1); // as node-threads' bootstrap does
        return { terminate() {} };
      },
    });
    try {
      const a = matrix([], 64, 64, false, next);
      const want = withThreads(1, () => product(backend, a, a, 1));
      const jobs = poolStats.jobs;
      assert.deepEqual(
        withThreads(2, () => product(backend, a, a, 2)),
        want,
      );
      assert.equal(poolStats.jobs, jobs, "no pool job");
      assert.equal(warn.mock.callCount(), 1);
      assert.match(
        String(warn.mock.calls[0]!.arguments[0]),
        /did not start; computing on one thread/,
      );
    } finally {
      setThreadHost(nodeThreadHost);
    }
  });

  it("has PyTorch's setNumThreads/getNumThreads semantics", () => {
    const before = getNumThreads();
    try {
      for (const n of [1, 2, 3]) {
        setNumThreads(n);
        assert.equal(getNumThreads(), n);
      }
      // torch.set_num_threads(0): RuntimeError: set_num_threads expects a positive integer
      assert.throws(() => setNumThreads(0), {
        name: "ValueError",
        message: "setNumThreads expects a positive integer",
      });
      assert.throws(() => setNumThreads(-2), ValueError);
      assert.throws(() => setNumThreads(1.5), /setNumThreads expects an integer, but got 1.5/);
      assert.equal(getNumThreads(), 3, "a rejected value leaves the count unchanged");
    } finally {
      setNumThreads(before);
    }
  });

  it("defaults to the available cores in Node (a fresh process)", () => {
    const code = `
      import os from "node:os";
      import * as torch from "./src/index.ts";
      import "./src/backend/wasm/node-threads.ts";
      console.log(torch.getNumThreads() === os.availableParallelism() ? "ok" : "bad");`;
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", code],
      {
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    assert.equal(run.stdout.trim(), "ok", run.stderr);
  });

  it("lets the process exit promptly after using the pool", () => {
    // The program ends by itself (no process.exit): idle, unref'd workers must not hold it.
    const code = `
      import * as torch from "./src/index.ts";
      import "./src/backend/wasm/node-threads.ts";
      import { poolStats } from "./src/backend/wasm/threads.ts";
      torch.setNumThreads(2);
      const a = torch.ones([192, 192]); // 192³ m·n·k: above defaultThresholds.gemmThreads
      const s = a.matmul(a).sum().item();
      console.log(s, poolStats.jobs, poolStats.workers);`;
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", code],
      {
        encoding: "utf8",
        timeout: 60_000, // generous: the machine may be slow, but a hung pool never exits
      },
    );
    assert.equal(run.signal, null, `killed after the timeout: the pool kept the process alive`);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), `${192 ** 3} 1 1`);
  });
});
