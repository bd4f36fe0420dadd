/*
 * GEMM microkernels and drivers for AVX2 + FMA, double precision, instantiated from gemm_kernel.h
 * (functions compiled with target attributes; chosen at run time by gemm.c).
 */
#include "gemm_internal.h"

#if CK_X86

#define TGT __attribute__((target("avx2,fma")))

/* Lane masks for _mm256_maskload/maskstore: the first n lanes of ck_mask64 + 4 - n are set. */
static const int64_t ck_mask64[8] = {-1, -1, -1, -1, 0, 0, 0, 0};

/* In-register transpose: on return v[c] holds what was column c of the rows v[0..<VL]. */
static TGT CK_ALWAYS_INLINE void ck_transpose4_pd256(__m256d *v) {
    __m256d t0 = _mm256_unpacklo_pd(v[0], v[1]), t1 = _mm256_unpackhi_pd(v[0], v[1]);
    __m256d t2 = _mm256_unpacklo_pd(v[2], v[3]), t3 = _mm256_unpackhi_pd(v[2], v[3]);
    v[0] = _mm256_permute2f128_pd(t0, t2, 0x20);
    v[2] = _mm256_permute2f128_pd(t0, t2, 0x31);
    v[1] = _mm256_permute2f128_pd(t1, t3, 0x20);
    v[3] = _mm256_permute2f128_pd(t1, t3, 0x31);
}

#define T double
#define V __m256d
#define VL 4
#define MR 6
#define KC 256
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
#define V_TRANSPOSE(v) ck_transpose4_pd256(v)
#include "gemm_kernel.h"
#undef T
#undef V
#undef VL
#undef MR
#undef KC
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
#undef V_TRANSPOSE

#undef TGT
#else
typedef int ck_unused_translation_unit;
#endif
