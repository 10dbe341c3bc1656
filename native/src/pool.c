#define _GNU_SOURCE
#include "pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define cpu_relax() _mm_pause()
#else
#define cpu_relax() ((void)0)
#endif

#define POOL_MAX 256

static pthread_mutex_t job_lock = PTHREAD_MUTEX_INITIALIZER; /* one job at a time */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static pthread_cond_t done = PTHREAD_COND_INITIALIZER;
static pthread_t workers[POOL_MAX];
static int n_workers = 0;   /* started workers (threads - 1) */
static int n_threads = 0;   /* wanted thread count; 0 = not chosen yet */
static int shutting_down = 0;
static _Atomic uint64_t generation = 0;

/* The current job. Workers with index < job_workers take part; each one decrements `pending`. */
static pool_task_fn job_fn;
static void *job_ctx;
static int64_t job_ntasks;
static int job_workers;
static _Atomic int pending;
static _Atomic int64_t next_task;
static uint64_t start_generation[POOL_MAX];

static void drain(void) {
  for (;;) {
    int64_t t = atomic_fetch_add_explicit(&next_task, 1, memory_order_relaxed);
    if (t >= job_ntasks) return;
    job_fn(job_ctx, t);
  }
}

/* How long a thread polls before sleeping on a condition variable. Waking a sleeping thread
 * costs tens of microseconds here (a futex and, in a VM, waking the vCPU), as much as a whole
 * 128x128 product; training issues kernels back to back, so workers that poll briefly after a
 * job (as OpenMP's and OpenBLAS's do) catch the next one at once. Bounded, so an idle process
 * stops using CPU within this time. */
#define SPIN_NS 200000

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static int job_posted(uint64_t seen) {
  return atomic_load_explicit(&generation, memory_order_acquire) != seen;
}

static int workers_done(uint64_t unused) {
  (void)unused;
  return atomic_load_explicit(&pending, memory_order_acquire) == 0;
}

/* Polls ready(arg) for up to SPIN_NS; the caller then sleeps on a condition variable if needed. */
static void spin_until(int (*ready)(uint64_t), uint64_t arg) {
  int64_t deadline = now_ns() + SPIN_NS;
  for (int i = 0; !ready(arg); i++) {
    cpu_relax();
    if ((i & 63) == 63) {
      if (now_ns() > deadline) return;
      sched_yield(); /* more threads than cores: let the one with work run */
    }
  }
}

static void *worker_main(void *arg) {
  int index = (int)(intptr_t)arg;
  uint64_t seen = start_generation[index]; /* jobs posted after its creation are its business */
  for (;;) {
    spin_until(job_posted, seen);
    pthread_mutex_lock(&mu); /* the job's fields were written under mu before generation moved */
    while (atomic_load(&generation) == seen && !shutting_down) pthread_cond_wait(&wake, &mu);
    if (shutting_down) break;
    seen = atomic_load(&generation);
    int mine = index < job_workers;
    pthread_mutex_unlock(&mu);
    if (!mine) continue;
    drain();
    if (atomic_fetch_sub(&pending, 1) == 1) { /* the last one out wakes a caller that slept */
      pthread_mutex_lock(&mu);
      pthread_cond_signal(&done);
      pthread_mutex_unlock(&mu);
    }
  }
  pthread_mutex_unlock(&mu);
  return NULL;
}

int pool_default_threads(void) {
#ifdef __linux__
  cpu_set_t set;
  /* The affinity mask respects taskset/cgroups; the online count is the fallback. */
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    int c = CPU_COUNT(&set);
    if (c > 0) return c < POOL_MAX ? c : POOL_MAX;
  }
#endif
  long c = sysconf(_SC_NPROCESSORS_ONLN);
  return c < 1 ? 1 : (c < POOL_MAX ? (int)c : POOL_MAX);
}

static void stop_workers(void) {
  pthread_mutex_lock(&mu);
  shutting_down = 1;
  pthread_cond_broadcast(&wake);
  pthread_mutex_unlock(&mu);
  for (int i = 0; i < n_workers; i++) pthread_join(workers[i], NULL);
  n_workers = 0;
  shutting_down = 0;
}

static void start_workers(void) {
  int want = n_threads - 1;
  while (n_workers < want) {
    start_generation[n_workers] = generation; /* no job is running: we hold job_lock */
    if (pthread_create(&workers[n_workers], NULL, worker_main, (void *)(intptr_t)n_workers) != 0)
      break; /* fewer threads is still correct */
    n_workers++;
  }
}

void pool_set_threads(int n) {
  if (n < 1) n = 1;
  if (n > POOL_MAX) n = POOL_MAX;
  pthread_mutex_lock(&job_lock);
  if (n_workers > n - 1) stop_workers();
  n_threads = n;
  pthread_mutex_unlock(&job_lock);
}

int pool_get_threads(void) {
  if (n_threads == 0) n_threads = pool_default_threads();
  return n_threads;
}

void pool_run(int64_t ntasks, int max_threads, pool_task_fn fn, void *ctx) {
  if (ntasks <= 0) return;
  int threads = pool_get_threads();
  if (max_threads < threads) threads = max_threads;
  if ((int64_t)threads > ntasks) threads = (int)ntasks;
  if (threads <= 1 || pthread_mutex_trylock(&job_lock) != 0) {
    for (int64_t t = 0; t < ntasks; t++) fn(ctx, t);
    return;
  }
  if (n_workers < n_threads - 1) start_workers();
  if (threads - 1 > n_workers) threads = n_workers + 1;
  pthread_mutex_lock(&mu);
  job_fn = fn;
  job_ctx = ctx;
  job_ntasks = ntasks;
  job_workers = threads - 1;
  atomic_store(&pending, threads - 1);
  atomic_store(&next_task, 0);
  atomic_fetch_add(&generation, 1);
  pthread_cond_broadcast(&wake);
  pthread_mutex_unlock(&mu);
  drain();
  /* The workers finish their last tasks within microseconds of the caller: poll, then sleep. */
  spin_until(workers_done, 0);
  pthread_mutex_lock(&mu);
  while (atomic_load(&pending) > 0) pthread_cond_wait(&done, &mu);
  pthread_mutex_unlock(&mu);
  pthread_mutex_unlock(&job_lock);
}

static int eager = 0;

void pool_set_eager(int on) { eager = on; }

int pool_threads_for(double work, double grain) {
  int max = pool_get_threads();
  if (eager) return max;
  double t = work / grain;
  return t < 1 ? 1 : (t < max ? (int)t : max);
}
