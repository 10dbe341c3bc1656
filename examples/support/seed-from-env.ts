// Preloaded by `npm start` (node --import): SEED=n in the environment seeds torchlet's generator
// before the program runs, so the founding program itself stays as the seed wrote it, with no
// manualSeed (PyTorch, too, starts from a random seed). Without SEED the run is random.
import * as torch from "torchlet";

const seed = process.env.SEED;
if (seed !== undefined && seed !== "") {
  if (!/^-?\d+$/.test(seed))
    throw new Error(`SEED must be an integer, got ${JSON.stringify(seed)}`);
  torch.manualSeed(Number(seed));
}
