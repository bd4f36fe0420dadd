/*
 * Our single-precision GEMM (CKernels) against the MKL that PyTorch ships (libtorch_cpu exports
 * it as SGEMM), in one process: alternating blocks of back-to-back products, each block like one
 * `examples bench --only gemmN` / torch_baseline.py measurement (3 warm-ups, then `reps` timed
 * products). Both libraries see the same memory, the same machine load within a second, and the
 * same operands, so the pairwise ratio is far steadier than two separate programs' figures.
 *
 *   gemm_vs_mkl SIZE THREADS BLOCKS REPS
 *
 * Run it through Scripts/gemm-vs-mkl.sh, which builds it and sets MKL's thread count.
 */
#include "CKernels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* MKL's Fortran interface (column-major): C = alpha * op(A) * op(B) + beta * C. */
void SGEMM(const char *transa, const char *transb, const int *m, const int *n, const int *k, const float *alpha,
           const float *a, const int *lda, const float *b, const int *ldb, const float *beta, float *c, const int *ldc);

static int size, threads;
static float *a, *b, *ours_c, *mkl_c;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* C = A B, row-major, as Tensor.matmul runs a large product: a job shared by `threads` threads,
   or one thread when there is one, or too few rows of tiles to share. */
static void ours(void) {
    ck_gemm_job *job = ck_sgemm_job(ck_isa(), 0, 0, size, size, size, 1, a, size, b, size, 0, ours_c, size, threads);
    if (!job) {
        ck_sgemm(0, 0, size, size, size, 1, a, size, b, size, 0, ours_c, size);
        return;
    }
    ck_gemm_job_run(job, threads);
    ck_gemm_job_free(job);
}

/* The same row-major product through column-major SGEMM, as PyTorch calls it: C^T = B^T A^T. */
static void mkl(void) {
    const float one = 1, zero = 0;
    SGEMM("N", "N", &size, &size, &size, &one, b, &size, a, &size, &zero, mkl_c, &size);
}

/* GFLOP/s of one block, after a pause long enough for the other library's threads to sleep. */
static double block(void (*product)(void), int reps) {
    usleep(100000);
    for (int i = 0; i < 3; i++) product();
    const double start = now();
    for (int i = 0; i < reps; i++) product();
    return 2.0 * size * size * (double)size * reps / (now() - start) / 1e9;
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
    size = atoi(argv[1]), threads = atoi(argv[2]);
    const int blocks = atoi(argv[3]), reps = atoi(argv[4]);
    if (size < 1 || threads < 1 || blocks < 1 || reps < 1) {
        fprintf(stderr, "error: SIZE, THREADS, BLOCKS and REPS must be positive\n");
        return 2;
    }
    const size_t count = (size_t)size * (size_t)size;
    a = malloc(count * sizeof *a), b = malloc(count * sizeof *b);
    ours_c = malloc(count * sizeof *ours_c), mkl_c = malloc(count * sizeof *mkl_c);
    double *ours_g = malloc((size_t)blocks * sizeof(double)), *mkl_g = malloc((size_t)blocks * sizeof(double));
    double *ratio = malloc((size_t)blocks * sizeof(double));
    if (!a || !b || !ours_c || !mkl_c || !ours_g || !mkl_g || !ratio) {
        fprintf(stderr, "error: out of memory\n");
        return 1;
    }
    srand(1);
    for (size_t i = 0; i < count; i++) {
        a[i] = (float)rand() / (float)RAND_MAX * 2 - 1;
        b[i] = (float)rand() / (float)RAND_MAX * 2 - 1;
    }
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
    printf("{\"size\": %d, \"threads\": %d, \"blocks\": %d, \"reps\": %d, \"ours_median_gflops\": %.1f, "
           "\"ours_best_gflops\": %.1f, \"mkl_median_gflops\": %.1f, \"mkl_best_gflops\": %.1f, "
           "\"median_paired_ratio\": %.3f, \"blocks_ours_faster\": %d, \"max_relative_difference\": %.2g}\n",
           size, threads, blocks, reps, ours_m, ours_g[blocks - 1], mkl_m, mkl_g[blocks - 1], paired, ahead,
           difference / largest);
    return 0;
}
