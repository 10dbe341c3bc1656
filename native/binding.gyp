{
  "targets": [
    {
      "target_name": "torchlet_native",
      "sources": ["src/addon.c", "src/gemm.c", "src/elementwise.c", "src/memory.c", "src/pool.c", "src/softmax.c", "src/windows.c"],
      "cflags": ["-O3", "-std=c11", "-ffp-contract=fast", "-fno-math-errno", "-pthread"],
      "ldflags": ["-pthread"],
      "libraries": ["-lm"],
      "xcode_settings": {
        "GCC_OPTIMIZATION_LEVEL": "3",
        "OTHER_CFLAGS": ["-std=c11", "-ffp-contract=fast"]
      }
    }
  ]
}
