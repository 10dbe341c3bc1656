/* Process-wide allocator settings that suit tensor storage owned by the JavaScript GC. */
#ifndef TORCHLET_MEMORY_H
#define TORCHLET_MEMORY_H

/* Stops glibc malloc from returning freed heap to the OS after every garbage collection (and
 * from mmapping each large tensor afresh), so that a new typed array reuses pages that are
 * already mapped instead of page-faulting through all of them. Returns 1 when applied, 0 when
 * the C library is not glibc or TORCHLET_MALLOC_TUNING=0. Called once, when the addon loads. */
int memory_tune_malloc(void);

#endif
