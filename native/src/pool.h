/* A persistent pthread pool: the calling thread plus n-1 sleeping workers share a job's tasks. */
#ifndef TORCHLET_POOL_H
#define TORCHLET_POOL_H
#include <stdint.h>

typedef void (*pool_task_fn)(void *ctx, int64_t task);

/* Runs fn(ctx, t) for t in [0, ntasks) on at most `max_threads` threads (the caller included) and
 * returns when all are done. Reentrant calls (another thread already running a job) run serially
 * on the caller, so nothing deadlocks and nothing is oversubscribed. */
void pool_run(int64_t ntasks, int max_threads, pool_task_fn fn, void *ctx);

/* PyTorch's set_num_threads/get_num_threads: the intra-op thread count, default = usable cores. */
void pool_set_threads(int n);
int pool_get_threads(void);
int pool_default_threads(void);

/* Threads worth waking for `work` units when one thread should get at least `grain` of them
 * (waking a worker costs tens of microseconds). Capped by pool_get_threads(). With eager mode on
 * (tests), every call uses all threads however small, so the threaded paths get exercised. */
int pool_threads_for(double work, double grain);
void pool_set_eager(int on);

#endif
