/*
 * The Box-Muller transform of PyTorch's CPU normal_ for float (ck_snormal16, see CKernels.h),
 * reproducing its AVX2 kernel `normal_fill_16_AVX2` bit for bit: avx_mathfun's Cephes log and
 * sincos, with the fused multiply-adds of PyTorch's x86-64 build. One algorithm written with vector
 * extensions and compiled twice, for AVX2+FMA (8 lanes: a block of 16 is one pair of vectors) and
 * portable 128-bit vectors, chosen at run time.
 *
 * Every fused multiply-add is explicit (__builtin_elementwise_fma: exact on every target, an FMA
 * instruction where there is one) and no other product-sum is contracted, so both builds round
 * alike.
 */
#include "vector_map.h"

#pragma clang fp contract(off)

#define CK_FMA(a, b, c) __builtin_elementwise_fma((a), (b), (c)) /* a * b + c, rounded once */

/* Defines `static void name(float *data, long blocks, float mean, float std)` on vectors of `lanes`
   floats (4 or 8) with the function attributes `attrs`. */
#define CK_DEFINE_NORMAL(name, lanes, attrs)                                                                   \
    typedef float name##_vf __attribute__((vector_size(4 * (lanes))));                                         \
    typedef int32_t name##_vi __attribute__((vector_size(4 * (lanes))));                                       \
    /* ln x for x in (0, 1] (avx_mathfun's log256_ps): x = m 2^e with m in [√½, √2), ln x = e ln 2 +           \
       ln m, ln(1 + t) by a degree-9 polynomial, ln 2 split in two parts. */                                   \
    static attrs CK_ALWAYS_INLINE name##_vf name##_log(name##_vf input) {                                      \
        const name##_vf zero = {0};                                                                            \
        const name##_vf smallest = zero + 1.17549435e-38f; /* the smallest normal float */                     \
        const name##_vi normal = input > smallest;                                                             \
        name##_vf x = (name##_vf)(((name##_vi)input & normal) | ((name##_vi)smallest & ~normal));              \
        const name##_vi exponent = ((name##_vi)x >> 23) - 0x7f; /* x > 0: sign bit clear */                    \
        x = (name##_vf)(((name##_vi)x & ~0x7f800000) | (name##_vi)(zero + 0.5f));                              \
        name##_vf e = __builtin_convertvector(exponent, name##_vf) + 1.0f;                                     \
        const name##_vi below = x < 0.707106781186547524f;                                                     \
        const name##_vf tmp = (name##_vf)((name##_vi)x & below);                                               \
        x = x - 1.0f;                                                                                          \
        e = e - (name##_vf)((name##_vi)(zero + 1.0f) & below);                                                 \
        x = x + tmp;                                                                                           \
        const name##_vf z = x * x;                                                                             \
        name##_vf y = zero + 7.0376836292e-2f;                                                                 \
        y = CK_FMA(y, x, zero + -1.1514610310e-1f);                                                            \
        y = CK_FMA(y, x, zero + 1.1676998740e-1f);                                                             \
        y = CK_FMA(y, x, zero + -1.2420140846e-1f);                                                            \
        y = CK_FMA(y, x, zero + 1.4249322787e-1f);                                                             \
        y = CK_FMA(y, x, zero + -1.6668057665e-1f);                                                            \
        y = CK_FMA(y, x, zero + 2.0000714765e-1f);                                                             \
        y = CK_FMA(y, x, zero + -2.4999993993e-1f);                                                            \
        y = CK_FMA(y, x, zero + 3.3333331174e-1f);                                                             \
        y = y * x;                                                                                             \
        y = CK_FMA(y, z, e * -2.12194440e-4f);                                                                 \
        y = CK_FMA(z, zero + -0.5f, y);                                                                        \
        x = x + y;                                                                                             \
        return CK_FMA(e, zero + 0.693359375f, x);                                                              \
    }                                                                                                          \
    /* (sin x, cos x) for x >= 0 (avx_mathfun's sincos256_ps): reduction by multiples of π/4 in three          \
       parts (Cody-Waite), then the Cephes sine and cosine polynomials on [-π/4, π/4]. */                      \
    static attrs CK_ALWAYS_INLINE void name##_sincos(name##_vf input, name##_vf *sine, name##_vf *cosine) {    \
        const name##_vf zero = {0};                                                                            \
        name##_vi signSin = (name##_vi)input & (int32_t)0x80000000;                                            \
        name##_vf x = (name##_vf)((name##_vi)input & 0x7fffffff);                                              \
        name##_vi octant = __builtin_convertvector(x * 1.27323954473516f, name##_vi);                          \
        octant = (octant + 1) & ~1;                                                                            \
        const name##_vf y = __builtin_convertvector(octant, name##_vf);                                        \
        signSin ^= (octant & 4) << 29;                                                                         \
        const name##_vi signCos = (~(octant - 2) & 4) << 29;                                                   \
        const name##_vi sinePolynomial = (octant & 2) == 0;                                                    \
        x = CK_FMA(y, zero + -0.78515625f, x);                                                                 \
        x = CK_FMA(y, zero + -2.4187564849853515625e-4f, x);                                                   \
        x = CK_FMA(y, zero + -3.77489497744594108e-8f, x);                                                     \
        const name##_vf z = x * x;                                                                             \
        name##_vf c = CK_FMA(zero + 2.443315711809948e-5f, z, zero + -1.388731625493765e-3f);                  \
        c = CK_FMA(c, z, zero + 4.166664568298827e-2f);                                                        \
        c = c * z;                                                                                             \
        c = CK_FMA(c, z, -(z * 0.5f));                                                                         \
        c = c + 1.0f;                                                                                          \
        name##_vf s = CK_FMA(zero + -1.9515295891e-4f, z, zero + 8.3321608736e-3f);                            \
        s = CK_FMA(s, z, zero + -1.6666654611e-1f);                                                            \
        s = s * z;                                                                                             \
        s = CK_FMA(s, x, x);                                                                                   \
        const name##_vi sv = ((name##_vi)s & sinePolynomial) | ((name##_vi)c & ~sinePolynomial);               \
        const name##_vi cv = ((name##_vi)c & sinePolynomial) | ((name##_vi)s & ~sinePolynomial);               \
        *sine = (name##_vf)(sv ^ signSin);                                                                     \
        *cosine = (name##_vf)(cv ^ signCos);                                                                   \
    }                                                                                                          \
    static attrs void name(float *data, long blocks, float mean, float std) {                                  \
        const float twoPi = (float)(2 * 3.14159265358979323846);                                               \
        for (long b = 0; b < blocks; b++) {                                                                    \
            for (int h = 0; h < 8; h += (lanes)) {                                                             \
                float *lo = data + 16 * b + h, *hi = lo + 8;                                                   \
                name##_vf u1, u2, sine, cosine;                                                                \
                memcpy(&u1, lo, sizeof u1);                                                                    \
                memcpy(&u2, hi, sizeof u2);                                                                    \
                const name##_vf zero = {0};                                                                    \
                const name##_vf radius = __builtin_elementwise_sqrt(-2.0f * name##_log(1.0f - u1));            \
                name##_sincos(twoPi * u2, &sine, &cosine);                                                     \
                const name##_vf first = CK_FMA(radius * cosine, zero + std, zero + mean);                      \
                const name##_vf second = CK_FMA(radius * sine, zero + std, zero + mean);                       \
                memcpy(lo, &first, sizeof first);                                                              \
                memcpy(hi, &second, sizeof second);                                                            \
            }                                                                                                  \
        }                                                                                                      \
    }

CK_DEFINE_NORMAL(ck_snormal16_portable, 4, )
#if CK_X86
CK_DEFINE_NORMAL(ck_snormal16_avx2, 8, __attribute__((target("avx2,fma"))))
#endif

void ck_snormal16_isa(int isa, float *data, long blocks, float mean, float std) {
#if CK_X86
    if (isa > ck_isa()) isa = ck_isa();
    if (isa >= CK_ISA_AVX2) {
        ck_snormal16_avx2(data, blocks, mean, std);
        return;
    }
#else
    (void)isa;
#endif
    ck_snormal16_portable(data, blocks, mean, std);
}

void ck_snormal16(float *data, long blocks, float mean, float std) {
    ck_snormal16_isa(ck_isa(), data, blocks, mean, std);
}
