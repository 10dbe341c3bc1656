// TensorFlow.js peer: `node tfjs.mjs <cpu|wasm>`, runs W1, W2 and W3 and prints JSON lines.
import { performance } from "node:perf_hooks";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { emit, gflops, layouts, stats, timeBatches, timeRuns } from "./common.mjs";

const backend = process.argv[2] ?? "cpu";
if (backend === "wasm") {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json"));
  wasm.setWasmPaths(join(dist, "dist") + "/");
}
await tf.setBackend(backend);
await tf.ready();
emit({ info: { tfjs: tf.version.tfjs, backend: tf.getBackend() } });

// W1: XOR, 2-2-1 sigmoid MLP, MSE, SGD lr 0.1, 10 000 full-batch epochs.
{
  const runs = [];
  let loss = NaN;
  for (let r = 0; r < 2; r++) {
    const x = tf.tensor2d([0, 0, 0, 1, 1, 0, 1, 1], [4, 2]);
    const y = tf.tensor2d([0, 1, 1, 0], [4, 1]);
    const w1 = tf.variable(tf.randomUniform([2, 2], -0.7, 0.7));
    const b1 = tf.variable(tf.randomUniform([2], -0.7, 0.7));
    const w2 = tf.variable(tf.randomUniform([2, 1], -0.7, 0.7));
    const b2 = tf.variable(tf.randomUniform([1], -0.7, 0.7));
    const opt = tf.train.sgd(0.1);
    const f = () => {
      const h = tf.sigmoid(tf.add(tf.matMul(x, w1), b1));
      const o = tf.sigmoid(tf.add(tf.matMul(h, w2), b2));
      return tf.mean(tf.square(tf.sub(o, y)));
    };
    const t = performance.now();
    for (let e = 0; e < 10000; e++) opt.minimize(f, false);
    runs.push(((performance.now() - t) * 1e3) / 10000);
    loss = f().dataSync()[0];
  }
  emit({ workload: "W1", unit: "µs/epoch", finalLoss: loss, ...stats(runs) });
}

// W2: float32 matrix product in four layouts.
const maxN = backend === "cpu" ? 1024 : 2048;
for (const n of [128, 512, 1024, 2048].filter((n) => n <= maxN)) {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  for (const layout of layouts) {
    const run = () => {
      const c = tf.matMul(a, b, layout[0] === "T", layout[1] === "T");
      c.dataSync();
      c.dispose();
    };
    const seconds = timeBatches(run, { reps: n >= 2048 ? 3 : 7 });
    emit({ workload: "W2", n, layout, unit: "GFLOP/s", ...gflops(n, seconds) });
  }
}

// W3: 784-256-128-10 ReLU MLP, softmax cross-entropy, SGD lr 0.01, batch 128, loss read each step.
{
  const x = tf.randomNormal([128, 784]);
  const labels = tf.oneHot(tf.randomUniform([128], 0, 10, "int32"), 10);
  const init = (i, o) => tf.variable(tf.randomUniform([i, o], -1 / Math.sqrt(i), 1 / Math.sqrt(i)));
  const params = [
    init(784, 256),
    tf.variable(tf.zeros([256])),
    init(256, 128),
    tf.variable(tf.zeros([128])),
    init(128, 10),
    tf.variable(tf.zeros([10])),
  ];
  const opt = tf.train.sgd(0.01);
  const step = () => {
    const loss = opt.minimize(() => {
      const [w1, b1, w2, b2, w3, b3] = params;
      const h1 = tf.relu(tf.add(tf.matMul(x, w1), b1));
      const h2 = tf.relu(tf.add(tf.matMul(h1, w2), b2));
      return tf.losses.softmaxCrossEntropy(labels, tf.add(tf.matMul(h2, w3), b3));
    }, true);
    loss.dataSync();
    loss.dispose();
  };
  const seconds = timeRuns(step, { maxReps: 1000, budgetMs: 3000, warmup: 20 });
  emit({ workload: "W3", unit: "samples/s", ...stats(seconds.map((s) => 128 / s)) });
}
