/*
 * GEMM microkernels and drivers for AVX2 + FMA, single precision, instantiated from gemm_kernel.h
 * (functions compiled with target attributes; chosen at run time by gemm.c).
 */
#include "gemm_internal.h"

#if CK_X86

#define TGT __attribute__((target("avx2,fma")))

/* Lane masks for _mm256_maskload/maskstore: the first n lanes of ck_mask32 + 8 - n are set. */
static const int32_t ck_mask32[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};

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

#define T float
#define V __m256
#define VL 8
#define MR 6
#define KC 256
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
#define V_TRANSPOSE(v) ck_transpose8_ps256(v)
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
