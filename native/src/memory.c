#include "memory.h"

#include <stdlib.h>
#include <string.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

/* Why: V8 allocates each ArrayBuffer's storage with calloc and frees it when the GC collects the
 * array, in bursts. With glibc's defaults (a trim threshold of twice the last mmapped chunk, and
 * chunks above ~128 KiB-32 MiB mmapped), those bursts shrink the heap back to the OS and the next
 * step faults every page in again: measured on the development VM, a fresh 1 MiB typed array
 * cost 160 µs instead of 29 µs, and a 512x512 matmul into a fresh output ran at ~60-110 instead
 * of ~185 GFLOP/s (bench/NATIVE.md). Keeping up to TRIM_KEEP bytes of free heap mapped bounds
 * what the process holds beyond its live tensors; memory stays flat across training steps. */
enum {
  MMAP_ABOVE = 32 << 20, /* glibc's own ceiling for its dynamic threshold */
  TRIM_KEEP = 256 << 20,
  TOP_PAD = 16 << 20,
};

int memory_tune_malloc(void) {
  const char *env = getenv("TORCHLET_MALLOC_TUNING");
  if (env && strcmp(env, "0") == 0) return 0;
#if defined(__GLIBC__)
  int ok = mallopt(M_MMAP_THRESHOLD, MMAP_ABOVE);
  ok &= mallopt(M_TRIM_THRESHOLD, TRIM_KEEP);
  ok &= mallopt(M_TOP_PAD, TOP_PAD);
  return ok ? 1 : 0;
#else
  return 0;
#endif
}
