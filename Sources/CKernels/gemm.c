/*
 * Packed, register-blocked GEMM (Goto/BLIS style) for float and double, row-major, with
 * microkernels for AVX-512F, AVX2+FMA and portable C (GCC/Clang vector extensions), chosen at
 * run time. The per-ISA code is generated from gemm_kernel.h; see CKernels.h for the API.
 */
#include "CKernels.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
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
#if defined(__GNUC__) || defined(__clang__)
#define CK_OPAQUE(x) __asm__("" : "+r"(x))
#else
#define CK_OPAQUE(x) ((void)0)
#endif
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

/* Bytes of stack scratch the direct path uses to transpose a small op(B). */
#define CK_DIRECT_STACK 16384

/*
 * Packing scratch: one A and one B buffer per thread, kept between calls (thread-specific data,
 * freed when the thread exits) so repeated products neither call malloc nor fault in fresh pages.
 * Nothing is shared between threads, so concurrent calls never race; a call never re-enters itself.
 */
enum { CK_SCRATCH_A = 0, CK_SCRATCH_B = 1 };

typedef struct {
    void *buffer[2];
    size_t capacity[2];
} ck_scratch_t;

static pthread_key_t ck_scratch_key;
static pthread_once_t ck_scratch_once = PTHREAD_ONCE_INIT;
static int ck_scratch_key_ok = 0; /* written once inside pthread_once */

static void ck_scratch_destroy(void *p) {
    ck_scratch_t *s = (ck_scratch_t *)p;
    free(s->buffer[0]);
    free(s->buffer[1]);
    free(s);
}

static void ck_scratch_init(void) { ck_scratch_key_ok = pthread_key_create(&ck_scratch_key, ck_scratch_destroy) == 0; }

/* A 64-byte aligned buffer of at least `bytes` for `slot`, valid until the next call for that slot
   on this thread. */
static void *ck_scratch(int slot, size_t bytes) {
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

/*
 * Whether to skip packing op(B) (the direct algorithm): when op(B) fits comfortably in L2
 * (K x N at most 512 KiB), when there is a single row strip (M <= MR: op(B) is read once anyway),
 * or when there is little work. Otherwise op(B) is packed in L2-sized blocks (the packed algorithm).
 */
static inline int ck_use_direct(int transA, int transB, long M, long N, long K, long mr, long elementSize) {
    if (M <= mr) return 1;
    if (K * N * elementSize > 512L * 1024L) return 0;
    /* With both operands transposed the direct path packs all of op(A): keep that small too. */
    if (transA && transB && M * K * elementSize > 512L * 1024L) return 0;
    return 1;
}

/* ------------------------------------------------------------------------------------------ */
/* AVX-512F                                                                                    */
/* ------------------------------------------------------------------------------------------ */
#if CK_X86

#define TGT __attribute__((target("avx512f")))

/* In-register transposes: on return v[c] holds what was column c of the rows v[0..<VL]. */
static TGT CK_ALWAYS_INLINE void ck_transpose16_ps512(__m512 *v) {
    __m512 t[16];
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_ps(v[2 * i], v[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(v[2 * i], v[2 * i + 1]);
    }
    /* v[4g + c]: rows 4g..4g+3 of column c + 4L in 128-bit lane L. */
    for (int g = 0; g < 4; g++) {
        __m512d t0 = _mm512_castps_pd(t[4 * g]), t1 = _mm512_castps_pd(t[4 * g + 1]);
        __m512d t2 = _mm512_castps_pd(t[4 * g + 2]), t3 = _mm512_castps_pd(t[4 * g + 3]);
        v[4 * g + 0] = _mm512_castpd_ps(_mm512_unpacklo_pd(t0, t2));
        v[4 * g + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(t0, t2));
        v[4 * g + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(t1, t3));
        v[4 * g + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(t1, t3));
    }
    __m512 o[16];
    for (int c = 0; c < 4; c++) {
        __m512 a = _mm512_shuffle_f32x4(v[c], v[4 + c], 0x88), b = _mm512_shuffle_f32x4(v[c], v[4 + c], 0xdd);
        __m512 d = _mm512_shuffle_f32x4(v[8 + c], v[12 + c], 0x88), e = _mm512_shuffle_f32x4(v[8 + c], v[12 + c], 0xdd);
        o[c] = _mm512_shuffle_f32x4(a, d, 0x88);
        o[c + 8] = _mm512_shuffle_f32x4(a, d, 0xdd);
        o[c + 4] = _mm512_shuffle_f32x4(b, e, 0x88);
        o[c + 12] = _mm512_shuffle_f32x4(b, e, 0xdd);
    }
    for (int i = 0; i < 16; i++) v[i] = o[i];
}

static TGT CK_ALWAYS_INLINE void ck_transpose8_pd512(__m512d *v) {
    __m512d t[8];
    for (int i = 0; i < 4; i++) {
        t[2 * i] = _mm512_unpacklo_pd(v[2 * i], v[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_pd(v[2 * i], v[2 * i + 1]);
    }
    /* t[2g + c]: rows 2g, 2g+1 of column c + 2L in 128-bit lane L. */
    for (int c = 0; c < 2; c++) {
        __m512d a = _mm512_shuffle_f64x2(t[c], t[2 + c], 0x88), b = _mm512_shuffle_f64x2(t[c], t[2 + c], 0xdd);
        __m512d d = _mm512_shuffle_f64x2(t[4 + c], t[6 + c], 0x88), e = _mm512_shuffle_f64x2(t[4 + c], t[6 + c], 0xdd);
        v[c] = _mm512_shuffle_f64x2(a, d, 0x88);
        v[c + 4] = _mm512_shuffle_f64x2(a, d, 0xdd);
        v[c + 2] = _mm512_shuffle_f64x2(b, e, 0x88);
        v[c + 6] = _mm512_shuffle_f64x2(b, e, 0xdd);
    }
}

#define T float
#define V __m512
#define VL 16
#define MR 12
#define KC 192
#define MC 960
#define NC 1024
#define MASKT __mmask16
#define V_MASK(n) ((__mmask16)((1u << (n)) - 1u))
#define V_NOMASK ((__mmask16)0xFFFF)
#define ISA_SFX _s_avx512
#define V_ZERO() _mm512_setzero_ps()
#define V_SET1(x) _mm512_set1_ps(x)
#define V_LOAD(p) _mm512_loadu_ps(p)
#define V_MLOAD(p, m) _mm512_maskz_loadu_ps((m), (p))
#define V_STORE(p, v) _mm512_storeu_ps((p), (v))
#define V_MSTORE(p, m, v) _mm512_mask_storeu_ps((p), (m), (v))
#define V_FMA(a, b, c) _mm512_fmadd_ps((a), (b), (c))
#define V_MUL(a, b) _mm512_mul_ps((a), (b))
#define V_ADD(a, b) _mm512_add_ps((a), (b))
#define V_TRANSPOSE(v) ck_transpose16_ps512(v)
#include "gemm_kernel.h"
#undef T
#undef V
#undef VL
#undef MR
#undef KC
#undef MC
#undef NC
#undef MASKT
#undef V_MASK
#undef V_NOMASK
#undef ISA_SFX
#undef V_ZERO
#undef V_SET1
#undef V_LOAD
#undef V_MLOAD
#undef V_STORE
#undef V_MSTORE
#undef V_FMA
#undef V_MUL
#undef V_ADD
#undef V_TRANSPOSE

#define T double
#define V __m512d
#define VL 8
#define MR 12
#define KC 128
#define MC 480
#define NC 1024
#define MASKT __mmask8
#define V_MASK(n) ((__mmask8)((1u << (n)) - 1u))
#define V_NOMASK ((__mmask8)0xFF)
#define ISA_SFX _d_avx512
#define V_ZERO() _mm512_setzero_pd()
#define V_SET1(x) _mm512_set1_pd(x)
#define V_LOAD(p) _mm512_loadu_pd(p)
#define V_MLOAD(p, m) _mm512_maskz_loadu_pd((m), (p))
#define V_STORE(p, v) _mm512_storeu_pd((p), (v))
#define V_MSTORE(p, m, v) _mm512_mask_storeu_pd((p), (m), (v))
#define V_FMA(a, b, c) _mm512_fmadd_pd((a), (b), (c))
#define V_MUL(a, b) _mm512_mul_pd((a), (b))
#define V_ADD(a, b) _mm512_add_pd((a), (b))
#define V_TRANSPOSE(v) ck_transpose8_pd512(v)
#include "gemm_kernel.h"
#undef T
#undef V
#undef VL
#undef MR
#undef KC
#undef MC
#undef NC
#undef MASKT
#undef V_MASK
#undef V_NOMASK
#undef ISA_SFX
#undef V_ZERO
#undef V_SET1
#undef V_LOAD
#undef V_MLOAD
#undef V_STORE
#undef V_MSTORE
#undef V_FMA
#undef V_MUL
#undef V_ADD
#undef V_TRANSPOSE

#undef TGT

/* ------------------------------------------------------------------------------------------ */
/* AVX2 + FMA                                                                                  */
/* ------------------------------------------------------------------------------------------ */
#define TGT __attribute__((target("avx2,fma")))

/* Lane masks for _mm256_maskload/maskstore: the first n lanes of CK_MASK32 + 8 - n are set. */
static const int32_t ck_mask32[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
static const int64_t ck_mask64[8] = {-1, -1, -1, -1, 0, 0, 0, 0};

/* In-register transposes: on return v[c] holds what was column c of the rows v[0..<VL]. */
static TGT CK_ALWAYS_INLINE void ck_transpose8_ps256(__m256 *v) {
    __m256 t[8];
    for (int i = 0; i < 4; i++) {
        t[2 * i] = _mm256_unpacklo_ps(v[2 * i], v[2 * i + 1]);
        t[2 * i + 1] = _mm256_unpackhi_ps(v[2 * i], v[2 * i + 1]);
    }
    __m256 s[8];
    for (int g = 0; g < 2; g++) {
        __m256d t0 = _mm256_castps_pd(t[4 * g]), t1 = _mm256_castps_pd(t[4 * g + 1]);
        __m256d t2 = _mm256_castps_pd(t[4 * g + 2]), t3 = _mm256_castps_pd(t[4 * g + 3]);
        s[4 * g + 0] = _mm256_castpd_ps(_mm256_unpacklo_pd(t0, t2));
        s[4 * g + 1] = _mm256_castpd_ps(_mm256_unpackhi_pd(t0, t2));
        s[4 * g + 2] = _mm256_castpd_ps(_mm256_unpacklo_pd(t1, t3));
        s[4 * g + 3] = _mm256_castpd_ps(_mm256_unpackhi_pd(t1, t3));
    }
    for (int c = 0; c < 4; c++) {
        v[c] = _mm256_permute2f128_ps(s[c], s[4 + c], 0x20);
        v[c + 4] = _mm256_permute2f128_ps(s[c], s[4 + c], 0x31);
    }
}

static TGT CK_ALWAYS_INLINE void ck_transpose4_pd256(__m256d *v) {
    __m256d t0 = _mm256_unpacklo_pd(v[0], v[1]), t1 = _mm256_unpackhi_pd(v[0], v[1]);
    __m256d t2 = _mm256_unpacklo_pd(v[2], v[3]), t3 = _mm256_unpackhi_pd(v[2], v[3]);
    v[0] = _mm256_permute2f128_pd(t0, t2, 0x20);
    v[2] = _mm256_permute2f128_pd(t0, t2, 0x31);
    v[1] = _mm256_permute2f128_pd(t1, t3, 0x20);
    v[3] = _mm256_permute2f128_pd(t1, t3, 0x31);
}

#define T float
#define V __m256
#define VL 8
#define MR 6
#define KC 256
#define MC 480
#define NC 192
#define MASKT __m256i
#define V_MASK(n) _mm256_loadu_si256((const __m256i *)(ck_mask32 + 8 - (n)))
#define V_NOMASK _mm256_set1_epi32(-1)
#define ISA_SFX _s_avx2
#define V_ZERO() _mm256_setzero_ps()
#define V_SET1(x) _mm256_set1_ps(x)
#define V_LOAD(p) _mm256_loadu_ps(p)
#define V_MLOAD(p, m) _mm256_maskload_ps((p), (m))
#define V_STORE(p, v) _mm256_storeu_ps((p), (v))
#define V_MSTORE(p, m, v) _mm256_maskstore_ps((p), (m), (v))
#define V_FMA(a, b, c) _mm256_fmadd_ps((a), (b), (c))
#define V_MUL(a, b) _mm256_mul_ps((a), (b))
#define V_ADD(a, b) _mm256_add_ps((a), (b))
#define V_TRANSPOSE(v) ck_transpose8_ps256(v)
#include "gemm_kernel.h"
#undef T
#undef V
#undef VL
#undef MR
#undef KC
#undef MC
#undef NC
#undef MASKT
#undef V_MASK
#undef V_NOMASK
#undef ISA_SFX
#undef V_ZERO
#undef V_SET1
#undef V_LOAD
#undef V_MLOAD
#undef V_STORE
#undef V_MSTORE
#undef V_FMA
#undef V_MUL
#undef V_ADD
#undef V_TRANSPOSE

#define T double
#define V __m256d
#define VL 4
#define MR 6
#define KC 256
#define MC 240
#define NC 96
#define MASKT __m256i
#define V_MASK(n) _mm256_loadu_si256((const __m256i *)(ck_mask64 + 4 - (n)))
#define V_NOMASK _mm256_set1_epi64x(-1)
#define ISA_SFX _d_avx2
#define V_ZERO() _mm256_setzero_pd()
#define V_SET1(x) _mm256_set1_pd(x)
#define V_LOAD(p) _mm256_loadu_pd(p)
#define V_MLOAD(p, m) _mm256_maskload_pd((p), (m))
#define V_STORE(p, v) _mm256_storeu_pd((p), (v))
#define V_MSTORE(p, m, v) _mm256_maskstore_pd((p), (m), (v))
#define V_FMA(a, b, c) _mm256_fmadd_pd((a), (b), (c))
#define V_MUL(a, b) _mm256_mul_pd((a), (b))
#define V_ADD(a, b) _mm256_add_pd((a), (b))
#define V_TRANSPOSE(v) ck_transpose4_pd256(v)
#include "gemm_kernel.h"
#undef T
#undef V
#undef VL
#undef MR
#undef KC
#undef MC
#undef NC
#undef MASKT
#undef V_MASK
#undef V_NOMASK
#undef ISA_SFX
#undef V_ZERO
#undef V_SET1
#undef V_LOAD
#undef V_MLOAD
#undef V_STORE
#undef V_MSTORE
#undef V_FMA
#undef V_MUL
#undef V_ADD
#undef V_TRANSPOSE

#undef TGT
#endif /* CK_X86 */

/* ------------------------------------------------------------------------------------------ */
/* Portable C: 128-bit GCC/Clang vector extensions (SSE2 on x86-64, NEON on ARM64).            */
/* ------------------------------------------------------------------------------------------ */
#define TGT

typedef float ck_v4f __attribute__((vector_size(16)));
typedef double ck_v2d __attribute__((vector_size(16)));

static inline ck_v4f ck_v4f_load(const float *p) {
    ck_v4f v;
    memcpy(&v, p, sizeof v);
    return v;
}
static inline void ck_v4f_store(float *p, ck_v4f v) { memcpy(p, &v, sizeof v); }
static inline ck_v4f ck_v4f_mload(const float *p, int n) {
    ck_v4f v = {0, 0, 0, 0};
    for (int i = 0; i < n; i++) v[i] = p[i];
    return v;
}
static inline void ck_v4f_mstore(float *p, int n, ck_v4f v) {
    for (int i = 0; i < n; i++) p[i] = v[i];
}
static inline ck_v2d ck_v2d_load(const double *p) {
    ck_v2d v;
    memcpy(&v, p, sizeof v);
    return v;
}
static inline void ck_v2d_store(double *p, ck_v2d v) { memcpy(p, &v, sizeof v); }
static inline ck_v2d ck_v2d_mload(const double *p, int n) {
    ck_v2d v = {0, 0};
    for (int i = 0; i < n; i++) v[i] = p[i];
    return v;
}
static inline void ck_v2d_mstore(double *p, int n, ck_v2d v) {
    for (int i = 0; i < n; i++) p[i] = v[i];
}

#define T float
#define V ck_v4f
#define VL 4
#define MR 4
#define KC 256
#define MC 256
#define NC 128
#define MASKT int
#define V_MASK(n) (n)
#define V_NOMASK 4
#define ISA_SFX _s_portable
#define V_ZERO() ((ck_v4f){0, 0, 0, 0})
#define V_SET1(x) ((ck_v4f){0, 0, 0, 0} + (x))
#define V_LOAD(p) ck_v4f_load(p)
#define V_MLOAD(p, m) ck_v4f_mload((p), (m))
#define V_STORE(p, v) ck_v4f_store((p), (v))
#define V_MSTORE(p, m, v) ck_v4f_mstore((p), (m), (v))
#define V_FMA(a, b, c) ((a) * (b) + (c))
#define V_MUL(a, b) ((a) * (b))
#define V_ADD(a, b) ((a) + (b))
#include "gemm_kernel.h"
#undef T
#undef V
#undef VL
#undef MR
#undef KC
#undef MC
#undef NC
#undef MASKT
#undef V_MASK
#undef V_NOMASK
#undef ISA_SFX
#undef V_ZERO
#undef V_SET1
#undef V_LOAD
#undef V_MLOAD
#undef V_STORE
#undef V_MSTORE
#undef V_FMA
#undef V_MUL
#undef V_ADD
#undef V_TRANSPOSE

#define T double
#define V ck_v2d
#define VL 2
#define MR 4
#define KC 256
#define MC 256
#define NC 64
#define MASKT int
#define V_MASK(n) (n)
#define V_NOMASK 2
#define ISA_SFX _d_portable
#define V_ZERO() ((ck_v2d){0, 0})
#define V_SET1(x) ((ck_v2d){0, 0} + (x))
#define V_LOAD(p) ck_v2d_load(p)
#define V_MLOAD(p, m) ck_v2d_mload((p), (m))
#define V_STORE(p, v) ck_v2d_store((p), (v))
#define V_MSTORE(p, m, v) ck_v2d_mstore((p), (m), (v))
#define V_FMA(a, b, c) ((a) * (b) + (c))
#define V_MUL(a, b) ((a) * (b))
#define V_ADD(a, b) ((a) + (b))
#include "gemm_kernel.h"
#undef T
#undef V
#undef VL
#undef MR
#undef KC
#undef MC
#undef NC
#undef MASKT
#undef V_MASK
#undef V_NOMASK
#undef ISA_SFX
#undef V_ZERO
#undef V_SET1
#undef V_LOAD
#undef V_MLOAD
#undef V_STORE
#undef V_MSTORE
#undef V_FMA
#undef V_MUL
#undef V_ADD
#undef V_TRANSPOSE

#undef TGT

/* ------------------------------------------------------------------------------------------ */
/* Dispatch                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static atomic_int ck_supported_cache = -1; /* detected once; every thread computes the same value */
static atomic_int ck_portable_forced = 0;

static int ck_detect(void) {
#if CK_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return CK_ISA_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return CK_ISA_AVX2;
#endif
    return CK_ISA_PORTABLE;
}

int ck_isa_supported(void) {
    int isa = atomic_load_explicit(&ck_supported_cache, memory_order_relaxed);
    if (isa < 0) {
        isa = ck_detect();
        atomic_store_explicit(&ck_supported_cache, isa, memory_order_relaxed);
    }
    return isa;
}

int ck_isa(void) {
    if (atomic_load_explicit(&ck_portable_forced, memory_order_relaxed)) return CK_ISA_PORTABLE;
    return ck_isa_supported();
}

void ck_force_portable(int on) { atomic_store_explicit(&ck_portable_forced, on ? 1 : 0, memory_order_relaxed); }

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
    int best = ck_isa_supported();
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
