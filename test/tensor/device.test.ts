// Devices on the CPU vs PyTorch (scripts/fixtures/devices.py -> fixtures/devices/devices.json):
// torch.device, `{ device }` on factories, the `to` overloads, model.to(device), torch.cuda.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import * as torch from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { nn } from "../../src/index.js";
import { loadFixture } from "../helpers/fixtures.js";

interface DeviceFixture {
  devices: { name: string; str: string; repr: string; type: string; index: number | null }[];
  to: { name: string; dtype: string; device: string; same: boolean; gradFn: string | null }[];
  tensorDevice: string;
  module: { to_device_returns_self: boolean; param_device: string; to_dtype: string };
}

const fx = loadFixture<DeviceFixture>("devices", "devices");

const made: Record<string, () => torch.Device> = {
  cpu: () => torch.device("cpu"),
  cpu_0: () => torch.device("cpu:0"),
  cpu_index: () => torch.device("cpu", 0),
};

describe("torch.device vs PyTorch", () => {
  for (const c of fx.devices) {
    it(`${c.name}: str ${c.str}, repr ${c.repr}`, () => {
      const d = made[c.name]!();
      assert.equal(String(d), c.str);
      assert.equal(`${d}`, c.str);
      assert.equal(d.repr(), c.repr);
      assert.equal(inspect(d), c.repr);
      assert.equal(d.type, c.type);
      assert.equal(d.index, c.index);
    });
  }

  it("compares by type and index, as PyTorch's ==", () => {
    assert.ok(torch.device("cpu").equals("cpu"));
    assert.ok(torch.device("cpu:0").equals(torch.device("cpu", 0)));
    assert.ok(!torch.device("cpu").equals("cpu:0"));
  });

  it("a tensor's device is the CPU", () => {
    const t = torch.zeros([2]);
    assert.equal(inspect(t.device), fx.tensorDevice);
    assert.ok(t.device.equals("cpu"));
    assert.equal(t.isCuda, false);
  });

  it("CUDA, MPS and unknown devices are DeviceErrors naming the devices that exist", () => {
    for (const spec of ["cuda", "cuda:0", "mps"]) {
      assert.throws(() => torch.device(spec), {
        name: "DeviceError",
        message: new RegExp(`device '${spec}' is not available: .*devices available: cpu$`),
      });
    }
    assert.throws(() => torch.device("cuda"), { message: /Torch not compiled with CUDA enabled/ });
    assert.throws(() => torch.device("tpu"), {
      name: "DeviceError",
      message: "Expected a device type such as cpu at start of device string: tpu",
    });
    assert.throws(() => torch.device("cpu:1"), { name: "DeviceError", message: /index 0/ });
    assert.throws(() => torch.device("cpu:0", 0), { name: "DeviceError" });
  });

  it("torch.cuda reports no CUDA", () => {
    assert.equal(torch.cuda.isAvailable(), false);
    assert.equal(torch.cuda.deviceCount(), 0);
    const device = torch.device(torch.cuda.isAvailable() ? "cuda" : "cpu");
    assert.equal(String(device), "cpu");
  });
});

describe("factories take a device", () => {
  const factories: Record<string, (device: string | torch.Device) => Tensor> = {
    zeros: (device) => torch.zeros([2], { device }),
    ones: (device) => torch.ones([2, 3], { device }),
    full: (device) => torch.full([2], 1.5, { device }),
    tensor: (device) => torch.tensor([1, 2], { device }),
    arange: (device) => torch.arange(3, { device }),
    eye: (device) => torch.eye(2, { device }),
    randn: (device) => torch.randn([2], { device }),
    rand: (device) => torch.rand([2], { device }),
    zerosLike: (device) => torch.zerosLike(torch.ones([2]), { device }),
  };
  for (const [name, make] of Object.entries(factories)) {
    it(`${name} on "cpu" and torch.device("cpu"); "cuda" refused`, () => {
      assert.ok(make("cpu").device.equals("cpu"));
      assert.ok(make(torch.device("cpu")).device.equals("cpu"));
      assert.throws(() => make("cuda"), { name: "DeviceError", message: /devices available: cpu/ });
    });
  }
});

describe("Tensor.to overloads vs PyTorch", () => {
  const x = torch.tensor([1.5, -2.0], { requiresGrad: true });
  const y64 = torch.zeros(3, { dtype: "float64" });
  const calls: Record<string, () => Tensor> = {
    dtype: () => x.to("float64"),
    same_dtype: () => x.to("float32"),
    device_str: () => x.to("cpu"),
    device_obj: () => x.to(torch.device("cpu")),
    device_dtype: () => x.to("cpu", "float64"),
    keywords: () => x.to({ device: "cpu", dtype: "float64" }),
    keywords_device: () => x.to({ device: torch.device("cpu") }),
    other: () => x.to(y64),
    copy: () => x.to("float32", { copy: true }),
    cpu: () => x.cpu(),
  };
  for (const c of fx.to) {
    it(c.name, () => {
      const out = calls[c.name]!();
      assert.equal(out.dtype, c.dtype);
      assert.equal(String(out.device), c.device);
      assert.equal(out === x, c.same);
      assert.equal(out.gradFn?.name ?? null, c.gradFn);
    });
  }

  it('to("cuda"), cuda() and a bad string are DeviceErrors', () => {
    assert.throws(() => x.to("cuda"), { name: "DeviceError", message: /devices available: cpu/ });
    assert.throws(() => x.to("cuda:0", "float64"), { name: "DeviceError" });
    assert.throws(() => x.cuda(), { name: "DeviceError", message: /CUDA/ });
    assert.throws(() => x.to("float16" as "float32"), {
      name: "DeviceError",
      message: /expected a dtype or a device, got "float16"/,
    });
  });
});

describe("Module.to with devices", () => {
  it("to(device) returns the module and keeps it on the CPU, as PyTorch's", () => {
    const lin = new nn.Linear(2, 1);
    assert.equal(lin.to("cpu") === lin, fx.module.to_device_returns_self);
    assert.equal(lin.to(torch.device("cpu")), lin);
    assert.equal(String(lin.weight.device), fx.module.param_device);
    assert.equal(lin.weight.dtype, "float32");
  });

  it("to(dtype), to(device, dtype), to({ dtype }) and to(tensor) convert the parameters", () => {
    const lin = new nn.Linear(2, 1);
    const w = lin.weight;
    lin.to("float64");
    assert.equal(lin.weight.dtype, fx.module.to_dtype);
    assert.equal(lin.weight, w);
    lin.to("cpu", "float32");
    assert.equal(lin.weight.dtype, "float32");
    lin.to({ device: "cpu", dtype: "float64" });
    assert.equal(lin.bias!.dtype, "float64");
    lin.to(torch.zeros([1]));
    assert.equal(lin.weight.dtype, "float32");
  });

  it("layers take { device } as PyTorch's factory keywords; cuda is refused", () => {
    const layers: Record<string, (device: string) => nn.Module> = {
      Linear: (device) => new nn.Linear(2, 3, { device }),
      Conv2d: (device) => new nn.Conv2d(1, 2, 3, { device }),
      Embedding: (device) => new nn.Embedding(4, 2, { device }),
      LayerNorm: (device) => new nn.LayerNorm(4, { device }),
      BatchNorm1d: (device) => new nn.BatchNorm1d(4, { device }),
    };
    for (const [name, make] of Object.entries(layers)) {
      const m = make("cpu");
      for (const p of m.parameters()) assert.ok(p.device.equals("cpu"), name);
      assert.throws(() => make("cuda:0"), { name: "DeviceError" }, name);
    }
  });

  it('to("cuda") is a DeviceError naming the CPU, not an unknown dtype', () => {
    const lin = new nn.Linear(2, 1);
    assert.throws(() => lin.to("cuda"), {
      name: "DeviceError",
      message:
        "device 'cuda' is not available: Torch not compiled with CUDA enabled; devices available: cpu",
    });
    assert.throws(() => lin.to("int64"), { name: "ValueError", message: /floating point/ });
  });
});
