/*
 * Our single-precision GEMM (CKernels) against the MKL that PyTorch ships (libtorch_cpu exports
 * it as SGEMM), in one process: alternating blocks of back-to-back products, each block like one
 * `examples bench --only gemmN` / torch_baseline.py measurement (3 warm-ups, then `reps` timed
 * products). Both libraries see the same memory, the same machine load within a second, and the
 * same operands, so the pairwise ratio is far steadier than two separate programs' figures.
 *
 *   gemm_vs_mkl SIZE THREADS BLOCKS REPS
 *
 * SIZE is N for an N x N by N x N product, or M,N,K[,TA,TB] for C (M x N) = op(A) op(B) with
 * op(A) M x K and op(B) K x N, transposed (TA, TB = 1) or not (0, the default): the shapes of a
 * model's products (a weight gradient is 1024,256,2048,1,0).
 *
 * Run it through Scripts/gemm-vs-mkl.sh, which builds it and sets MKL's thread count.
 */
#include "CKernels.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* MKL's Fortran interface (column-major): C = alpha * op(A) * op(B) + beta * C. */
void SGEMM(const char *transa, const char *transb, const int *m, const int *n, const int *k, const float *alpha,
           const float *a, const int *lda, const float *b, const int *ldb, const float *beta, float *c, const int *ldc);

static int m, n, k, transA, transB, threads;
static float *a, *b, *ours_c, *mkl_c;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* C = A B, row-major, as Tensor.matmul runs a large product: a job shared by `threads` threads,
   or one thread when there is one, or too few rows of tiles to share. */
static void ours(void) {
    const int lda = transA ? m : k, ldb = transB ? k : n;
    ck_gemm_job *job = ck_sgemm_job(ck_isa(), transA, transB, m, n, k, 1, a, lda, b, ldb, 0, ours_c, n, threads);
    if (!job) {
        ck_sgemm(transA, transB, m, n, k, 1, a, lda, b, ldb, 0, ours_c, n);
        return;
    }
    ck_gemm_job_run(job, threads);
    ck_gemm_job_free(job);
}

/* The same row-major product through column-major SGEMM, as PyTorch calls it: C^T = op(B)^T op(A)^T. */
static void mkl(void) {
    const float one = 1, zero = 0;
    const int lda = transA ? m : k, ldb = transB ? k : n;
    SGEMM(transB ? "T" : "N", transA ? "T" : "N", &n, &m, &k, &one, b, &ldb, a, &lda, &zero, mkl_c, &n);
}

/* GFLOP/s of one block, after a pause long enough for the other library's threads to sleep. */
static double block(void (*product)(void), int reps) {
    usleep(100000);
    for (int i = 0; i < 3; i++) product();
    const double start = now();
    for (int i = 0; i < reps; i++) product();
    return 2.0 * m * n * (double)k * reps / (now() - start) / 1e9;
}

/* The decimal integer at *s, in [0, INT_MAX], followed by the separator `end` or the end of the
   string: advances *s past both and returns 2 after a separator, 1 at the end. Returns 0 on
   anything else (signs, spaces, overflow), where sscanf's %d and atoi had undefined behaviour. */
static int parse_count(const char **s, char end, int *out) {
    if (**s < '0' || **s > '9') return 0;
    char *stop;
    errno = 0;
    const long value = strtol(*s, &stop, 10);
    if (errno == ERANGE || value > INT_MAX || (*stop != end && *stop != '\0')) return 0;
    *out = (int)value;
    if (*stop == '\0') {
        *s = stop;
        return 1;
    }
    *s = stop + 1;
    return 2;
}

/* The fields of SIZE (N, or M,N,K[,TA,TB]) into m, n, k, transA, transB; 0 if malformed. */
static int parse_size(const char *s) {
    int *fields[] = {&m, &n, &k, &transA, &transB}, count = 0, status = 2;
    while (status == 2) {
        if (count == 5 || !(status = parse_count(&s, ',', fields[count]))) return 0;
        count++;
    }
    if (count != 1 && count != 3 && count != 5) return 0;
    if (count == 1) n = k = m;
    return 1;
}

static int ascending(const void *x, const void *y) {
    const double p = *(const double *)x, q = *(const double *)y;
    return (p > q) - (p < q);
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, ascending);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: gemm_vs_mkl SIZE THREADS BLOCKS REPS\n");
        return 2;
    }
    int blocks = 0, reps = 0;
    const char *counts[] = {argv[2], argv[3], argv[4]};
    int *countFields[] = {&threads, &blocks, &reps}, countsValid = 1;
    for (int i = 0; i < 3; i++) countsValid &= parse_count(&counts[i], '\0', countFields[i]);
    if (!parse_size(argv[1]) || !countsValid || m < 1 || n < 1 || k < 1 || (transA | transB) & ~1 ||
        threads < 1 || blocks < 1 || reps < 1) {
        fprintf(stderr, "error: SIZE (N or M,N,K[,TA,TB]), THREADS, BLOCKS and REPS must be positive, TA and TB 0 or 1\n");
        return 2;
    }
    const size_t count = (size_t)m * (size_t)n;
    a = malloc((size_t)m * (size_t)k * sizeof *a), b = malloc((size_t)k * (size_t)n * sizeof *b);
    ours_c = malloc(count * sizeof *ours_c), mkl_c = malloc(count * sizeof *mkl_c);
    double *ours_g = malloc((size_t)blocks * sizeof(double)), *mkl_g = malloc((size_t)blocks * sizeof(double));
    double *ratio = malloc((size_t)blocks * sizeof(double));
    if (!a || !b || !ours_c || !mkl_c || !ours_g || !mkl_g || !ratio) {
        fprintf(stderr, "error: out of memory\n");
        return 1;
    }
    srand(1);
    for (size_t i = 0; i < (size_t)m * (size_t)k; i++) a[i] = (float)rand() / (float)RAND_MAX * 2 - 1;
    for (size_t i = 0; i < (size_t)k * (size_t)n; i++) b[i] = (float)rand() / (float)RAND_MAX * 2 - 1;
    int ahead = 0;
    for (int i = 0; i < blocks; i++) {
        /* Alternate which library goes first, so neither always follows the other. */
        if (i % 2 == 0) ours_g[i] = block(ours, reps), mkl_g[i] = block(mkl, reps);
        else mkl_g[i] = block(mkl, reps), ours_g[i] = block(ours, reps);
        ratio[i] = ours_g[i] / mkl_g[i];
        ahead += ratio[i] > 1;
    }
    double difference = 0, largest = 0;
    for (size_t i = 0; i < count; i++) {
        difference = fmax(difference, fabs((double)ours_c[i] - mkl_c[i]));
        largest = fmax(largest, fabs((double)mkl_c[i]));
    }
    const double paired = median(ratio, blocks), ours_m = median(ours_g, blocks), mkl_m = median(mkl_g, blocks);
    printf("{\"m\": %d, \"n\": %d, \"k\": %d, \"trans_a\": %d, \"trans_b\": %d, \"threads\": %d, \"blocks\": %d, "
           "\"reps\": %d, \"ours_median_gflops\": %.1f, \"ours_best_gflops\": %.1f, \"mkl_median_gflops\": %.1f, "
           "\"mkl_best_gflops\": %.1f, \"median_paired_ratio\": %.3f, \"blocks_ours_faster\": %d, "
           "\"max_relative_difference\": %.2g}\n",
           m, n, k, transA, transB, threads, blocks, reps, ours_m, ours_g[blocks - 1], mkl_m, mkl_g[blocks - 1],
           paired, ahead, difference / largest);
    return 0;
}
