import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../../src/index.js";
import type { Tensor } from "../../../src/index.js";
import { assertClose } from "../../helpers/assert.js";
import { decode, loadFixture, type EncodedTensor } from "../../helpers/fixtures.js";

const { nn } = torch;
type PackedSequence = torch.nn.utils.rnn.PackedSequence;

export interface RNNCase {
  name: string;
  type: "RNN" | "LSTM" | "GRU" | "RNNCell" | "LSTMCell" | "GRUCell";
  args: [number, number];
  options: Record<string, unknown>;
  dtype: "float32" | "float64";
  state: Record<string, EncodedTensor>;
  x: EncodedTensor;
  hx: EncodedTensor[];
  packed: { lengths: number[]; enforceSorted: boolean } | null;
  out: EncodedTensor;
  states: EncodedTensor[];
  wOut: EncodedTensor;
  wStates: EncodedTensor[];
  xGrad: EncodedTensor;
  hxGrads: EncodedTensor[];
  paramGrads: Record<string, EncodedTensor>;
  padded?: EncodedTensor;
  paddedLengths?: number[];
}

/** The torchlet module a fixture describes. */
export function buildRNN(
  type: RNNCase["type"],
  args: [number, number],
  options: Record<string, unknown>,
  dtype: "float32" | "float64" = "float32",
): torch.nn.Module {
  const o = { ...options, dtype } as never;
  switch (type) {
    case "RNN":
      return new nn.RNN(args[0], args[1], o);
    case "LSTM":
      return new nn.LSTM(args[0], args[1], o);
    case "GRU":
      return new nn.GRU(args[0], args[1], o);
    case "RNNCell":
      return new nn.RNNCell(args[0], args[1], o);
    case "LSTMCell":
      return new nn.LSTMCell(args[0], args[1], o);
    case "GRUCell":
      return new nn.GRUCell(args[0], args[1], o);
  }
}

/** Runs a module on (input, hx) and returns [output tensor, states] as the fixture lists them. */
export function runRNN(
  m: torch.nn.Module,
  type: RNNCase["type"],
  input: Tensor | PackedSequence,
  hx: Tensor[],
): { out: Tensor | PackedSequence; states: Tensor[] } {
  const h = hx.length === 0 ? null : hx.length === 1 ? hx[0]! : [hx[0]!, hx[1]!];
  const res = (m.forward as (x: unknown, h: unknown) => unknown)(input, h);
  if (type === "LSTMCell") {
    const [hy, cy] = res as [Tensor, Tensor];
    return { out: hy, states: [hy, cy] };
  }
  if (type === "RNNCell" || type === "GRUCell")
    return { out: res as Tensor, states: [res as Tensor] };
  if (type === "LSTM") {
    const [out, [hN, cN]] = res as [Tensor, [Tensor, Tensor]];
    return { out, states: [hN, cN] };
  }
  const [out, hN] = res as [Tensor, Tensor];
  return { out, states: [hN] };
}

const { cases } = loadFixture<{ cases: RNNCase[] }>("rnn", "layers");

function checkCase(c: RNNCase): void {
  const m = buildRNN(c.type, c.args, c.options, c.dtype);
  m.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, decode(v)])));
  const x = decode(c.x, { requiresGrad: true });
  const hx = c.hx.map((h) => decode(h, { requiresGrad: true }));
  const input = c.packed
    ? nn.utils.rnn.packPaddedSequence(x, c.packed.lengths, {
        batchFirst: c.options.batchFirst === true,
        enforceSorted: c.packed.enforceSorted,
      })
    : x;
  const { out, states } = runRNN(m, c.type, input, hx);
  const outT = out instanceof nn.utils.rnn.PackedSequence ? out.data : (out as Tensor);
  assert.equal(out instanceof nn.utils.rnn.PackedSequence, c.packed !== null, "output kind");
  assertClose(outT, c.out, { message: "output" });
  states.forEach((s, i) => assertClose(s, c.states[i]!, { message: `state ${i}` }));
  if (c.packed && c.padded) {
    const [padded, lengths] = nn.utils.rnn.padPackedSequence(out as PackedSequence, {
      batchFirst: c.options.batchFirst === true,
    });
    assertClose(padded, c.padded, { message: "padded output" });
    assert.deepEqual(Array.from(lengths.toArray()), c.paddedLengths);
  }
  let loss = outT.mul(decode(c.wOut)).sum();
  const cell = c.type.endsWith("Cell");
  // The generator adds the states' terms for the layers and for LSTMCell's c (h is the output).
  const extra = cell ? (c.type === "LSTMCell" ? [1] : []) : states.map((_, i) => i);
  for (const i of extra) loss = loss.add(states[i]!.mul(decode(c.wStates[i]!)).sum());
  loss.backward();
  // float32 gradients sum O(1) terms over every time step and direction in an order that differs
  // from ATen's, so their absolute error is ~1e-6 of the terms, not of the (smaller) sum.
  const g = c.dtype === "float32" ? { atol: 1e-5 } : {};
  assertClose(x.grad!, c.xGrad, { ...g, message: "input grad" });
  hx.forEach((h, i) => assertClose(h.grad!, c.hxGrads[i]!, { ...g, message: `hx ${i} grad` }));
  const params = Object.fromEntries(m.namedParameters());
  assert.deepEqual(Object.keys(params), Object.keys(c.paramGrads), "parameter names and order");
  for (const [k, want] of Object.entries(c.paramGrads)) {
    assertClose(params[k]!.grad!, want, { ...g, message: `${k} grad` });
  }
}

describe("recurrent layers vs PyTorch (forward, states, input/hx/parameter gradients)", () => {
  for (const c of cases) it(c.name, () => checkCase(c));
});

interface InitCase {
  type: RNNCase["type"];
  args: [number, number];
  options: Record<string, unknown>;
  seed: number;
  state: Record<string, EncodedTensor>;
  repr: string;
}
const init = loadFixture<{
  cases: InitCase[];
  dropout: {
    state: Record<string, EncodedTensor>;
    x: EncodedTensor;
    seed: number;
    out: EncodedTensor;
    h: EncodedTensor;
    outEval: EncodedTensor;
  };
}>("rnn", "init");

describe("recurrent layers: init, state dict and repr as PyTorch", () => {
  for (const c of init.cases) {
    it(`${c.type}(${c.args.join(", ")}) ${JSON.stringify(c.options)} after manualSeed(${c.seed})`, () => {
      torch.manualSeed(c.seed);
      const m = buildRNN(c.type, c.args, c.options);
      const sd = m.stateDict();
      assert.deepEqual(Object.keys(sd), Object.keys(c.state), "state dict keys in order");
      for (const [k, v] of Object.entries(c.state)) {
        assertClose(sd[k]!, v, { rtol: 0, atol: 0, message: k });
      }
      assert.equal(m.toString(), c.repr);
    });
  }

  it("dropout between layers draws PyTorch's masks in training and is off in eval", () => {
    const d = init.dropout;
    const m = new nn.LSTM(3, 4, { numLayers: 2, dropout: 0.5 });
    m.loadStateDict(Object.fromEntries(Object.entries(d.state).map(([k, v]) => [k, decode(v)])));
    torch.manualSeed(d.seed);
    const [out, [h]] = m.forward(decode(d.x));
    assertClose(out, d.out, { message: "training output" });
    assertClose(h, d.h, { message: "training hN" });
    m.eval();
    assertClose(m.forward(decode(d.x))[0], d.outEval, { message: "eval output" });
  });
});

describe("recurrent layers: gradcheck in float64", () => {
  const configs: [RNNCase["type"], Record<string, unknown>][] = [
    ["LSTM", { numLayers: 2, bidirectional: true, projSize: 2 }],
    ["GRU", { bidirectional: true }],
    ["RNN", { numLayers: 2 }],
  ];
  for (const [type, options] of configs) {
    it(`${type} ${JSON.stringify(options)}: input, h0 and weights, packed`, () => {
      torch.manualSeed(0);
      const m = buildRNN(type, [2, 3], options, "float64");
      const x = torch.randn([3, 2, 2], { dtype: "float64", requiresGrad: true });
      const params = [...m.parameters()];
      const fn = (xi: Tensor, ...ps: Tensor[]): Tensor => {
        void ps;
        const packed = nn.utils.rnn.packPaddedSequence(xi, [1, 3], { enforceSorted: false });
        const { out, states } = runRNN(m, type, packed, []);
        return (out as PackedSequence).data.sum().add(states[0]!.mul(2).sum());
      };
      assert.ok(torch.autograd.gradcheck(fn, [x, ...params]));
    });
  }
  it("LSTM over a full batch (the fused layer op): x, h0, c0 and every weight, projSize, bidirectional", () => {
    torch.manualSeed(2);
    const m = new nn.LSTM(2, 3, {
      numLayers: 2,
      bidirectional: true,
      projSize: 2,
      batchFirst: true,
      dtype: "float64",
    });
    const x = torch.randn([2, 3, 2], { dtype: "float64", requiresGrad: true });
    const h0 = torch.randn([4, 2, 2], { dtype: "float64", requiresGrad: true });
    const c0 = torch.randn([4, 2, 3], { dtype: "float64", requiresGrad: true });
    const fn = (xi: Tensor, hi: Tensor, ci: Tensor, ...ps: Tensor[]): Tensor => {
      void ps;
      const [out, [hN, cN]] = m.forward(xi, [hi, ci]);
      return out.mul(out).sum().add(hN.sum()).add(cN.mul(3).sum());
    };
    assert.ok(torch.autograd.gradcheck(fn, [x, h0, c0, ...m.parameters()]));
  });
  it("GRUCell and LSTMCell with given state", () => {
    torch.manualSeed(1);
    const gru = new nn.GRUCell(2, 3, { dtype: "float64" });
    const lstm = new nn.LSTMCell(2, 3, { dtype: "float64" });
    const x = torch.randn([2, 2], { dtype: "float64", requiresGrad: true });
    const h = torch.randn([2, 3], { dtype: "float64", requiresGrad: true });
    const c = torch.randn([2, 3], { dtype: "float64", requiresGrad: true });
    assert.ok(torch.autograd.gradcheck((a, b) => gru.forward(a!, b!), [x, h]));
    assert.ok(torch.autograd.gradcheck((a, b, d) => lstm.forward(a!, [b!, d!]), [x, h, c]));
  });
});

const errors = loadFixture<{ cases: { name: string; kind: string; error: string }[] }>(
  "rnn",
  "errors",
);
const z = (...s: number[]): Tensor => torch.zeros(s);
const pack = nn.utils.rnn;
const errorCalls: Record<string, () => unknown> = {
  "LSTM feature size": () => new nn.LSTM(8, 16).forward(z(5, 3, 4)),
  "GRU feature size batchFirst": () => new nn.GRU(8, 16, { batchFirst: true }).forward(z(3, 5, 4)),
  "LSTM 4-D input": () => new nn.LSTM(4, 16).forward(z(2, 5, 3, 4)),
  "RNN 4-D input": () => new nn.RNN(4, 16).forward(z(2, 5, 3, 4)),
  "RNN 1-D input": () => new nn.RNN(4, 16).forward(z(4)),
  "GRU hidden size": () => new nn.GRU(4, 16, { numLayers: 2 }).forward(z(5, 3, 4), z(1, 3, 16)),
  "RNN hidden batch": () => new nn.RNN(4, 16).forward(z(5, 3, 4), z(1, 2, 16)),
  "LSTM hidden[0] size": () =>
    new nn.LSTM(4, 16, { numLayers: 2 }).forward(z(5, 3, 4), [z(1, 3, 16), z(2, 3, 16)]),
  "LSTM hidden[1] size": () =>
    new nn.LSTM(4, 16, { projSize: 8 }).forward(z(5, 3, 4), [z(1, 3, 8), z(1, 3, 8)]),
  "RNN batched input 2-D hx": () => new nn.RNN(4, 16).forward(z(5, 3, 4), z(3, 16)),
  "GRU unbatched input 3-D hx": () => new nn.GRU(4, 16).forward(z(5, 4), z(1, 3, 16)),
  "LSTM batched input 2-D hx": () =>
    new nn.LSTM(4, 16).forward(z(5, 3, 4), [z(3, 16), z(1, 3, 16)]),
  "LSTM unbatched input 3-D hx": () => new nn.LSTM(4, 16).forward(z(5, 4), [z(1, 1, 16), z(1, 16)]),
  "packed feature size": () => new nn.LSTM(8, 16).forward(pack.packSequence([z(3, 4)])),
  "dropout out of range": () => new nn.LSTM(4, 16, { dropout: 1.5 }),
  "projSize >= hidden": () => new nn.LSTM(4, 16, { projSize: 16 }),
  "projSize negative": () => new nn.LSTM(4, 16, { projSize: -1 }),
  "RNN projSize": () => new nn.RNN(4, 16, { projSize: 2 } as never),
  "GRU projSize": () => new nn.GRU(4, 16, { projSize: 2 } as never),
  "RNN nonlinearity": () => new nn.RNN(4, 16, { nonlinearity: "sigmoid" } as never),
  "RNNCell 3-D input": () => new nn.RNNCell(4, 16).forward(z(2, 3, 4)),
  "LSTMCell 3-D input": () => new nn.LSTMCell(4, 16).forward(z(2, 3, 4)),
  "GRUCell 3-D input": () => new nn.GRUCell(4, 16).forward(z(2, 3, 4)),
  "GRUCell input size": () => new nn.GRUCell(4, 16).forward(z(3, 5)),
  "RNNCell hidden batch": () => new nn.RNNCell(4, 16).forward(z(3, 4), z(2, 16)),
  "RNNCell hidden size": () => new nn.RNNCell(4, 16).forward(z(3, 4), z(3, 8)),
  "LSTMCell hidden[1] size": () => new nn.LSTMCell(4, 16).forward(z(3, 4), [z(3, 16), z(3, 8)]),
  "pack unsorted lengths": () => pack.packPaddedSequence(z(5, 3, 2), [2, 5, 3]),
  "pack zero length": () => pack.packPaddedSequence(z(5, 3, 2), [5, 3, 0]),
  "pad total_length too short": () =>
    pack.padPackedSequence(pack.packPaddedSequence(z(5, 3, 2), [5, 3, 1]), { totalLength: 3 }),
};

describe("recurrent layers: errors in PyTorch's words", () => {
  for (const c of errors.cases) {
    it(c.name, () => {
      const call = errorCalls[c.name];
      assert.ok(call, `no torchlet call for ${c.name}`);
      assert.throws(call, (e: Error) => {
        assert.ok(e instanceof torch.TorchletError, `${e.name} is a TorchletError`);
        const want = c.kind === "ValueError" ? "ValueError" : null;
        if (want) assert.equal(e.name, want);
        assert.equal(e.message, c.error);
        return true;
      });
    });
  }
});
