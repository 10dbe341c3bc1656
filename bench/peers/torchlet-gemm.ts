// torchlet's W2 (float32 matrix product) on one backend: `tsx torchlet-gemm.ts <backend> <threads>`.
import * as torch from "../../src/node.js"; // the Node entry: native backend, thread host
import { emit, gflops, layouts, timeBatches } from "./common.mjs";

const [backend = "wasm", threads = "1"] = process.argv.slice(2);
torch.setBackend(backend);
torch.setNumThreads(Number(threads));
const sizes = backend === "reference" ? [128, 256] : [128, 256, 512, 1024, 2048];
for (const n of sizes) {
  const data = Float32Array.from({ length: n * n }, () => Math.random() - 0.5);
  const a = torch.tensor(data).reshape([n, n]);
  const b = torch.tensor(data.map((v) => -v)).reshape([n, n]);
  for (const layout of layouts) {
    const x = layout[0] === "T" ? a.t() : a;
    const y = layout[1] === "T" ? b.t() : b;
    const seconds = timeBatches(() => x.matmul(y), { reps: n >= 2048 ? 3 : 7 });
    emit({ workload: "W2", n, layout, unit: "GFLOP/s", ...gflops(n, seconds) });
  }
}
