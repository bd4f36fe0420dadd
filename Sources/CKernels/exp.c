/*
 * Vectorised single-precision exp (ck_sexp, see CKernels.h), written like tanh.c: one algorithm
 * with GCC/Clang vector extensions, compiled for AVX-512F (16 lanes), AVX2+FMA (8 lanes) and
 * portable 128-bit vectors, chosen at run time.
 *
 * x is clamped to [-104, 88.8] (beyond it e^x rounds to 0 or overflows to +inf, which the clamped
 * value still produces), then e^x = 2^n · Q(r) with n = round(x / ln2), r = x - n·ln2 (ln2 split
 * in two for an exact reduction, |r| <= ln2 / 2) and Q the degree-7 Taylor polynomial of e^r
 * (truncation error below 6e-9 relative). 2^n is applied as 2^(n >> 1) · 2^(n - (n >> 1)), two
 * normal powers of two, so that results in the subnormal range round once. Within 2 ulp of exp;
 * NaN propagates, -inf gives 0 and +inf gives +inf.
 */
#include "vector_map.h"

#define CK_EXP_LOW (-104.0f)
#define CK_EXP_HIGH 88.8f

/* Defines `static void name(const float *x, float *y, long n)` for vectors of `lanes` floats with
   the function attributes `attrs` (see CK_DEFINE_MAP). */
#define CK_DEFINE_EXP(name, lanes, attrs)                                                                      \
    typedef float CK_CAT(name, _vf) __attribute__((vector_size(4 * (lanes))));                                 \
    typedef int32_t CK_CAT(name, _vi) __attribute__((vector_size(4 * (lanes))));                               \
    static attrs CK_ALWAYS_INLINE CK_CAT(name, _vf) CK_CAT(name, _one)(CK_CAT(name, _vf) x) {                  \
        typedef CK_CAT(name, _vf) vf;                                                                          \
        typedef CK_CAT(name, _vi) vi;                                                                          \
        const vf zero = {0};                                                                                   \
        /* Clamping (comparisons are false for NaN, which is restored below). */                              \
        const vi aboveLow = x > CK_EXP_LOW, belowHigh = x < CK_EXP_HIGH;                                       \
        vf c = (vf)(((vi)x & aboveLow) | ((vi)(zero + CK_EXP_LOW) & ~aboveLow));                               \
        c = (vf)(((vi)c & belowHigh) | ((vi)(zero + CK_EXP_HIGH) & ~belowHigh));                               \
        CK_EXP_REDUCE(vf, zero, c, nf, q);                                                                     \
        const vi n = __builtin_convertvector(nf, vi);                                                          \
        const vi half = n >> 1;                                                                                \
        const vf e = (q * (vf)((half + 127) << 23)) * (vf)((n - half + 127) << 23);                            \
        const vi isNaN = x != x;                                                                               \
        return (vf)(((vi)e & ~isNaN) | ((vi)x & isNaN));                                                       \
    }                                                                                                          \
    CK_DEFINE_MAP(name, float, CK_CAT(name, _vf), lanes, attrs, CK_CAT(name, _one))

CK_DEFINE_EXP(ck_sexp_portable, 4, )
#if CK_X86
CK_DEFINE_EXP(ck_sexp_avx2, 8, __attribute__((target("avx2,fma"))))
CK_DEFINE_EXP(ck_sexp_avx512, 16, __attribute__((target("avx512f"))))
#endif

CK_DEFINE_DISPATCH(ck_sexp, float)
