/*
 * Square roots of whole arrays (ck_ssqrt, ck_dsqrt, see CKernels.h) with vector square-root
 * instructions: AVX-512F, AVX2 or 128-bit vectors, chosen at run time. libm's sqrt compiles to a
 * scalar instruction plus a call for negative inputs (it must set errno), which no loop around it
 * can vectorise. IEEE square roots are correctly rounded, so every instruction set gives the
 * bits of sqrt.
 */
#include "vector_map.h"

/* The square root of every lane of v: the vector instruction through Clang's elementwise builtin,
   or lane by lane where the compiler lacks it. */
#if defined(__has_builtin) && __has_builtin(__builtin_elementwise_sqrt)
#define CK_SQRT_LANES(v, lanes) return __builtin_elementwise_sqrt(v)
#else
#define CK_SQRT_LANES(v, lanes)                                                                                \
    for (int i = 0; i < (lanes); i++) v[i] = __builtin_sqrt(v[i]);                                            \
    return v
#endif

/* Defines `static void name(const T *x, T *y, long n)` for vectors of `lanes` elements of T with
   the function attributes `attrs` (see CK_DEFINE_MAP). */
#define CK_DEFINE_SQRT(name, T, lanes, attrs)                                                                  \
    typedef T CK_CAT(name, _v) __attribute__((vector_size(sizeof(T) * (lanes))));                              \
    static attrs CK_ALWAYS_INLINE CK_CAT(name, _v) CK_CAT(name, _one)(CK_CAT(name, _v) v) {                    \
        CK_SQRT_LANES(v, lanes);                                                                               \
    }                                                                                                          \
    CK_DEFINE_MAP(name, T, CK_CAT(name, _v), lanes, attrs, CK_CAT(name, _one))

CK_DEFINE_SQRT(ck_ssqrt_portable, float, 4, )
CK_DEFINE_SQRT(ck_dsqrt_portable, double, 2, )
#if CK_X86
CK_DEFINE_SQRT(ck_ssqrt_avx2, float, 8, __attribute__((target("avx2"))))
CK_DEFINE_SQRT(ck_dsqrt_avx2, double, 4, __attribute__((target("avx2"))))
CK_DEFINE_SQRT(ck_ssqrt_avx512, float, 16, __attribute__((target("avx512f"))))
CK_DEFINE_SQRT(ck_dsqrt_avx512, double, 8, __attribute__((target("avx512f"))))
#endif

CK_DEFINE_DISPATCH(ck_ssqrt, float)
CK_DEFINE_DISPATCH(ck_dsqrt, double)
