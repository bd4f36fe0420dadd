/*
 * What the vectorised elementwise functions (tanh.c, exp.c, sqrt.c) share: the array driver, the
 * instruction-set dispatch and the reduction of e^y. Not a public header.
 */
#ifndef CK_VECTOR_MAP_H
#define CK_VECTOR_MAP_H

#include "CKernels.h"
#include "gemm_internal.h"

/* Defines `static void name(const T *x, T *y, long n)`, which stores one(v) for every vector v
   of `lanes` elements of x (vector type vf) into y (y may equal x); a tail of fewer than `lanes`
   elements goes through a zero-padded stack vector. */
#define CK_DEFINE_MAP(name, T, vf, lanes, attrs, one)                                                          \
    static attrs void name(const T *x, T *y, long n) {                                                         \
        long i = 0;                                                                                            \
        for (; i + (lanes) <= n; i += (lanes)) {                                                               \
            vf v;                                                                                              \
            memcpy(&v, x + i, sizeof v);                                                                       \
            v = one(v);                                                                                        \
            memcpy(y + i, &v, sizeof v);                                                                       \
        }                                                                                                      \
        if (i < n) {                                                                                           \
            vf v = {0};                                                                                        \
            memcpy(&v, x + i, (size_t)(n - i) * sizeof(T));                                                   \
            v = one(v);                                                                                        \
            memcpy(y + i, &v, (size_t)(n - i) * sizeof(T));                                                   \
        }                                                                                                      \
    }

/* In a function of vectors of type vf (with `zero` a zero vector): declares nf, round(y / ln2) as
   floats, and q = e^r for r = y - nf·ln2 (ln2 split in two for an exact reduction, |r| <= ln2 / 2),
   q the degree-7 Taylor polynomial (truncation error below 6e-9 relative), so that
   e^y = 2^nf · q. Needs |y| < 2^22 · ln2. */
#define CK_EXP_REDUCE(vf, zero, y, nf, q)                                                                      \
    const vf CK_CAT(nf, _shifter) = (zero) + 12582912.0f; /* 1.5 · 2^23: adding it rounds to an integer */  \
    const vf nf = ((y) * 1.44269504088896341f + CK_CAT(nf, _shifter)) - CK_CAT(nf, _shifter);                 \
    vf CK_CAT(nf, _r) = (y) - nf * 0.693145751953125f;                                                         \
    CK_CAT(nf, _r) = CK_CAT(nf, _r) - nf * 1.42860682030941723212e-6f;                                         \
    vf q = (zero) + 1.0f / 5040.0f;                                                                            \
    q = q * CK_CAT(nf, _r) + 1.0f / 720.0f;                                                                    \
    q = q * CK_CAT(nf, _r) + 1.0f / 120.0f;                                                                    \
    q = q * CK_CAT(nf, _r) + 1.0f / 24.0f;                                                                     \
    q = q * CK_CAT(nf, _r) + 1.0f / 6.0f;                                                                      \
    q = q * CK_CAT(nf, _r) + 0.5f;                                                                             \
    q = q * CK_CAT(nf, _r) + 1.0f;                                                                             \
    q = q * CK_CAT(nf, _r) + 1.0f

/* Defines the public `name_isa(isa, x, y, n)` on arrays of T, which runs name_avx512, name_avx2 or
   name_portable (at most the instruction set `isa`, lowered to what the CPU supports), and
   `name(x, y, n)` at the active instruction set (ck_isa). */
#if CK_X86
#define CK_DEFINE_DISPATCH(name, T)                                                                            \
    void name##_isa(int isa, const T *x, T *y, long n) {                                                       \
        if (isa > ck_isa()) isa = ck_isa();                                                \
        switch (isa) {                                                                                         \
        case CK_ISA_AVX512: name##_avx512(x, y, n); break;                                                     \
        case CK_ISA_AVX2: name##_avx2(x, y, n); break;                                                         \
        default: name##_portable(x, y, n); break;                                                              \
        }                                                                                                      \
    }                                                                                                          \
    void name(const T *x, T *y, long n) { name##_isa(ck_isa(), x, y, n); }
#else
#define CK_DEFINE_DISPATCH(name, T)                                                                            \
    void name##_isa(int isa, const T *x, T *y, long n) {                                                       \
        (void)isa;                                                                                             \
        name##_portable(x, y, n);                                                                              \
    }                                                                                                          \
    void name(const T *x, T *y, long n) { name##_isa(ck_isa(), x, y, n); }
#endif

#endif
