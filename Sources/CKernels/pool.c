/*
 * The worker threads behind every parallel region of the framework (ck_parallel_for, see
 * CKernels.h): GEMM jobs, and the parallel loops of the Swift side.
 *
 * Waking a sleeping thread costs tens of microseconds here, as long as a whole 128 x 128 x 128
 * product on one core; MKL's OpenMP threads avoid it by polling for a while after each parallel
 * region. These workers do the same: after a loop each polls for the next one for about
 * CK_POOL_POLL_NS, yielding the processor at every poll, then sleeps on a condition variable
 * until woken. One set of threads serves every region, so they never compete with another pool.
 *
 * One loop at a time: a caller that finds the workers busy (another thread's loop, or a loop
 * started inside a part) runs all its parts itself. A loop is published as (fn, context, parts,
 * slots, generation): a worker that sees a new generation joins if it can take one of the
 * `slots`, then takes parts from `next` until none is left, as the caller does; the caller, once
 * out of parts, takes the remaining slots so no one else can join, and waits for the workers that
 * joined. Only then does it return, and can the next loop be published.
 */
#include "CKernels.h"
#include "gemm_internal.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

/* How long an idle worker keeps polling before it sleeps. */
#define CK_POOL_POLL_NS 200000L
/* The most workers ever started: a loop that asks for more threads runs on these. */
#define CK_POOL_MAX_WORKERS 255

static pthread_mutex_t ck_pool_busy = PTHREAD_MUTEX_INITIALIZER; /* held by the caller of a loop */
static pthread_mutex_t ck_pool_lock = PTHREAD_MUTEX_INITIALIZER; /* guards sleeping and starting */
static pthread_cond_t ck_pool_wake = PTHREAD_COND_INITIALIZER;
static long ck_pool_workers = 0;                    /* started so far; under ck_pool_lock */
static ck_part_fn ck_pool_fn;                       /* the published loop: written before its */
static void *ck_pool_context;                       /* generation, read after joining it */
static long ck_pool_parts;
static atomic_long ck_pool_next_part = 0;           /* the next part to take */
static atomic_long ck_pool_generation = 0;          /* bumped to publish a loop */
static atomic_long ck_pool_slots = 0;               /* workers that may still join it */
static atomic_long ck_pool_finished = 0;            /* workers that joined it and are done */
static atomic_long ck_pool_sleepers = 0;            /* workers waiting on ck_pool_wake */

static long ck_now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)t.tv_sec * 1000000000L + t.tv_nsec;
}

/* Waits until the generation differs from `seen` and returns it: polls, then sleeps. */
static long ck_pool_next(long seen) {
    const long deadline = ck_now_ns() + CK_POOL_POLL_NS;
    for (;;) {
        const long generation = atomic_load(&ck_pool_generation);
        if (generation != seen) return generation;
        if (ck_now_ns() > deadline) break;
        sched_yield();
    }
    pthread_mutex_lock(&ck_pool_lock);
    atomic_fetch_add(&ck_pool_sleepers, 1);
    long generation;
    /* The publisher bumps the generation before it reads ck_pool_sleepers (both sequentially
       consistent), so either it sees this sleeper and broadcasts under the lock, or this load
       sees the new generation. */
    while ((generation = atomic_load(&ck_pool_generation)) == seen) pthread_cond_wait(&ck_pool_wake, &ck_pool_lock);
    atomic_fetch_sub(&ck_pool_sleepers, 1);
    pthread_mutex_unlock(&ck_pool_lock);
    return generation;
}

/* Runs parts of the published loop until none is left. */
static void ck_pool_take_parts(void) {
    for (;;) {
        const long part = atomic_fetch_add(&ck_pool_next_part, 1);
        if (part >= ck_pool_parts) return;
        ck_pool_fn(ck_pool_context, part);
    }
}

static void *ck_pool_worker(void *unused) {
    (void)unused;
    long seen = atomic_load(&ck_pool_generation);
    for (;;) {
        seen = ck_pool_next(seen);
        long slots = atomic_load(&ck_pool_slots);
        while (slots > 0 && !atomic_compare_exchange_weak(&ck_pool_slots, &slots, slots - 1)) {}
        if (slots <= 0) continue; /* the loop is full or already closed */
        ck_pool_take_parts();
        atomic_fetch_add(&ck_pool_finished, 1);
    }
    return NULL;
}

/* Starts workers until there are `count` (or as many as the system allows); returns how many run. */
static long ck_pool_start(long count) {
    if (count > CK_POOL_MAX_WORKERS) count = CK_POOL_MAX_WORKERS;
    pthread_mutex_lock(&ck_pool_lock);
    while (ck_pool_workers < count) {
        pthread_t thread;
        pthread_attr_t attributes;
        if (pthread_attr_init(&attributes) != 0) break;
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        const int failed = pthread_create(&thread, &attributes, ck_pool_worker, NULL);
        pthread_attr_destroy(&attributes);
        if (failed) break;
        ck_pool_workers++;
    }
    const long running = ck_pool_workers;
    pthread_mutex_unlock(&ck_pool_lock);
    return running;
}

void ck_parallel_for(long parts, long threads, ck_part_fn fn, void *context) {
    if (threads > parts) threads = parts;
    if (threads < 2 || pthread_mutex_trylock(&ck_pool_busy) != 0) {
        for (long part = 0; part < parts; part++) fn(context, part);
        return;
    }
    long helpers = ck_pool_start(threads - 1);
    if (helpers > threads - 1) helpers = threads - 1;
    ck_pool_fn = fn;
    ck_pool_context = context;
    ck_pool_parts = parts;
    atomic_store(&ck_pool_next_part, 0);
    atomic_store(&ck_pool_finished, 0);
    atomic_store(&ck_pool_slots, helpers);
    atomic_fetch_add(&ck_pool_generation, 1);
    if (atomic_load(&ck_pool_sleepers) > 0) {
        pthread_mutex_lock(&ck_pool_lock);
        pthread_cond_broadcast(&ck_pool_wake);
        pthread_mutex_unlock(&ck_pool_lock);
    }
    ck_pool_take_parts();
    const long joined = helpers - atomic_exchange(&ck_pool_slots, 0);
    /* The workers that joined are finishing their last parts: spin briefly, then yield the
       processor (one of them may be waiting for it). */
    for (long spins = 0; atomic_load(&ck_pool_finished) < joined; spins++) {
        if (spins < 1000) ck_pause();
        else sched_yield();
    }
    pthread_mutex_unlock(&ck_pool_busy);
}

static void ck_gemm_job_part(void *job, long part) {
    (void)part;
    ck_gemm_job_work((ck_gemm_job *)job);
}

void ck_gemm_job_run(ck_gemm_job *job, long threads) { ck_parallel_for(threads, threads, ck_gemm_job_part, job); }
