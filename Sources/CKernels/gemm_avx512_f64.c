/*
 * GEMM microkernels and drivers for AVX-512F, double precision, instantiated from gemm_kernel.h
 * (functions compiled with target attributes; chosen at run time by gemm.c).
 */
#include "gemm_internal.h"

#if CK_X86

#define TGT __attribute__((target("avx512f")))

/* In-register transpose: on return v[c] holds what was column c of the rows v[0..<VL]. */
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

#define T double
#define V __m512d
#define VL 8
#define MR 12
#define KC 128
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
#define V_TRANSPOSE(v) ck_transpose8_pd512(v)
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
