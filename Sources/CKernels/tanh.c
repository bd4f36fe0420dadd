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
#include "CKernels.h"
#include "gemm_internal.h"

#define CK_TANH_SMALL 0.55f
#define CK_TANH_CLAMP 10.0f

/* Defines `static void name(const float *x, float *y, long n)` for vectors of `lanes` floats with
   the function attributes `attrs`. A tail of fewer than `lanes` elements goes through a zero-padded
   stack vector. */
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
        const vf shifter = zero + 12582912.0f; /* 1.5 · 2^23: adding it rounds to an integer */              \
        const vf nf = (y * 1.44269504088896341f + shifter) - shifter;                                          \
        vf r = y - nf * 0.693145751953125f;                                                                    \
        r = r - nf * 1.42860682030941723212e-6f;                                                               \
        vf q = zero + 1.0f / 5040.0f;                                                                         \
        q = q * r + 1.0f / 720.0f;                                                                             \
        q = q * r + 1.0f / 120.0f;                                                                             \
        q = q * r + 1.0f / 24.0f;                                                                              \
        q = q * r + 1.0f / 6.0f;                                                                               \
        q = q * r + 0.5f;                                                                                      \
        q = q * r + 1.0f;                                                                                      \
        q = q * r + 1.0f;                                                                                      \
        const vi n = __builtin_convertvector(nf, vi);                                                          \
        const vf e = q * (vf)((n + 127) << 23);                                                                \
        const vf large = 1.0f - 2.0f / (e + 1.0f);                                                             \
        const vi useSmall = a < CK_TANH_SMALL;                                                                 \
        const vi magnitude = ((vi)small & useSmall) | ((vi)large & ~useSmall);                                 \
        const vi isNaN = x != x;                                                                               \
        return (vf)(((magnitude | sign) & ~isNaN) | (bits & isNaN));                                           \
    }                                                                                                          \
    static attrs void name(const float *x, float *y, long n) {                                                 \
        typedef CK_CAT(name, _vf) vf;                                                                          \
        long i = 0;                                                                                            \
        for (; i + (lanes) <= n; i += (lanes)) {                                                               \
            vf v;                                                                                              \
            memcpy(&v, x + i, sizeof v);                                                                       \
            v = CK_CAT(name, _one)(v);                                                                         \
            memcpy(y + i, &v, sizeof v);                                                                       \
        }                                                                                                      \
        if (i < n) {                                                                                           \
            vf v = {0};                                                                                        \
            memcpy(&v, x + i, (size_t)(n - i) * sizeof(float));                                               \
            v = CK_CAT(name, _one)(v);                                                                         \
            memcpy(y + i, &v, (size_t)(n - i) * sizeof(float));                                               \
        }                                                                                                      \
    }

CK_DEFINE_TANH(ck_stanh_portable, 4, )
#if CK_X86
CK_DEFINE_TANH(ck_stanh_avx2, 8, __attribute__((target("avx2,fma"))))
CK_DEFINE_TANH(ck_stanh_avx512, 16, __attribute__((target("avx512f"))))
#endif

void ck_stanh_isa(int isa, const float *x, float *y, long n) {
    if (isa > ck_isa_supported()) isa = ck_isa_supported();
    switch (isa) {
#if CK_X86
    case CK_ISA_AVX512: ck_stanh_avx512(x, y, n); break;
    case CK_ISA_AVX2: ck_stanh_avx2(x, y, n); break;
#endif
    default: ck_stanh_portable(x, y, n); break;
    }
}

void ck_stanh(const float *x, float *y, long n) { ck_stanh_isa(ck_isa(), x, y, n); }
