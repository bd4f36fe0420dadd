/*
 * Portable GEMM microkernels and drivers (single and double precision), instantiated from
 * gemm_kernel.h with 128-bit GCC/Clang vector extensions: SSE2 on x86-64, NEON on ARM64. Used when
 * the CPU has neither AVX-512F nor AVX2+FMA, and when a caller limits the instruction set (`GEMM.instructionSetLimit`, tests).
 */
#include "gemm_internal.h"

#define TGT

typedef float ck_v4f __attribute__((vector_size(16)));
typedef double ck_v2d __attribute__((vector_size(16)));

static inline ck_v4f ck_v4f_load(const float *p) {
    ck_v4f v;
    memcpy(&v, p, sizeof v);
    return v;
}
static inline void ck_v4f_store(float *p, ck_v4f v) { memcpy(p, &v, sizeof v); }
static inline ck_v4f ck_v4f_mload(const float *p, int n) {
    ck_v4f v = {0, 0, 0, 0};
    for (int i = 0; i < n; i++) v[i] = p[i];
    return v;
}
static inline void ck_v4f_mstore(float *p, int n, ck_v4f v) {
    for (int i = 0; i < n; i++) p[i] = v[i];
}
static inline ck_v2d ck_v2d_load(const double *p) {
    ck_v2d v;
    memcpy(&v, p, sizeof v);
    return v;
}
static inline void ck_v2d_store(double *p, ck_v2d v) { memcpy(p, &v, sizeof v); }
static inline ck_v2d ck_v2d_mload(const double *p, int n) {
    ck_v2d v = {0, 0};
    for (int i = 0; i < n; i++) v[i] = p[i];
    return v;
}
static inline void ck_v2d_mstore(double *p, int n, ck_v2d v) {
    for (int i = 0; i < n; i++) p[i] = v[i];
}

#define T float
#define V ck_v4f
#define VL 4
#define MR 4
#define KC 256
#define NC 128
#define MASKT int
#define V_MASK(n) (n)
#define V_NOMASK 4
#define ISA_SFX _s_portable
#define V_ZERO() ((ck_v4f){0, 0, 0, 0})
#define V_SET1(x) ((ck_v4f){0, 0, 0, 0} + (x))
#define V_LOAD(p) ck_v4f_load(p)
#define V_MLOAD(p, m) ck_v4f_mload((p), (m))
#define V_STORE(p, v) ck_v4f_store((p), (v))
#define V_MSTORE(p, m, v) ck_v4f_mstore((p), (m), (v))
#define V_FMA(a, b, c) ((a) * (b) + (c))
#define V_MUL(a, b) ((a) * (b))
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

#define T double
#define V ck_v2d
#define VL 2
#define MR 4
#define KC 256
#define NC 64
#define MASKT int
#define V_MASK(n) (n)
#define V_NOMASK 2
#define ISA_SFX _d_portable
#define V_ZERO() ((ck_v2d){0, 0})
#define V_SET1(x) ((ck_v2d){0, 0} + (x))
#define V_LOAD(p) ck_v2d_load(p)
#define V_MLOAD(p, m) ck_v2d_mload((p), (m))
#define V_STORE(p, v) ck_v2d_store((p), (v))
#define V_MSTORE(p, m, v) ck_v2d_mstore((p), (m), (v))
#define V_FMA(a, b, c) ((a) * (b) + (c))
#define V_MUL(a, b) ((a) * (b))
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
