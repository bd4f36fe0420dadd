/*
 * Vectorised single-precision tanh (ck_stanh, see CKernels.h): one algorithm written with GCC/Clang
 * vector extensions and compiled three times, for AVX-512F (16 lanes), AVX2+FMA (8 lanes) and
 * portable 128-bit vectors (SSE2 on x86-64, NEON on ARM64), chosen at run time like the GEMM.
 *
 * For a = |x|:
 *   a < 0.55:  tanh(a) = a + a·s·P(s), s = a², P the Taylor series of (tanh(a) - a) / a³ up to a¹⁷
 *              (truncation error below 3e-9 relative);
 *   a >= 0.55: tanh(a) = 1 - 2 / (e^(2a) + 1), with e^y = 2^n · Q(r), y = n·ln2 + r (|r| <= ln2 / 2,
 *              ln2 split in two for an exact reduction), Q the degree-7 Taylor polynomial, and a
 *              clamped to 10 (tanh(10) rounds to 1);
 * then the sign of x is restored. The result is within 2 ulp of tanh; NaN propagates, ±inf gives ±1.
 */
#include "vector_map.h"

#define CK_TANH_SMALL 0.55f
#define CK_TANH_CLAMP 10.0f

/* Defines `static void name(const float *x, float *y, long n)` for vectors of `lanes` floats with
   the function attributes `attrs` (see CK_DEFINE_MAP). */
#define CK_DEFINE_TANH(name, lanes, attrs)                                                                     \
    typedef float CK_CAT(name, _vf) __attribute__((vector_size(4 * (lanes))));                                 \
    typedef int32_t CK_CAT(name, _vi) __attribute__((vector_size(4 * (lanes))));                               \
    static attrs CK_ALWAYS_INLINE CK_CAT(name, _vf) CK_CAT(name, _one)(CK_CAT(name, _vf) x) {                  \
        typedef CK_CAT(name, _vf) vf;                                                                          \
        typedef CK_CAT(name, _vi) vi;                                                                          \
        const vi bits = (vi)x;                                                                                 \
        const vi sign = bits & (int32_t)0x80000000;                                           \
        const vf a = (vf)(bits & 0x7fffffff);                                                               \
        const vf zero = {0};                                                     \
        /* Small arguments: odd Taylor series. */                                                              \
        const vf s = a * a;                                                                                    \
        vf p = zero + 6404582.0f / 10854718875.0f;                                                            \
        p = p * s + -929569.0f / 638512875.0f;                                                                 \
        p = p * s + 21844.0f / 6081075.0f;                                                                     \
        p = p * s + -1382.0f / 155925.0f;                                                                      \
        p = p * s + 62.0f / 2835.0f;                                                                           \
        p = p * s + -17.0f / 315.0f;                                                                           \
        p = p * s + 2.0f / 15.0f;                                                                              \
        p = p * s + -1.0f / 3.0f;                                                                              \
        const vf small = a + a * s * p;                                                                        \
        /* Large arguments: 1 - 2 / (e^(2a) + 1). Clamping also maps NaN to a finite value (fixed below). */  \
        const vi inRange = a < CK_TANH_CLAMP;                                                                  \
        const vf y = 2.0f * (vf)(((vi)a & inRange) | ((vi)(zero + CK_TANH_CLAMP) & ~inRange));                \
        CK_EXP_REDUCE(vf, zero, y, nf, q);                                                                     \
        const vi n = __builtin_convertvector(nf, vi);                                                          \
        const vf e = q * (vf)((n + 127) << 23);                                                                \
        const vf large = 1.0f - 2.0f / (e + 1.0f);                                                             \
        const vi useSmall = a < CK_TANH_SMALL;                                                                 \
        const vi magnitude = ((vi)small & useSmall) | ((vi)large & ~useSmall);                                 \
        const vi isNaN = x != x;                                                                               \
        return (vf)(((magnitude | sign) & ~isNaN) | (bits & isNaN));                                           \
    }                                                                                                          \
    CK_DEFINE_MAP(name, float, CK_CAT(name, _vf), lanes, attrs, CK_CAT(name, _one))

CK_DEFINE_TANH(ck_stanh_portable, 4, )
#if CK_X86
CK_DEFINE_TANH(ck_stanh_avx2, 8, __attribute__((target("avx2,fma"))))
CK_DEFINE_TANH(ck_stanh_avx512, 16, __attribute__((target("avx512f"))))
#endif

CK_DEFINE_DISPATCH(ck_stanh, float)
