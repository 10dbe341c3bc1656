// A small character-level GPT, written line for line as its PyTorch original
// (examples/pytorch/gpt.py, in the style of nanoGPT): token + position embeddings, pre-LayerNorm
// blocks of causal self-attention and a GELU MLP, a weight-tied head, AdamW with decay/no-decay
// parameter groups, gradient clipping, a cosine LR schedule and top-k sampling, trained on
// data/text/input.txt. Run: npx tsx examples/gpt.ts [--steps N]
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as torch from "torchlet";
import { nn, optim, type Tensor } from "torchlet";

const F = nn.F;
const ROOT = fileURLToPath(new URL("..", import.meta.url));

export class Config {
  constructor(
    readonly vocabSize: number,
    readonly blockSize = 64,
    readonly nLayer = 4,
    readonly nHead = 4,
    readonly nEmbd = 128,
    readonly dropout = 0.0,
  ) {}
}

// Submodule names are PyTorch's (c_attn, ln_1, lm_head, ...) so that the state dicts are equal.
class CausalSelfAttention extends nn.Module {
  c_attn: nn.Linear;
  c_proj: nn.Linear;
  resid_dropout: nn.Dropout;
  readonly nHead: number;
  readonly nEmbd: number;
  readonly dropout: number;

  constructor(config: Config) {
    super();
    if (config.nEmbd % config.nHead !== 0) throw new Error("n_embd must be divisible by n_head");
    this.c_attn = new nn.Linear(config.nEmbd, 3 * config.nEmbd);
    this.c_proj = new nn.Linear(config.nEmbd, config.nEmbd);
    this.resid_dropout = new nn.Dropout(config.dropout);
    this.nHead = config.nHead;
    this.nEmbd = config.nEmbd;
    this.dropout = config.dropout;
  }

  forward(x: Tensor): Tensor {
    const [B, T, C] = x.shape as [number, number, number];
    let [q, k, v] = this.c_attn(x).split(this.nEmbd, 2) as [Tensor, Tensor, Tensor];
    k = k.view(B, T, this.nHead, C / this.nHead).transpose(1, 2);
    q = q.view(B, T, this.nHead, C / this.nHead).transpose(1, 2);
    v = v.view(B, T, this.nHead, C / this.nHead).transpose(1, 2);
    // PyTorch 2's fused attention; the twin writes the same masked softmax out by hand.
    const y = F.scaledDotProductAttention(q, k, v, {
      dropoutP: this.training ? this.dropout : 0,
      isCausal: true,
    });
    const merged = y.transpose(1, 2).contiguous().view(B, T, C);
    return this.resid_dropout(this.c_proj(merged));
  }
}

class MLP extends nn.Module {
  c_fc: nn.Linear;
  gelu = new nn.GELU();
  c_proj: nn.Linear;
  dropout: nn.Dropout;

  constructor(config: Config) {
    super();
    this.c_fc = new nn.Linear(config.nEmbd, 4 * config.nEmbd);
    this.c_proj = new nn.Linear(4 * config.nEmbd, config.nEmbd);
    this.dropout = new nn.Dropout(config.dropout);
  }

  forward(x: Tensor): Tensor {
    return this.dropout(this.c_proj(this.gelu(this.c_fc(x))));
  }
}

class Block extends nn.Module {
  ln_1: nn.LayerNorm;
  attn: CausalSelfAttention;
  ln_2: nn.LayerNorm;
  mlp: MLP;

  constructor(config: Config) {
    super();
    this.ln_1 = new nn.LayerNorm(config.nEmbd);
    this.attn = new CausalSelfAttention(config);
    this.ln_2 = new nn.LayerNorm(config.nEmbd);
    this.mlp = new MLP(config);
  }

  forward(x: Tensor): Tensor {
    x = x.add(this.attn(this.ln_1(x)));
    return x.add(this.mlp(this.ln_2(x)));
  }
}

/** PyTorch's `nn.ModuleDict(dict(wte=..., wpe=..., drop=..., h=..., ln_f=...))`, typed. */
class Backbone extends nn.Module {
  wte: nn.Embedding;
  wpe: nn.Embedding;
  drop: nn.Dropout;
  h: nn.ModuleList;
  ln_f: nn.LayerNorm;

  constructor(config: Config) {
    super();
    this.wte = new nn.Embedding(config.vocabSize, config.nEmbd);
    this.wpe = new nn.Embedding(config.blockSize, config.nEmbd);
    this.drop = new nn.Dropout(config.dropout);
    this.h = new nn.ModuleList(Array.from({ length: config.nLayer }, () => new Block(config)));
    this.ln_f = new nn.LayerNorm(config.nEmbd);
  }

  forward(): never {
    throw new Error("Backbone is a container: GPT.forward runs its parts");
  }
}

export class GPT extends nn.Module {
  transformer: Backbone;
  lm_head: nn.Linear;

  constructor(readonly config: Config) {
    super();
    this.transformer = new Backbone(config);
    this.lm_head = new nn.Linear(config.nEmbd, config.vocabSize, { bias: false });
    this.transformer.wte.weight = this.lm_head.weight; // weight tying
    this.apply((m) => GPT.initWeights(m));
    torch.noGrad(() => {
      for (const [pn, p] of this.namedParameters()) {
        if (pn.endsWith("c_proj.weight")) {
          nn.init.normal_(p, 0.0, 0.02 / Math.sqrt(2 * config.nLayer));
        }
      }
    });
  }

  private static initWeights(module: nn.Module): void {
    if (module instanceof nn.Linear) {
      nn.init.normal_(module.weight, 0.0, 0.02);
      if (module.bias !== null) nn.init.zeros_(module.bias);
    } else if (module instanceof nn.Embedding) {
      nn.init.normal_(module.weight, 0.0, 0.02);
    }
  }

  forward(idx: Tensor, targets: Tensor | null = null): [Tensor, Tensor | null] {
    const [, t] = idx.shape as [number, number];
    const pos = torch.arange(0, t, { dtype: "int32" });
    const tokEmb = this.transformer.wte(idx);
    const posEmb = this.transformer.wpe(pos);
    let x = this.transformer.drop(tokEmb.add(posEmb));
    for (const block of this.transformer.h) x = (block as Block)(x);
    x = this.transformer.ln_f(x);
    const logits = this.lm_head(x);
    let loss: Tensor | null = null;
    if (targets !== null) {
      const V = logits.shape[logits.ndim - 1]!;
      loss = F.crossEntropy(logits.view(-1, V), targets.view(-1));
    }
    return [logits, loss];
  }

  configureOptimizers(weightDecay: number, learningRate: number, betas: [number, number]) {
    const params = [...this.parameters()].filter((p) => p.requiresGrad);
    const decay = params.filter((p) => p.ndim >= 2);
    const noDecay = params.filter((p) => p.ndim < 2);
    const groups = [
      { params: decay, weightDecay },
      { params: noDecay, weightDecay: 0.0 },
    ];
    return new optim.AdamW(groups, { lr: learningRate, betas });
  }

  generate(idx: Tensor, maxNewTokens: number, temperature = 1.0, topK: number | null = null) {
    return torch.noGrad(() => {
      for (let i = 0; i < maxNewTokens; i++) {
        const T = idx.shape[1]!;
        const bs = this.config.blockSize;
        const idxCond = T <= bs ? idx : idx.narrow(1, T - bs, bs);
        const [logitsAll] = this.forward(idxCond);
        let logits = logitsAll.select(1, -1).div(temperature);
        if (topK !== null) {
          const k = Math.min(topK, logits.shape[logits.ndim - 1]!);
          const [v] = torch.topk(logits, k);
          logits = logits.maskedFill(logits.lt(v.narrow(1, k - 1, 1)), -Infinity);
        }
        const probs = F.softmax(logits, -1);
        const idxNext = torch.multinomial(probs, 1);
        idx = torch.cat([idx, idxNext], 1);
      }
      return idx;
    });
  }
}

/** The lr factor: linear warm-up, then cosine decay to minRatio. */
export function cosineLr(warmup: number, total: number, minRatio = 0.1): (it: number) => number {
  return (it) => {
    if (it < warmup) return (it + 1) / warmup;
    const progress = Math.min(1.0, (it - warmup) / Math.max(1, total - warmup));
    return minRatio + 0.5 * (1 - minRatio) * (1 + Math.cos(Math.PI * progress));
  };
}

export function loadText(): { text: string; chars: string[]; data: Tensor } {
  const text = readFileSync(`${ROOT}data/text/input.txt`, "utf8");
  const chars = [...new Set(text)].sort();
  const stoi = new Map(chars.map((c, i) => [c, i]));
  return {
    text,
    chars,
    data: torch.tensor(
      [...text].map((c) => stoi.get(c)!),
      { dtype: "int32" },
    ),
  };
}

export function getBatch(
  data: Tensor,
  blockSize: number,
  batchSize: number,
  ix: number[] | null = null,
): [Tensor, Tensor] {
  ix ??= torch.randint(data.shape[0]! - blockSize, [batchSize]).tolist() as number[];
  const x = torch.stack(ix.map((i) => data.narrow(0, i, blockSize)));
  const y = torch.stack(ix.map((i) => data.narrow(0, i + 1, blockSize)));
  return [x, y];
}

function unigramEntropy(data: Tensor, vocabSize: number): number {
  const counts = new Array<number>(vocabSize).fill(0);
  for (const i of data.tolist() as number[]) counts[i]!++;
  const n = data.shape[0]!;
  return -counts.filter((c) => c > 0).reduce((s, c) => s + (c / n) * Math.log(c / n), 0);
}

function main(): void {
  const stepsArg = process.argv.indexOf("--steps");
  const steps = stepsArg >= 0 ? Number(process.argv[stepsArg + 1]) : 200;
  const { chars, data } = loadText();
  const n = Math.floor(0.9 * data.shape[0]!);
  const trainData = data.narrow(0, 0, n);
  const valData = data.narrow(0, n, data.shape[0]! - n);
  torch.manualSeed(1337);
  const config = new Config(chars.length, 64, 4, 4, 128, 0.1);
  const model = new GPT(config);
  const numParams = [...model.parameters()].reduce((s, p) => s + p.numel(), 0);
  console.log(`${numParams} parameters, vocabulary of ${chars.length} characters`);
  console.log(
    `unigram entropy of the text: ${unigramEntropy(data, chars.length).toFixed(4)} nats/char`,
  );
  const optimizer = model.configureOptimizers(0.1, 3e-3, [0.9, 0.95]);
  const scheduler = new optim.lrScheduler.LambdaLR(optimizer, { lrLambda: cosineLr(20, steps) });
  const start = performance.now();
  for (let step = 0; step < steps; step++) {
    const [x, y] = getBatch(trainData, config.blockSize, 32);
    const [, loss] = model(x, y);
    optimizer.zeroGrad({ setToNone: true });
    loss!.backward();
    nn.utils.clipGradNorm_(model.parameters(), 1.0);
    optimizer.step();
    scheduler.step();
    if (step % 25 === 0 || step === steps - 1) {
      const secs = ((performance.now() - start) / 1000).toFixed(1);
      const lr = scheduler.getLastLr()[0]!.toExponential(2);
      console.log(`step ${step}: loss ${loss!.item().toFixed(4)} lr ${lr} (${secs}s)`);
    }
  }
  model.eval();
  const losses = torch.noGrad(() =>
    Array.from({ length: 10 }, () => model(...getBatch(valData, config.blockSize, 32))[1]!.item()),
  );
  console.log(`validation loss: ${(losses.reduce((a, b) => a + b) / losses.length).toFixed(4)}`);
  const startIds = torch.tensor([[chars.indexOf("A")]], { dtype: "int32" });
  const out = model.generate(startIds, 300, 0.8, 10);
  console.log("sample:");
  console.log((out.select(0, 0).tolist() as number[]).map((i) => chars[i]).join(""));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
