#pragma once
/*
 * CKernels: packed, register-blocked GEMM for float and double, the worker threads that run
 * every parallel region (ck_parallel_for), vectorised elementwise functions, layer normalisation
 * of rows, PyTorch's float Box-Muller transform, and one allocator setting.
 *
 * All matrices are row-major. Semantics are exactly BLAS's (xGEMM), transposed to row-major:
 *
 *     C = alpha * op(A) * op(B) + beta * C,   op(X) = X (trans == 0) or X^T (trans != 0)
 *
 * op(A) is M x K, op(B) is K x N, C is M x N. A is stored M x K (lda >= K) or, when transA,
 * K x M (lda >= M); B is stored K x N (ldb >= N) or, when transB, N x K (ldb >= K); ldc >= N.
 * When beta == 0, C is never read (NaNs in C do not propagate). When alpha == 0 or K == 0,
 * A and B are not read and C = beta * C.
 *
 * The kernels are single-threaded and reentrant: every call has its own packing buffers, so
 * callers may run several calls concurrently on disjoint blocks of C. A product can also be
 * shared by several threads as a job (ck_sgemm_job), which hands out blocks of rows as threads
 * become free and packs op(B) once for all of them. The instruction set (AVX-512F, AVX2+FMA or
 * portable C) is chosen at run time.
 */

#ifdef __cplusplus
extern "C" {
#endif

/// Instruction-set levels returned by ck_isa() and accepted by the *_isa entry points.
enum {
    CK_ISA_PORTABLE = 0,
    CK_ISA_AVX2 = 1,
    CK_ISA_AVX512 = 2
};

/// Single-precision GEMM: C = alpha * op(A) * op(B) + beta * C (row-major, see above).
void ck_sgemm(int transA, int transB, long M, long N, long K, float alpha, const float *A, long lda,
              const float *B, long ldb, float beta, float *C, long ldc);

/// Double-precision GEMM: C = alpha * op(A) * op(B) + beta * C (row-major, see above).
void ck_dgemm(int transA, int transB, long M, long N, long K, double alpha, const double *A, long lda,
              const double *B, long ldb, double beta, double *C, long ldc);

/// ck_sgemm using at most the instruction set `isa` (CK_ISA_*); a level the CPU lacks is
/// lowered to the best supported one. Meant for tests.
void ck_sgemm_isa(int isa, int transA, int transB, long M, long N, long K, float alpha, const float *A,
                  long lda, const float *B, long ldb, float beta, float *C, long ldc);

/// ck_dgemm using at most the instruction set `isa` (see ck_sgemm_isa).
void ck_dgemm_isa(int isa, int transA, int transB, long M, long N, long K, double alpha, const double *A,
                  long lda, const double *B, long ldb, double beta, double *C, long ldc);

/// The number of floats ck_sgemm_pack_b writes for an op(B) of K x N at instruction set `isa`
/// (lowered as in ck_sgemm_isa); 0 when N or K is not positive.
long ck_sgemm_packed_b_size(int isa, long N, long K);

/// ck_sgemm_packed_b_size in double precision.
long ck_dgemm_packed_b_size(int isa, long N, long K);

/// Packs op(B) (K x N; B stored as for ck_sgemm) whole into Bp (ck_sgemm_packed_b_size(isa, N, K)
/// floats, 64-byte aligned for the best speed) in the layout the kernels of `isa` read, so that
/// many products with the same op(B) (a recurrence's weight, step after step) pack it only once.
void ck_sgemm_pack_b(int isa, int transB, long N, long K, const float *B, long ldb, float *Bp);

/// ck_sgemm_pack_b in double precision.
void ck_dgemm_pack_b(int isa, int transB, long N, long K, const double *B, long ldb, double *Bp);

/// C = alpha * op(A) * op(B) + beta * C (as ck_sgemm_isa) with op(B) packed by ck_sgemm_pack_b
/// at the same `isa`, N and K. Single-threaded and reentrant; Bp is only read, so several threads
/// may use one packed op(B) at once. Every element is computed exactly as ck_sgemm_isa computes it.
void ck_sgemm_prepacked(int isa, int transA, long M, long N, long K, float alpha, const float *A, long lda,
                        const float *Bp, float beta, float *C, long ldc);

/// ck_sgemm_prepacked in double precision (op(B) packed by ck_dgemm_pack_b).
void ck_dgemm_prepacked(int isa, int transA, long M, long N, long K, double alpha, const double *A, long lda,
                        const double *Bp, double beta, double *C, long ldc);

/// A product shared by several threads: see ck_sgemm_job.
typedef struct ck_gemm_job ck_gemm_job;

/// Prepares C = alpha * op(A) * op(B) + beta * C (as ck_sgemm_isa) to be computed by up to
/// `threads` threads, each calling ck_gemm_job_work(job); then the caller frees it with
/// ck_gemm_job_free. The rows of C are cut into about four blocks per thread, handed out as
/// threads become free; when op(B) does not fit in L2 it is packed once, panel by panel, for all
/// threads. Returns NULL when there are fewer than two row tiles per thread, alpha == 0 or the
/// product is empty: compute it with ck_sgemm_isa instead. The packed op(B) lives in the calling
/// thread's scratch, so the caller must not start another job before this one is done. Every
/// element is computed as ck_sgemm computes it, whatever the number of threads that took part.
ck_gemm_job *ck_sgemm_job(int isa, int transA, int transB, long M, long N, long K, float alpha, const float *A,
                          long lda, const float *B, long ldb, float beta, float *C, long ldc, long threads);

/// ck_sgemm_job in double precision.
ck_gemm_job *ck_dgemm_job(int isa, int transA, int transB, long M, long N, long K, double alpha, const double *A,
                          long lda, const double *B, long ldb, double beta, double *C, long ldc, long threads);

/// Takes tasks of `job` until none is left; the product is complete once every call has returned.
/// Safe to call from several threads at once, or from one thread alone.
void ck_gemm_job_work(ck_gemm_job *job);

/// Runs ck_gemm_job_work(job) on the calling thread and on up to `threads - 1` of the workers of
/// ck_parallel_for, and returns once the product is complete.
void ck_gemm_job_run(ck_gemm_job *job, long threads);

/// Frees a job made by ck_sgemm_job or ck_dgemm_job, after every ck_gemm_job_work call returned.
void ck_gemm_job_free(ck_gemm_job *job);

/// A part of a parallel loop: called with the loop's context and the part's index.
typedef void (*ck_part_fn)(void *context, long part);

/// Calls fn(context, part) once for every part in 0..<parts, on the calling thread and on up to
/// `threads - 1` worker threads (never more threads than parts), and returns when all have
/// returned; each thread takes the next part as it becomes free. The workers start on first use
/// and stay: after a loop each polls for the next one for about 0.2 ms (yielding its processor at
/// every poll), then sleeps until woken, so back-to-back loops do not pay a thread wake-up each.
/// One loop runs on them at a time: a caller that finds them busy (another thread's loop, or a
/// loop started inside a part) runs all its parts itself, in order.
void ck_parallel_for(long parts, long threads, ck_part_fn fn, void *context);

/// y[i] = tanh(x[i]) for i < n in single precision, vectorised for the active instruction set
/// (see ck_isa); y may equal x (in place). Within 2 ulp of tanh; NaN propagates, ±inf gives ±1.
void ck_stanh(const float *x, float *y, long n);

/// ck_stanh using at most the instruction set `isa` (CK_ISA_*; see ck_sgemm_isa). Meant for tests.
void ck_stanh_isa(int isa, const float *x, float *y, long n);

/// y[i] = exp(x[i]) for i < n in single precision, vectorised for the active instruction set
/// (see ck_isa); y may equal x (in place). Within 2 ulp of exp, subnormal results included; NaN
/// propagates, -inf gives 0, +inf and overflow give +inf.
void ck_sexp(const float *x, float *y, long n);

/// ck_sexp using at most the instruction set `isa` (CK_ISA_*; see ck_sgemm_isa). Meant for tests.
void ck_sexp_isa(int isa, const float *x, float *y, long n);

/// The exact GELU y[i] = x[i] Φ(x[i]) (Φ the standard normal CDF) and, unless slope is NULL, its
/// derivative slope[i] = Φ(x[i]) + x[i] φ(x[i]), for i < n in single precision, vectorised for
/// the active instruction set (see ck_isa); y may equal x. erf is Abramowitz and Stegun's 7.1.26
/// (absolute error below 1.5e-7) on the vector exp of ck_sexp; NaN propagates.
void ck_sgelu(const float *x, float *y, float *slope, long n);

/// ck_sgelu using at most the instruction set `isa` (CK_ISA_*; see ck_sgemm_isa). Meant for tests.
void ck_sgelu_isa(int isa, const float *x, float *y, float *slope, long n);

/// Layer normalisation of `rows` rows of `width` elements (F.layer_norm over the last dimension):
/// y = (x - mean) · rstd · weight + bias per row, each operation rounded in that order, with
/// rstd = 1 / sqrt(var + eps) and var the biased variance Σ (x - mean)² / width; weight and bias
/// (`width` elements) may be NULL. Stores each row's mean and rstd in means[r] and rstds[r]. Each
/// row sum is four partial sums in a fixed order (see layer_norm.c), whatever the grouping of rows.
void ck_slayer_norm(const float *x, float *y, const float *weight, const float *bias, long rows, long width,
                    float eps, float *means, float *rstds);

/// ck_slayer_norm in double precision.
void ck_dlayer_norm(const double *x, double *y, const double *weight, const double *bias, long rows, long width,
                    double eps, double *means, double *rstds);

/// The input's gradient of ck_slayer_norm for the output gradient g, from the saved means and
/// rstds: per row, with x̂ = (x - mean) · rstd and ĝ = g · weight (g when weight is NULL),
/// dx = rstd · ((ĝ - mean(ĝ)) - x̂ · mean(ĝ x̂)), the means summed as ck_slayer_norm sums.
void ck_slayer_norm_backward(const float *x, const float *g, const float *weight, const float *means,
                             const float *rstds, float *dx, long rows, long width);

/// ck_slayer_norm_backward in double precision.
void ck_dlayer_norm_backward(const double *x, const double *g, const double *weight, const double *means,
                             const double *rstds, double *dx, long rows, long width);

/// y[i] = sqrt(x[i]) for i < n in single precision with vector instructions for the active
/// instruction set (see ck_isa); y may equal x. Exactly sqrt (IEEE square roots are correctly
/// rounded): negative inputs give NaN, without setting errno.
void ck_ssqrt(const float *x, float *y, long n);

/// ck_ssqrt in double precision.
void ck_dsqrt(const double *x, double *y, long n);

/// ck_ssqrt using at most the instruction set `isa` (CK_ISA_*; see ck_sgemm_isa). Meant for tests.
void ck_ssqrt_isa(int isa, const float *x, float *y, long n);

/// ck_dsqrt using at most the instruction set `isa`. Meant for tests.
void ck_dsqrt_isa(int isa, const double *x, double *y, long n);

/// PyTorch's Box-Muller transform for float normal_ (its AVX2 kernel normal_fill_16_AVX2, bit
/// for bit), in place on `blocks` consecutive blocks of 16 uniforms in [0, 1): in each block,
/// with u1 = 1 - data[j] and u2 = data[j + 8] for j < 8, r = sqrt(-2 ln u1) and θ = 2π u2,
/// data[j] = fma(r cos θ, std, mean) and data[j + 8] = fma(r sin θ, std, mean), where ln, sin and
/// cos are avx_mathfun's Cephes polynomials. Vectorised for the active instruction set (see
/// ck_isa); every instruction set gives the same bits.
void ck_snormal16(float *data, long blocks, float mean, float std);

/// ck_snormal16 using at most the instruction set `isa` (CK_ISA_*; see ck_sgemm_isa). Meant for tests.
void ck_snormal16_isa(int isa, float *data, long blocks, float mean, float std);

/// The best instruction set this CPU supports, which ck_sgemm/ck_dgemm and the vector functions
/// use: 0 portable, 1 AVX2+FMA, 2 AVX-512F. Callers that want another pass it to the *_isa entry
/// points.
int ck_isa(void);

/// The microkernel tile (rows MR, columns NR) used for float (isDouble == 0) or double at the
/// currently active instruction set: splitting M at multiples of MR and N at multiples of NR
/// keeps every thread's tiles full.
long ck_gemm_mr(int isDouble);
/// See ck_gemm_mr.
long ck_gemm_nr(int isDouble);

/// glibc's allocator only: serves blocks up to `largestHeapBlock` bytes from the heap instead of
/// fresh mmap mappings, and keeps up to `retainedFreeBytes` of freed heap mapped instead of
/// returning it to the kernel (mallopt M_MMAP_THRESHOLD and M_TRIM_THRESHOLD; both at most
/// INT_MAX). Returns 1 when both took effect, 0 otherwise (other C libraries: nothing is done).
int ck_malloc_reuse_freed_pages(long largestHeapBlock, long retainedFreeBytes);

#ifdef __cplusplus
}
#endif
