/*
 * Layer normalisation of rows, forward and the input's gradient (ck_slayer_norm, ck_dlayer_norm,
 * ck_slayer_norm_backward, ck_dlayer_norm_backward; see CKernels.h), in one algorithm for float and
 * double written with GCC/Clang vector extensions of four lanes (SSE2 or NEON).
 *
 * Each row sum is four partial sums, lane k taking elements k, k + 4, k + 8, ... in order (the
 * width's last width % 4 elements go to lane 0, in order), then (s0 + s1) + (s2 + s3): the bits
 * do not depend on the vector width or on how rows are grouped. Four rows are summed side by side,
 * so that their additions, each chain waiting on the one before, overlap: one row at a time,
 * those chains set the pace (row sums were most of a GPT's LayerNorm time). No product-sum is
 * contracted into an FMA.
 */
#include <math.h>
#include <string.h>

#include "CKernels.h"

#pragma clang fp contract(off)

/* Rows summed side by side. */
#define CK_LN_ROWS 4

/* The vector of type v4 at p (unaligned), and the total (s0 + s1) + (s2 + s3) of partial sums s. */
#define CK_LN_LOAD(v4, p)                                                                                      \
    ({                                                                                                         \
        v4 loaded_;                                                                                            \
        memcpy(&loaded_, (p), sizeof loaded_);                                                                 \
        loaded_;                                                                                               \
    })
#define CK_LN_TOTAL(s) (((s)[0] + (s)[1]) + ((s)[2] + (s)[3]))

#define CK_DEFINE_LAYER_NORM(T, v4, sfx, root)                                                                     \
    typedef T v4 __attribute__((vector_size(4 * sizeof(T))));                                                  \
                                                                                                               \
    /* The statistics of rows r0 ..< r0 + nr (nr <= CK_LN_ROWS): Σ x and Σ (x - mean)². */                     \
    static inline __attribute__((always_inline)) void ck_ln_stats_##sfx(const int nr, const T *x, long width,  \
                                                                       T eps, T *means, T *rstds) {            \
        v4 sum[CK_LN_ROWS] = {{0}};                                                                            \
        long j = 0;                                                                                            \
        for (; j + 4 <= width; j += 4)                                                                         \
            for (int r = 0; r < nr; r++) sum[r] += CK_LN_LOAD(v4, x + r * width + j);                        \
        for (long t = j; t < width; t++)                                                                       \
            for (int r = 0; r < nr; r++) sum[r][0] += x[r * width + t];                                        \
        T mean[CK_LN_ROWS];                                                                                    \
        v4 square[CK_LN_ROWS] = {{0}};                                                                         \
        for (int r = 0; r < nr; r++) mean[r] = CK_LN_TOTAL(sum[r]) / (T)width;                           \
        for (j = 0; j + 4 <= width; j += 4)                                                                    \
            for (int r = 0; r < nr; r++) {                                                                     \
                const v4 d = CK_LN_LOAD(v4, x + r * width + j) - mean[r];                                    \
                square[r] += d * d;                                                                            \
            }                                                                                                  \
        for (long t = j; t < width; t++)                                                                       \
            for (int r = 0; r < nr; r++) {                                                                     \
                const T d = x[r * width + t] - mean[r];                                                        \
                square[r][0] += d * d;                                                                         \
            }                                                                                                  \
        for (int r = 0; r < nr; r++) {                                                                         \
            means[r] = mean[r];                                                                                \
            rstds[r] = (T)1 / root(CK_LN_TOTAL(square[r]) / (T)width + eps);                                 \
        }                                                                                                      \
    }                                                                                                          \
                                                                                                               \
    void ck_##sfx##layer_norm(const T *x, T *y, const T *weight, const T *bias, long rows, long width, T eps,  \
                              T *means, T *rstds) {                                                            \
        for (long r0 = 0; r0 < rows; r0 += CK_LN_ROWS) {                                                       \
            const int nr = rows - r0 < CK_LN_ROWS ? (int)(rows - r0) : CK_LN_ROWS;                             \
            if (nr == CK_LN_ROWS) ck_ln_stats_##sfx(CK_LN_ROWS, x + r0 * width, width, eps, means + r0, rstds + r0); \
            else                                                                                               \
                for (int r = 0; r < nr; r++)                                                                   \
                    ck_ln_stats_##sfx(1, x + (r0 + r) * width, width, eps, means + r0 + r, rstds + r0 + r);    \
            for (long r = r0; r < r0 + nr; r++) {                                                              \
                const T *xr = x + r * width;                                                                   \
                T *yr = y + r * width;                                                                         \
                const T mean = means[r], rstd = rstds[r];                                                      \
                long j = 0;                                                                                    \
                for (; j + 4 <= width; j += 4) {                                                               \
                    v4 v = (CK_LN_LOAD(v4, xr + j) - mean) * rstd;                                             \
                    if (weight) v = v * CK_LN_LOAD(v4, weight + j);                                            \
                    if (bias) v = v + CK_LN_LOAD(v4, bias + j);                                                \
                    memcpy(yr + j, &v, sizeof v);                                                              \
                }                                                                                              \
                for (; j < width; j++) {                                                                       \
                    T v = (xr[j] - mean) * rstd;                                                               \
                    if (weight) v = v * weight[j];                                                             \
                    if (bias) v = v + bias[j];                                                                 \
                    yr[j] = v;                                                                                 \
                }                                                                                              \
            }                                                                                                  \
        }                                                                                                      \
    }                                                                                                          \
                                                                                                               \
    /* Σ ĝ and Σ ĝ x̂ of rows r0 ..< r0 + nr, ĝ = g · weight (g without a weight), x̂ = (x - mean) rstd. */   \
    static inline __attribute__((always_inline)) void ck_ln_gradient_sums_##sfx(                               \
        const int nr, const T *x, const T *g, const T *weight, const T *means, const T *rstds, long width,      \
        T *meanG, T *meanGX) {                                                                                 \
        v4 sumG[CK_LN_ROWS] = {{0}}, sumGX[CK_LN_ROWS] = {{0}};                                                \
        long j = 0;                                                                                            \
        for (; j + 4 <= width; j += 4) {                                                                       \
            const v4 w = weight ? CK_LN_LOAD(v4, weight + j) : (v4){1, 1, 1, 1};                             \
            for (int r = 0; r < nr; r++) {                                                                     \
                v4 gh = CK_LN_LOAD(v4, g + r * width + j);                                                   \
                if (weight) gh = gh * w;                                                                       \
                const v4 xh = (CK_LN_LOAD(v4, x + r * width + j) - means[r]) * rstds[r];                     \
                sumG[r] += gh;                                                                                 \
                sumGX[r] += gh * xh;                                                                           \
            }                                                                                                  \
        }                                                                                                      \
        for (long t = j; t < width; t++)                                                                       \
            for (int r = 0; r < nr; r++) {                                                                     \
                T gh = g[r * width + t];                                                                       \
                if (weight) gh = gh * weight[t];                                                               \
                const T xh = (x[r * width + t] - means[r]) * rstds[r];                                         \
                sumG[r][0] += gh;                                                                              \
                sumGX[r][0] += gh * xh;                                                                        \
            }                                                                                                  \
        for (int r = 0; r < nr; r++) {                                                                         \
            meanG[r] = CK_LN_TOTAL(sumG[r]) / (T)width;                                                  \
            meanGX[r] = CK_LN_TOTAL(sumGX[r]) / (T)width;                                                \
        }                                                                                                      \
    }                                                                                                          \
                                                                                                               \
    void ck_##sfx##layer_norm_backward(const T *x, const T *g, const T *weight, const T *means, const T *rstds, \
                                       T *dx, long rows, long width) {                                         \
        for (long r0 = 0; r0 < rows; r0 += CK_LN_ROWS) {                                                       \
            const int nr = rows - r0 < CK_LN_ROWS ? (int)(rows - r0) : CK_LN_ROWS;                             \
            T meanG[CK_LN_ROWS], meanGX[CK_LN_ROWS];                                                           \
            const T *xs = x + r0 * width, *gs = g + r0 * width;                                                \
            if (nr == CK_LN_ROWS)                                                                              \
                ck_ln_gradient_sums_##sfx(CK_LN_ROWS, xs, gs, weight, means + r0, rstds + r0, width, meanG,     \
                                          meanGX);                                                             \
            else                                                                                               \
                for (int r = 0; r < nr; r++)                                                                   \
                    ck_ln_gradient_sums_##sfx(1, xs + r * width, gs + r * width, weight, means + r0 + r,       \
                                              rstds + r0 + r, width, meanG + r, meanGX + r);                   \
            for (int r = 0; r < nr; r++) {                                                                     \
                const T *xr = xs + r * width, *gr = gs + r * width;                                            \
                T *dr = dx + (r0 + r) * width;                                                                 \
                const T mean = means[r0 + r], rstd = rstds[r0 + r];                                            \
                long j = 0;                                                                                    \
                for (; j + 4 <= width; j += 4) {                                                               \
                    v4 gh = CK_LN_LOAD(v4, gr + j);                                                            \
                    if (weight) gh = gh * CK_LN_LOAD(v4, weight + j);                                          \
                    const v4 xh = (CK_LN_LOAD(v4, xr + j) - mean) * rstd;                                      \
                    const v4 d = rstd * ((gh - meanG[r]) - xh * meanGX[r]);                                    \
                    memcpy(dr + j, &d, sizeof d);                                                              \
                }                                                                                              \
                for (; j < width; j++) {                                                                       \
                    const T gh = weight ? gr[j] * weight[j] : gr[j];                                           \
                    const T xh = (xr[j] - mean) * rstd;                                                        \
                    dr[j] = rstd * ((gh - meanG[r]) - xh * meanGX[r]);                                         \
                }                                                                                              \
            }                                                                                                  \
        }                                                                                                      \
    }

CK_DEFINE_LAYER_NORM(float, ck_ln_v4f, s, sqrtf)
CK_DEFINE_LAYER_NORM(double, ck_ln_v4d, d, sqrt)
