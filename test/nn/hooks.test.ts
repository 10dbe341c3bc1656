// Module calls and hooks against PyTorch (fixtures/nn/hooks.json from scripts/fixtures/hooks.py).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { assertClose } from "../helpers/assert.js";
import { decode, loadFixture, type EncodedTensor } from "../helpers/fixtures.js";

const { nn } = torch;
type Enc = EncodedTensor;
const fx = loadFixture<{
  weight: Enc;
  bias: Enc;
  x: Enc;
  hooked: Enc;
  hookedArgs0: Enc;
  hookedTwice: Enc;
  unhooked: Enc;
  order: string[];
  seq: { state: Record<string, Enc>; acts: Enc[]; y: Enc };
}>("nn", "hooks");

function linearFromFixture(): torch.nn.Linear {
  const lin = new nn.Linear(3, 2);
  lin.loadStateDict({ weight: decode(fx.weight), bias: decode(fx.bias) });
  return lin;
}

describe("module calls", () => {
  it("model(x) equals model.forward(x) and model.call(x)", () => {
    const lin = linearFromFixture();
    const x = decode(fx.x);
    assertClose(lin(x), fx.unhooked);
    assertClose(lin.forward(x), fx.unhooked);
    assertClose(lin.call(x), fx.unhooked);
  });

  it("a module is a function object that is still an instance of its class", () => {
    const lin = new nn.Linear(3, 2);
    assert.equal(typeof lin, "function");
    assert.ok(lin instanceof nn.Linear && lin instanceof nn.Module);
    assert.deepEqual(Object.keys(lin.stateDict()), ["weight", "bias"]);
    assert.equal(String(lin), "Linear(in_features=3, out_features=2, bias=True)");
  });

  it("a subclass may use the names `name` and `length` like any field", () => {
    class Named extends nn.Module {
      override name = "encoder";
      override length = 3;
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const m = new Named();
    assert.equal(m.name, "encoder");
    assert.equal(m.length, 3);
    m.name = "decoder";
    assert.equal(m.name, "decoder");
    assert.equal(new nn.Sequential(new nn.ReLU(), new nn.ReLU()).length, 2);
  });

  it("calls pass every argument and return forward's result as it is", () => {
    class Pair extends nn.Module {
      forward(a: Tensor, b: Tensor, options: { scale?: number } = {}): [Tensor, number] {
        return [a.add(b).mul(options.scale ?? 1), 7];
      }
    }
    const [out, seven] = new Pair()(torch.ones(2), torch.ones(2), { scale: 3 });
    assert.deepEqual(Array.from(out.toArray()), [6, 6]);
    assert.equal(seven, 7);
  });

  it("calls are typed from forward (npm run typecheck checks the lines below)", () => {
    class Example extends nn.Module {
      fc = new nn.Linear(2, 1);
      forward(x: Tensor): [Tensor, Tensor] {
        return [this.fc(x), x];
      }
    }
    const model = new Example();
    const [pred, hidden]: [Tensor, Tensor] = model(torch.ones(1, 2));
    assert.deepEqual(
      [pred.shape, hidden.shape],
      [
        [1, 1],
        [1, 2],
      ],
    );
    const typeChecksOnly = (): void => {
      // @ts-expect-error: forward takes a Tensor, not a number
      model(3);
      // @ts-expect-error: forward takes one argument
      model(torch.ones(1, 2), torch.ones(1, 2));
      // @ts-expect-error: the result is a tuple, not a Tensor
      model(torch.ones(1, 2)).sum();
      const loss: Tensor = new nn.MSELoss()(pred, pred);
      void loss;
    };
    void typeChecksOnly;
  });

  it("ModuleList keeps its members' types and Sequential calls through hooks", () => {
    const layers = new nn.ModuleList([new nn.Linear(2, 2), new nn.Linear(2, 2)]);
    let x = torch.ones(1, 2);
    for (const layer of layers) x = layer(x);
    assert.deepEqual(x.shape, [1, 2]);
  });
});

describe("forward hooks, as PyTorch's", () => {
  it("a pre-hook replaces the arguments, a forward hook the output, and sees the new arguments", () => {
    const lin = linearFromFixture();
    const x = decode(fx.x);
    let seenArgs0: Tensor | null = null;
    const h1 = lin.registerForwardPreHook((_m, args) => [(args[0] as Tensor).mul(2)]);
    const h2 = lin.registerForwardHook((_m, args, output) => {
      seenArgs0 = args[0] as Tensor;
      return (output as Tensor).add(1);
    });
    assertClose(lin(x), fx.hooked);
    assertClose(seenArgs0!, fx.hookedArgs0);
    // A pre-hook returning one value (not an array) replaces the single argument.
    const h3 = lin.registerForwardPreHook((_m, args) => (args[0] as Tensor).add(1));
    assertClose(lin(x), fx.hookedTwice);
    h1.remove();
    h2.remove();
    h3.remove();
    h1.remove(); // twice is harmless
    assertClose(lin(x), fx.unhooked);
  });

  it("global hooks run before the module's own, in registration order", () => {
    const lin = linearFromFixture();
    const order: string[] = [];
    const handles = [
      nn.registerModuleForwardPreHook(() => void order.push("global pre")),
      nn.registerModuleForwardHook(() => void order.push("global fwd")),
      lin.registerForwardPreHook(() => void order.push("pre a")),
      lin.registerForwardHook(() => void order.push("fwd a")),
    ];
    lin(decode(fx.x));
    for (const h of handles) h.remove();
    assert.deepEqual(order, fx.order);
    lin(decode(fx.x));
    assert.equal(order.length, fx.order.length, "removed hooks do not run");
  });

  it("prepend puts a hook before those registered earlier (PyTorch 2's prepend=True)", () => {
    const lin = new nn.Linear(3, 2);
    const order: string[] = [];
    const a = lin.registerForwardHook(() => void order.push("a"));
    const b = lin.registerForwardHook(() => void order.push("b"), { prepend: true });
    lin(torch.zeros(1, 3));
    a.remove();
    b.remove();
    assert.deepEqual(order, ["b", "a"]);
  });

  it("hooks on Sequential's layers see each layer's output", () => {
    const seq = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 1));
    seq.loadStateDict(
      Object.fromEntries(Object.entries(fx.seq.state).map(([k, v]) => [k, decode(v)])),
    );
    const acts: Tensor[] = [];
    const handles = [...seq].map((m) =>
      m.registerForwardHook((_m, _a, o) => void acts.push(o as Tensor)),
    );
    assertClose(seq(decode(fx.x)), fx.seq.y);
    for (const h of handles) h.remove();
    assert.equal(acts.length, 3);
    acts.forEach((a, i) => assertClose(a, fx.seq.acts[i]!));
  });

  it("a hook that is not a function is refused", () => {
    const lin = new nn.Linear(3, 2);
    assert.throws(
      () => lin.registerForwardHook(42 as unknown as () => void),
      /hook must be a function, but got number/,
    );
  });
});
