// Node adapter: kernel outputs (binary, unary, matmul, cast, where) skip zero-filling. Every
// backend kernel writes each element of its output, so calloc's memset is wasted work there:
// ~40 -> ~6 µs for an 800 KB gradient on the development machine (allocateForOverwrite in
// src/tensor/dtype.ts). `node --zero-fill-buffers` zero-fills these too.
import { Buffer } from "node:buffer";
import { setUninitializedAllocator } from "../tensor/dtype.js";

setUninitializedAllocator({
  buffer: (bytes) => Buffer.allocUnsafeSlow(bytes).buffer as ArrayBuffer,
  minBytes: 4096,
});
