// Strided copy as im2col does it (x [64, 16, 28, 28] -> windows [64, 16, 3, 3, 26, 26]), on the
// reference backend: `node --import tsx bench/micro/strided-copy.ts`, ns per element.
import { performance } from "node:perf_hooks";
import { ReferenceBackend } from "../../src/backend/reference/index.js";

const backend = new ReferenceBackend();
const [N, C, H, W, k] = [64, 16, 28, 28, 3];
const o = H - k + 1;
const src = new Float32Array(N * C * H * W).map((_, i) => i % 97);
const shape = [N, C, k, k, o, o];
const dst = new Float32Array(shape.reduce((a, b) => a * b, 1));
const strides = [C * H * W, H * W, W, 1, W, 1];
const cstr = [C * k * k * o * o, k * k * o * o, k * o * o, o * o, o, 1];
const run = (): void =>
  backend.copy(
    { data: src, shape, strides, offset: 0 },
    { data: dst, shape, strides: cstr, offset: 0 },
  );
run();
const times: number[] = [];
for (let r = 0; r < 5; r++) {
  const t = performance.now();
  run();
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
console.log(
  `strided copy of ${dst.length} elements: median ${times[2]!.toFixed(1)} ms, ` +
    `${((times[2]! * 1e6) / dst.length).toFixed(2)} ns/element`,
);
