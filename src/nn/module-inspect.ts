/**
 * console.log(model) and util.inspect(model) print the module tree (PyTorch's `print(model)`)
 * instead of the instance's fields. Installed on Module.prototype, so every subclass and every
 * instance (callable or not) inherits it; the key is a registered symbol, so no node:util import.
 */
import { inspectCustom } from "../tensor/format.js";
import { Module } from "./module.js";

Object.defineProperty(Module.prototype, inspectCustom, {
  value: function inspect(this: Module): string {
    return this.toString();
  },
  writable: true,
  configurable: true,
  enumerable: false,
});
