/*
 * GEMM microkernels and drivers for AVX-512F, single precision, instantiated from gemm_kernel.h
 * (functions compiled with target attributes; chosen at run time by gemm.c).
 */
#include "gemm_internal.h"

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

#define T float
#define V __m512
#define VL 16
#define MR 12
#define KC 192
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
#define V_TRANSPOSE(v) ck_transpose16_ps512(v)
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
