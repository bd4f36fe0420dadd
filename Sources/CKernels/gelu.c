/*
 * Vectorised single-precision exact GELU and its derivative (ck_sgelu, see CKernels.h), written
 * like tanh.c: one algorithm with GCC/Clang vector extensions, compiled for AVX-512F (16 lanes),
 * AVX2+FMA (8 lanes) and portable 128-bit vectors, chosen at run time.
 *
 * With e = exp(-x²/2) (the reduction of exp.c; -x²/2 clamped to -104, where e rounds to 0),
 * t = 1 / (1 + p |x| / √2) and Abramowitz and Stegun's 7.1.26, erf(|x| / √2) = 1 - t·P(t)·e
 * (absolute error below 1.5e-7), Φ(x) = (1 ± erf(|x| / √2)) / 2 with the sign of x, and
 *     y = x Φ(x),   slope = Φ(x) + x e / √(2π).
 * NaN propagates to both.
 */
#include "vector_map.h"

#define CK_GELU_LOW (-104.0f)

/* Defines `static void name(const float *x, float *y, float *slope, long n)` for vectors of
   `lanes` floats with the function attributes `attrs`; slope may be NULL. */
#define CK_DEFINE_GELU(name, lanes, attrs)                                                                      \
    typedef float CK_CAT(name, _vf) __attribute__((vector_size(4 * (lanes))));                                  \
    typedef int32_t CK_CAT(name, _vi) __attribute__((vector_size(4 * (lanes))));                                \
    static attrs CK_ALWAYS_INLINE void CK_CAT(name, _one)(CK_CAT(name, _vf) x, CK_CAT(name, _vf) * y,           \
                                                          CK_CAT(name, _vf) * slope) {                          \
        typedef CK_CAT(name, _vf) vf;                                                                           \
        typedef CK_CAT(name, _vi) vi;                                                                           \
        const vf zero = {0};                                                                                    \
        const vi bits = (vi)x;                                                                                  \
        const vi sign = bits & (int32_t)0x80000000;                                                             \
        const vf a = (vf)(bits & 0x7fffffff);                                                                   \
        /* e = exp(-x²/2), the argument clamped from below (NaN stays NaN and is restored below). */            \
        const vf h = -0.5f * x * x;                                                                             \
        const vi aboveLow = h > CK_GELU_LOW;                                                                    \
        const vf c = (vf)(((vi)h & aboveLow) | ((vi)(zero + CK_GELU_LOW) & ~aboveLow));                         \
        CK_EXP_REDUCE(vf, zero, c, nf, q);                                                                      \
        const vi n = __builtin_convertvector(nf, vi);                                                           \
        const vi half = n >> 1;                                                                                 \
        const vf e = (q * (vf)((half + 127) << 23)) * (vf)((n - half + 127) << 23);                             \
        /* erf(|x| / √2) = 1 - t P(t) e. */                                                                     \
        const vf t = 1.0f / (1.0f + 0.23164188826636045f * a);                                                  \
        vf poly = 1.061405429f * t + -1.453152027f;                                                             \
        poly = poly * t + 1.421413741f;                                                                         \
        poly = poly * t + -0.284496736f;                                                                        \
        poly = (poly * t + 0.254829592f) * t;                                                                   \
        const vf erfAbs = 1.0f - poly * e;                                                                      \
        const vf cdf = 0.5f * (1.0f + (vf)((vi)erfAbs | sign));                                                 \
        const vi isNaN = x != x;                                                                                \
        *y = (vf)(((vi)(x * cdf) & ~isNaN) | (bits & isNaN));                                                   \
        if (slope) *slope = (vf)(((vi)(cdf + x * e * 0.3989422804014327f) & ~isNaN) | (bits & isNaN));          \
    }                                                                                                           \
    static attrs void name(const float *x, float *y, float *slope, long n) {                                    \
        typedef CK_CAT(name, _vf) vf;                                                                           \
        long i = 0;                                                                                             \
        for (; i + (lanes) <= n; i += (lanes)) {                                                                \
            vf v, out, d;                                                                                       \
            memcpy(&v, x + i, sizeof v);                                                                        \
            CK_CAT(name, _one)(v, &out, slope ? &d : NULL);                                                     \
            memcpy(y + i, &out, sizeof out);                                                                    \
            if (slope) memcpy(slope + i, &d, sizeof d);                                                         \
        }                                                                                                       \
        if (i < n) {                                                                                            \
            vf v = {0}, out, d;                                                                                 \
            memcpy(&v, x + i, (size_t)(n - i) * sizeof(float));                                                 \
            CK_CAT(name, _one)(v, &out, slope ? &d : NULL);                                                     \
            memcpy(y + i, &out, (size_t)(n - i) * sizeof(float));                                               \
            if (slope) memcpy(slope + i, &d, (size_t)(n - i) * sizeof(float));                                  \
        }                                                                                                       \
    }

CK_DEFINE_GELU(ck_sgelu_portable, 4, )
#if CK_X86
CK_DEFINE_GELU(ck_sgelu_avx2, 8, __attribute__((target("avx2,fma"))))
CK_DEFINE_GELU(ck_sgelu_avx512, 16, __attribute__((target("avx512f"))))
#endif

void ck_sgelu_isa(int isa, const float *x, float *y, float *slope, long n) {
#if CK_X86
    if (isa > ck_isa()) isa = ck_isa();
    switch (isa) {
    case CK_ISA_AVX512: ck_sgelu_avx512(x, y, slope, n); break;
    case CK_ISA_AVX2: ck_sgelu_avx2(x, y, slope, n); break;
    default: ck_sgelu_portable(x, y, slope, n); break;
    }
#else
    (void)isa;
    ck_sgelu_portable(x, y, slope, n);
#endif
}

void ck_sgelu(const float *x, float *y, float *slope, long n) { ck_sgelu_isa(ck_isa(), x, y, slope, n); }
