// A GRU forward + backward (seq 64, batch 32, 64 -> 256, 2 layers): the composite path's cost.
//   npx tsx bench/micro/gru-step.ts [native|wasm|reference]
import * as torch from "../../src/node.js";
torch.setBackend(process.argv[2] ?? "native");
torch.manualSeed(0);
const gru = new torch.nn.GRU(64, 256, { numLayers: 2 });
const x = torch.randn([64, 32, 64], { requiresGrad: true });
const step = (): void => {
  const [out] = gru.forward(x);
  out.sum().backward();
};
step();
const t = performance.now();
for (let i = 0; i < 3; i++) step();
console.log(`GRU step ${((performance.now() - t) / 3).toFixed(0)} ms`);
