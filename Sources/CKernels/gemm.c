/*
 * Packed, register-blocked GEMM (Goto/BLIS style) for float and double, row-major, with
 * microkernels for AVX-512F, AVX2+FMA and portable C (GCC/Clang vector extensions), chosen at
 * run time. This file holds the public entry points (see CKernels.h), the instruction-set
 * dispatch and the per-thread packing scratch; the kernels are generated from gemm_kernel.h in
 * gemm_avx512_f32.c, gemm_avx512_f64.c, gemm_avx2_f32.c, gemm_avx2_f64.c and gemm_portable.c.
 */
#include "CKernels.h"
#include "gemm_internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

/*
 * Packing scratch: an A, a B and a shared-B buffer per thread, kept between calls (thread-specific
 * data, freed when the thread exits) so repeated products neither call malloc nor fault in fresh
 * pages. Only a shared product's packed op(B) is read by other threads, while its owner waits for
 * them; a call never re-enters itself.
 */
typedef struct {
    void *buffer[CK_SCRATCH_SLOTS];
    size_t capacity[CK_SCRATCH_SLOTS];
} ck_scratch_t;

static pthread_key_t ck_scratch_key;
static pthread_once_t ck_scratch_once = PTHREAD_ONCE_INIT;
static int ck_scratch_key_ok = 0; /* written once inside pthread_once */

static void ck_scratch_destroy(void *p) {
    ck_scratch_t *s = (ck_scratch_t *)p;
    for (int slot = 0; slot < CK_SCRATCH_SLOTS; slot++) free(s->buffer[slot]);
    free(s);
}

static void ck_scratch_init(void) { ck_scratch_key_ok = pthread_key_create(&ck_scratch_key, ck_scratch_destroy) == 0; }

void *ck_scratch(int slot, size_t bytes) {
    pthread_once(&ck_scratch_once, ck_scratch_init);
    if (!ck_scratch_key_ok) abort();
    ck_scratch_t *s = (ck_scratch_t *)pthread_getspecific(ck_scratch_key);
    if (!s) {
        s = (ck_scratch_t *)calloc(1, sizeof *s);
        if (!s || pthread_setspecific(ck_scratch_key, s) != 0) abort();
    }
    if (s->capacity[slot] < bytes) {
        free(s->buffer[slot]);
        size_t rounded = ((bytes + bytes / 4) + 4095) & ~(size_t)4095;
        void *p = NULL;
        if (posix_memalign(&p, 64, rounded) != 0) abort();
        s->buffer[slot] = p;
        s->capacity[slot] = rounded;
    }
    return s->buffer[slot];
}

/* ------------------------------------------------------------------------------------------ */
/* Dispatch                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static atomic_int ck_supported_cache = -1; /* detected once; every thread computes the same value */

static int ck_detect(void) {
#if CK_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return CK_ISA_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return CK_ISA_AVX2;
#endif
    return CK_ISA_PORTABLE;
}

int ck_isa(void) {
    int isa = atomic_load_explicit(&ck_supported_cache, memory_order_relaxed);
    if (isa < 0) {
        isa = ck_detect();
        atomic_store_explicit(&ck_supported_cache, isa, memory_order_relaxed);
    }
    return isa;
}

long ck_gemm_mr(int isDouble) {
    (void)isDouble;
    switch (ck_isa()) {
    case CK_ISA_AVX512: return 12;
    case CK_ISA_AVX2: return 6;
    default: return 4;
    }
}

long ck_gemm_nr(int isDouble) {
    switch (ck_isa()) {
    case CK_ISA_AVX512: return isDouble ? 16 : 32;
    case CK_ISA_AVX2: return isDouble ? 8 : 16;
    default: return isDouble ? 4 : 8;
    }
}

static int ck_clamp_isa(int isa) {
    int best = ck_isa();
    if (isa > best) isa = best;
    if (isa < 0) isa = 0;
    return isa;
}

/* C = beta * C (C not read when beta == 0): the whole result when alpha == 0 or K == 0. */
#define CK_SCALE(T)                                                                                            \
    for (long i = 0; i < M; i++) {                                                                             \
        T *ci = C + i * ldc;                                                                                   \
        if (beta == (T)0) memset(ci, 0, (size_t)N * sizeof(T));                                                \
        else if (beta != (T)1)                                                                                 \
            for (long j = 0; j < N; j++) ci[j] *= beta;                                                        \
    }

void ck_sgemm_isa(int isa, int transA, int transB, long M, long N, long K, float alpha, const float *A, long lda,
                  const float *B, long ldb, float beta, float *C, long ldc) {
    if (M <= 0 || N <= 0) return;
    if (alpha == 0.0f || K <= 0) {
        CK_SCALE(float)
        return;
    }
    transA = transA != 0;
    transB = transB != 0;
    switch (ck_clamp_isa(isa)) {
#if CK_X86
    case CK_ISA_AVX512: ck_gemm_s_avx512(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc); break;
    case CK_ISA_AVX2: ck_gemm_s_avx2(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc); break;
#endif
    default: ck_gemm_s_portable(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc); break;
    }
}

void ck_dgemm_isa(int isa, int transA, int transB, long M, long N, long K, double alpha, const double *A,
                  long lda, const double *B, long ldb, double beta, double *C, long ldc) {
    if (M <= 0 || N <= 0) return;
    if (alpha == 0.0 || K <= 0) {
        CK_SCALE(double)
        return;
    }
    transA = transA != 0;
    transB = transB != 0;
    switch (ck_clamp_isa(isa)) {
#if CK_X86
    case CK_ISA_AVX512: ck_gemm_d_avx512(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc); break;
    case CK_ISA_AVX2: ck_gemm_d_avx2(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc); break;
#endif
    default: ck_gemm_d_portable(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc); break;
    }
}

void ck_sgemm(int transA, int transB, long M, long N, long K, float alpha, const float *A, long lda,
              const float *B, long ldb, float beta, float *C, long ldc) {
    ck_sgemm_isa(ck_isa(), transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void ck_dgemm(int transA, int transB, long M, long N, long K, double alpha, const double *A, long lda,
              const double *B, long ldb, double beta, double *C, long ldc) {
    ck_dgemm_isa(ck_isa(), transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

/* ------------------------------------------------------------------------------------------ */
/* Products with op(B) packed beforehand                                                       */
/* ------------------------------------------------------------------------------------------ */

/* The packed layout depends on the instruction set and the element type: one switch per entry
   point, on the clamped level (the same one for packing and multiplying). */
#if CK_X86
#define CK_PREPACKED_SWITCH(isa, prefix, t, args)                                                              \
    switch (ck_clamp_isa(isa)) {                                                                               \
    case CK_ISA_AVX512: return prefix##_##t##_avx512 args;                                                     \
    case CK_ISA_AVX2: return prefix##_##t##_avx2 args;                                                         \
    default: return prefix##_##t##_portable args;                                                              \
    }
#else
#define CK_PREPACKED_SWITCH(isa, prefix, t, args) return prefix##_##t##_portable args;
#endif

long ck_sgemm_packed_b_size(int isa, long N, long K) {
    if (N <= 0 || K <= 0) return 0;
    CK_PREPACKED_SWITCH(isa, ck_packed_b_elements, s, (N, K))
}

long ck_dgemm_packed_b_size(int isa, long N, long K) {
    if (N <= 0 || K <= 0) return 0;
    CK_PREPACKED_SWITCH(isa, ck_packed_b_elements, d, (N, K))
}

void ck_sgemm_pack_b(int isa, int transB, long N, long K, const float *B, long ldb, float *Bp) {
    if (N <= 0 || K <= 0) return;
    CK_PREPACKED_SWITCH(isa, ck_pack_b_whole, s, (transB != 0, N, K, B, ldb, Bp))
}

void ck_dgemm_pack_b(int isa, int transB, long N, long K, const double *B, long ldb, double *Bp) {
    if (N <= 0 || K <= 0) return;
    CK_PREPACKED_SWITCH(isa, ck_pack_b_whole, d, (transB != 0, N, K, B, ldb, Bp))
}

void ck_sgemm_prepacked(int isa, int transA, long M, long N, long K, float alpha, const float *A, long lda,
                        const float *Bp, float beta, float *C, long ldc) {
    if (M <= 0 || N <= 0) return;
    if (alpha == 0.0f || K <= 0) {
        CK_SCALE(float)
        return;
    }
    CK_PREPACKED_SWITCH(isa, ck_gemm_prepacked, s, (transA != 0, M, N, K, alpha, A, lda, Bp, beta, C, ldc))
}

void ck_dgemm_prepacked(int isa, int transA, long M, long N, long K, double alpha, const double *A, long lda,
                        const double *Bp, double beta, double *C, long ldc) {
    if (M <= 0 || N <= 0) return;
    if (alpha == 0.0 || K <= 0) {
        CK_SCALE(double)
        return;
    }
    CK_PREPACKED_SWITCH(isa, ck_gemm_prepacked, d, (transA != 0, M, N, K, alpha, A, lda, Bp, beta, C, ldc))
}

#undef CK_PREPACKED_SWITCH

/* ------------------------------------------------------------------------------------------ */
/* Shared products                                                                             */
/* ------------------------------------------------------------------------------------------ */

static ck_gemm_job *ck_job_create(int isa, int isDouble, int transA, int transB, long M, long N, long K, double alpha,
                                  const void *A, long lda, const void *B, long ldb, double beta, void *C, long ldc,
                                  long threads) {
    if (threads < 2 || M <= 0 || N <= 0 || K <= 0 || alpha == 0.0) return NULL;
    ck_gemm_job *job = (ck_gemm_job *)calloc(1, sizeof *job);
    if (!job) abort();
    job->isa = ck_clamp_isa(isa);
    job->isDouble = isDouble;
    job->transA = transA != 0;
    job->transB = transB != 0;
    job->M = M, job->N = N, job->K = K, job->lda = lda, job->ldb = ldb, job->ldc = ldc;
    job->alpha = alpha, job->beta = beta;
    job->A = A, job->B = B, job->C = C;
    int shared;
    switch (job->isa) {
#if CK_X86
    case CK_ISA_AVX512: shared = isDouble ? ck_job_plan_d_avx512(job, threads) : ck_job_plan_s_avx512(job, threads); break;
    case CK_ISA_AVX2: shared = isDouble ? ck_job_plan_d_avx2(job, threads) : ck_job_plan_s_avx2(job, threads); break;
#endif
    default: shared = isDouble ? ck_job_plan_d_portable(job, threads) : ck_job_plan_s_portable(job, threads); break;
    }
    if (!shared) {
        free(job);
        return NULL;
    }
    job->Bp = job->packedBytes ? ck_scratch(CK_SCRATCH_SHARED_B, job->packedBytes) : NULL;
    atomic_init(&job->next, 0);
    job->packed = (atomic_long *)calloc((size_t)(job->panels + job->rowTasks), sizeof(atomic_long));
    if (!job->packed) abort();
    job->done = job->packed + job->panels;
    for (long i = 0; i < job->panels + job->rowTasks; i++) atomic_init(&job->packed[i], 0);
    return job;
}

ck_gemm_job *ck_sgemm_job(int isa, int transA, int transB, long M, long N, long K, float alpha, const float *A,
                          long lda, const float *B, long ldb, float beta, float *C, long ldc, long threads) {
    return ck_job_create(isa, 0, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, threads);
}

ck_gemm_job *ck_dgemm_job(int isa, int transA, int transB, long M, long N, long K, double alpha, const double *A,
                          long lda, const double *B, long ldb, double beta, double *C, long ldc, long threads) {
    return ck_job_create(isa, 1, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, threads);
}

void ck_gemm_job_work(ck_gemm_job *job) {
    switch (job->isa) {
#if CK_X86
    case CK_ISA_AVX512: job->isDouble ? ck_job_work_d_avx512(job) : ck_job_work_s_avx512(job); break;
    case CK_ISA_AVX2: job->isDouble ? ck_job_work_d_avx2(job) : ck_job_work_s_avx2(job); break;
#endif
    default: job->isDouble ? ck_job_work_d_portable(job) : ck_job_work_s_portable(job); break;
    }
}

void ck_gemm_job_free(ck_gemm_job *job) {
    free(job->packed);
    free(job);
}
