/*
 * Internal declarations shared by the CKernels GEMM translation units (not a public header).
 * gemm.c holds the public entry points and the per-thread scratch; gemm_avx512_*.c,
 * gemm_avx2_*.c and gemm_portable.c each instantiate gemm_kernel.h for one instruction set, so
 * the build compiles them in parallel.
 */
#ifndef CK_GEMM_INTERNAL_H
#define CK_GEMM_INTERNAL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define CK_X86 1
#include <immintrin.h>
#else
#define CK_X86 0
#endif

#define CK_CAT_(a, b) a##b
#define CK_CAT(a, b) CK_CAT_(a, b)
#define CK_ALWAYS_INLINE inline __attribute__((always_inline))
#define CK_NOINLINE __attribute__((noinline))
#define CK_HIDDEN __attribute__((visibility("hidden")))
/* Makes x opaque to the optimiser (it must assume the value changed). */
#define CK_OPAQUE(x) __asm__("" : "+r"(x))
#if defined(__clang__)
#define CK_UNROLL _Pragma("clang loop unroll(full)")
#define CK_NOVECTORIZE _Pragma("clang loop vectorize(disable)")
#elif defined(__GNUC__)
#define CK_UNROLL _Pragma("GCC unroll 16")
#define CK_NOVECTORIZE
#else
#define CK_UNROLL
#define CK_NOVECTORIZE
#endif

/* How many k steps ahead a microkernel prefetches its B rows (8 measured best of 4, 8, 16, 32:
   about 9 % more GFLOP/s at the median on gemm1024, none at the best). */
#define CK_B_PREFETCH_STEPS 8

/* How many rows of A ahead the packing of a transposed op(A) prefetches (ck_pack_a). 8 measured
   best of 2, 4 and 8 on Zen 3 in a product whose op(A) stayed in L3 between repetitions (13.5 %
   of the samples of a transposed 1024 x 2048 by 2048 x 256 product in the packing, against 17 %
   at 2 and 4); inside an LSTM language model's step, where op(A) (the gates' gradient, 8 MiB)
   comes from further away, 32 (with the packing eight rows at a time) gave the packing 2.0 to
   3.3 % of the step's samples in five `perf record` runs, against 3.2 to 4.1 % in three at 8 row
   by row, and 2.9 to 3.1 % at 8, 2.8 % at 16 and 3.0 % at 64 eight rows at a time. */
#define CK_A_PREFETCH_ROWS 32

/* A spin-wait hint for the loops that wait on another thread (PAUSE on x86-64). */
static inline void ck_pause(void) {
#if CK_X86
    _mm_pause();
#endif
}

/* The most B slivers for which the direct algorithm reads a transposed op(A) in place rather
   than packing it strip by strip (see ck_direct_packs_a). Measured on Zen 3 (AVX2, NR 16) with
   Scripts/gemm-vs-mkl.sh, op(A) transposed: 64 x 64 by 64 x 32 (the attention's dV = P^T dO and
   dK = dS^T Q per head) went from 0.84-0.88 to 1.09-1.12 times MKL's speed; 64 x 128 by 128 x 32
   from 37 to 53 GFLOP/s and 64 x 256 by 256 x 64 from 47 to 61 (medians); 96 x 128 by 128 x 128
   (eight slivers) was level (59 and 57). */
#define CK_DIRECT_A_INPLACE_SLIVERS 4

/* Bytes of stack scratch the direct path uses for small transposed or packed operands. */
#define CK_DIRECT_STACK 16384

/* The per-thread packing buffers (see ck_scratch in gemm.c): A and B blocks, and the whole
   packed op(B) that a shared product's caller owns (see ck_gemm_job). */
enum { CK_SCRATCH_A = 0, CK_SCRATCH_B = 1, CK_SCRATCH_SHARED_B = 2, CK_SCRATCH_SLOTS = 3 };

/* A 64-byte aligned buffer of at least `bytes` for `slot`, owned by the calling thread and valid
   until its next request for that slot. */
CK_HIDDEN void *ck_scratch(int slot, size_t bytes);

/*
 * Whether to skip packing op(B) (the direct algorithm): when op(B) fits comfortably in L2
 * (K x N at most 192 KiB, three eighths of a 512 KiB L2), when there is a single row strip
 * (M <= MR: op(B) is read once anyway), or when there is little work. Otherwise op(B) is packed in
 * L2-sized blocks (the packed algorithm). Every strip of the direct algorithm walks all K rows of
 * op(B) in place, and on a 512 KiB L2 (AMD EPYC, Zen 3) that lost at 256 KiB already: a
 * transformer's 768 x 128 by 128 x 512 products ran at 0.72-0.80 times MKL's speed directly and
 * at 0.98-1.00 packed (its 768 x 128 by 128 x 384, 192 KiB, as fast either way); its weight
 * gradients (op(B) 768 x 128 floats, 384 KiB) at half the packed algorithm's speed.
 */
#define CK_DIRECT_B_BYTES (192L * 1024L)
static inline int ck_use_direct(long M, long N, long K, long mr, long elementSize) {
    return M <= mr || K * N * elementSize <= CK_DIRECT_B_BYTES;
}

/* Per-instruction-set GEMMs (arguments already validated: M, N, K >= 1, alpha != 0; trans 0 or 1). */
#define CK_DECLARE_GEMM(T, name)                                                                               \
    CK_HIDDEN void name(int transA, int transB, long M, long N, long K, T alpha, const T *A, long lda,        \
                        const T *B, long ldb, T beta, T *C, long ldc);
CK_DECLARE_GEMM(float, ck_gemm_s_avx512)
CK_DECLARE_GEMM(double, ck_gemm_d_avx512)
CK_DECLARE_GEMM(float, ck_gemm_s_avx2)
CK_DECLARE_GEMM(double, ck_gemm_d_avx2)
CK_DECLARE_GEMM(float, ck_gemm_s_portable)
CK_DECLARE_GEMM(double, ck_gemm_d_portable)
#undef CK_DECLARE_GEMM

/* Per-instruction-set halves of the products with op(B) packed beforehand (see ck_sgemm_pack_b in
   CKernels.h): the packed size in elements, the packing, and the product (arguments validated as
   for CK_DECLARE_GEMM). */
#define CK_DECLARE_PREPACKED(T, sfx)                                                                           \
    CK_HIDDEN long ck_packed_b_elements##sfx(long N, long K);                                                \
    CK_HIDDEN void ck_pack_b_whole##sfx(int transB, long N, long K, const T *B, long ldb, T *Bp);            \
    CK_HIDDEN void ck_gemm_prepacked##sfx(int transA, long M, long N, long K, T alpha, const T *A, long lda, \
                                          const T *Bp, T beta, T *C, long ldc);
CK_DECLARE_PREPACKED(float, _s_avx512)
CK_DECLARE_PREPACKED(double, _d_avx512)
CK_DECLARE_PREPACKED(float, _s_avx2)
CK_DECLARE_PREPACKED(double, _d_avx2)
CK_DECLARE_PREPACKED(float, _s_portable)
CK_DECLARE_PREPACKED(double, _d_portable)
#undef CK_DECLARE_PREPACKED

/*
 * A packed product shared by several threads (see ck_sgemm_job in CKernels.h). For each KC x ncpad
 * panel of op(B) in turn, its tasks are: pack the panel into Bp (the caller's
 * CK_SCRATCH_SHARED_B), then multiply each block of `rowBlock` rows of op(A) by it into C. Threads
 * take tasks in that order from `next`, so both threads work on the same panel, which stays in
 * their caches. A row task waits until its panel is packed and the same rows' previous panel is
 * done (C accumulates panel after panel, as in the single-threaded algorithm, so every element is
 * computed exactly as ck_sgemm computes it). A task only waits for tasks taken before it, by
 * threads that are running them, so every wait ends; one thread alone does every task in order.
 */
struct ck_gemm_job {
    int isa, isDouble, transA, transB;
    long M, N, K, lda, ldb, ldc;
    double alpha, beta; /* exact for float as well */
    const void *A, *B;
    void *C, *Bp;
    size_t packedBytes; /* the size of Bp */
    long ncpad;    /* columns of a block of op(B), elements per row of a packed panel (ck_block_width) */
    long rowBlock; /* rows per row task, a multiple of MR */
    long panels, rowTasks; /* no panels: op(B) fits in L2 and row blocks are direct products */
    atomic_long next;     /* the next task to take, of panels * (1 + rowTasks) */
    atomic_long *packed;  /* [panels]: 1 once the panel is packed */
    atomic_long *done;    /* [rowTasks]: how many panels the row block has been multiplied by */
};

/* Per-instruction-set halves of a shared product: plan fills rowBlock, rowTasks, panels, ncpad
   and packedBytes for `threads` threads and returns 1, or returns 0 when there are too few rows
   to share; work runs tasks until none is left. */
#define CK_DECLARE_JOB(sfx)                                                                                    \
    CK_HIDDEN int ck_job_plan##sfx(struct ck_gemm_job *job, long threads);                                  \
    CK_HIDDEN void ck_job_work##sfx(struct ck_gemm_job *job);
CK_DECLARE_JOB(_s_avx512)
CK_DECLARE_JOB(_d_avx512)
CK_DECLARE_JOB(_s_avx2)
CK_DECLARE_JOB(_d_avx2)
CK_DECLARE_JOB(_s_portable)
CK_DECLARE_JOB(_d_portable)
#undef CK_DECLARE_JOB

#endif
