/*
 * GEMM template: included by gemm.c once per (instruction set, element type). Not a public header.
 *
 * The including file defines:
 *   T                 element type (float, double)
 *   V, VL             vector type and its number of lanes
 *   MASKT             lane-mask type; V_MASK(n) is the mask of the first n lanes (1 <= n <= VL),
 *                     V_NOMASK a placeholder mask for unmasked calls
 *   MR                rows of the register tile (<= 12); the tile is MR x NR with NR = 2 * VL
 *   KC, NC            cache blocking: depth of a packed panel (an A sliver, MR x KC, fits L1) and
 *                     the nominal columns of a packed B block (a multiple of NR; a KC x 1.5 NC
 *                     block fits L2; see ck_block_width)
 *   TGT               function attributes (target("avx512f"), ...)
 *   ISA_SFX           suffix appended to every function name
 *   V_ZERO(), V_SET1(x), V_LOAD(p), V_MLOAD(p, m), V_STORE(p, v), V_MSTORE(p, m, v),
 *   V_FMA(a, b, c) = a * b + c, V_MUL(a, b)
 *   V_TRANSPOSE(v)    optional: transposes the VL x VL block v[0..<VL] in registers
 *
 * Layouts (row-major): op(A)(i, p) and op(B)(p, j). A packed A sliver holds MR rows of op(A),
 * element (i, p) at [p * MR + i]; a packed B sliver holds NR columns of op(B), element (p, j) at
 * [p * w + j] where w = NR, or VL for a last sliver of at most VL columns (zero padded to w).
 */

#define NR (2 * VL)
#define SFX(name) CK_CAT(name, ISA_SFX)

/*
 * The register-blocked microkernel: tile(i, j) = sum_p a(i, p) * b(p, j) for i < mr and j < ncols,
 * where ncols = (nv - 1) * VL + lastcols, then C = alpha * tile + beta * C. mr, nv, bmasked, ctrans
 * and unitP are compile-time constants in every caller, so the accumulators live in registers.
 *   a(i, p) = a[i * a_rs + p * a_cs];  b(p, j) = b[p * b_rs + j]
 *   unitP:   a_cs == 1 (op(A) read in place along its rows). A compile-time flag rather than a
 *            test of a_cs, which is a run-time stride in kdt: tested inside the k loop, it cost
 *            that kernel a spilled accumulator and half its speed.
 *   bmasked: the last vector of each row of b is loaded with mask bm (direct path edges).
 *   full:    lastcols == VL (every C vector is complete); otherwise the last one uses mask cm.
 *   ctrans:  tile(i, j) goes to c[j * ldc + i] (C transposed; the tile is transposed in registers).
 * When beta == 0, C is not read.
 */
static TGT CK_ALWAYS_INLINE void SFX(ck_body)(const int mr, const int nv, const int bmasked, const int ctrans,
                                             const int unitP,
                                             long k, const T *restrict a, const long a_rs, const long a_cs,
                                             const T *restrict b, const long b_rs, MASKT bm, T *restrict c,
                                             long ldc, MASKT cm, int full, int lastcols, T alpha, T beta) {
    V acc0[MR], acc1[MR];
    CK_UNROLL
    for (int i = 0; i < MR; i++) {
        acc0[i] = V_ZERO();
        acc1[i] = V_ZERO();
        if (i < mr && !ctrans) {
            /* Bring the C tile in while the k loop runs: every cache line of the row, which spans
               three when C is not 64-byte aligned (Swift arrays are not). */
            __builtin_prefetch(c + i * ldc, 1, 3);
            if (nv == 2) __builtin_prefetch(c + i * ldc + VL, 1, 3);
            __builtin_prefetch(c + i * ldc + nv * VL - 1, 1, 3);
        }
    }
    const T *arow[MR];
    CK_UNROLL
    for (int i = 0; i < MR; i++) {
        arow[i] = a + (i < mr ? i : 0) * a_rs;
        /* Opaque to the optimiser, which would otherwise fold the row pointers back into a chain of
           stride additions inside the loop. */
        if (unitP) CK_OPAQUE(arow[i]);
    }
    for (long p = 0; p < k; p++) {
        const T *bp = b + p * b_rs;
        /* The B stream comes from L2 (or further, when another thread shares the core): ask for
           it CK_B_PREFETCH_STEPS rows ahead rather than wait for the hardware prefetcher. */
        __builtin_prefetch(bp + CK_B_PREFETCH_STEPS * b_rs, 0, 3);
        if (nv == 2) __builtin_prefetch(bp + CK_B_PREFETCH_STEPS * b_rs + VL, 0, 3);
        V b0, b1;
        if (nv == 1) {
            b0 = bmasked ? V_MLOAD(bp, bm) : V_LOAD(bp);
            b1 = b0;
        } else {
            b0 = V_LOAD(bp);
            b1 = bmasked ? V_MLOAD(bp + VL, bm) : V_LOAD(bp + VL);
        }
        const T *ap = a + p * a_cs;
        CK_UNROLL
        for (int i = 0; i < MR; i++) {
            if (i < mr) {
                /* Unit column stride (op(A) read in place): one pointer per row, so each address is
                   base + p instead of a chain of stride additions. */
                V ai = V_SET1(unitP ? arow[i][p] : ap[i * a_rs]);
                acc0[i] = V_FMA(ai, b0, acc0[i]);
                if (nv == 2) acc1[i] = V_FMA(ai, b1, acc1[i]);
            }
        }
    }
    const V va = V_SET1(alpha);
    const V vb = V_SET1(beta);
    if (ctrans) {
        CK_UNROLL
        for (int h = 0; h < 2; h++) {
            if (h >= nv) break;
            const int cols = h == nv - 1 ? lastcols : VL;
            CK_UNROLL
            for (int i0 = 0; i0 < MR; i0 += VL) {
                if (i0 >= mr) break;
                const int rows = mr - i0 < VL ? mr - i0 : VL;
#ifdef V_TRANSPOSE
                V t[VL];
                CK_UNROLL
                for (int r = 0; r < VL; r++) {
                    const int i = i0 + r < MR ? i0 + r : MR - 1;
                    t[r] = i0 + r < mr ? V_MUL(va, h == 0 ? acc0[i] : acc1[i]) : V_ZERO();
                }
                V_TRANSPOSE(t);
                const MASKT rm = V_MASK(rows);
                CK_UNROLL
                for (int q = 0; q < VL; q++) {
                    if (q < cols) {
                        T *d = c + (long)(h * VL + q) * ldc + i0;
                        if (rows == VL) V_STORE(d, beta == (T)0 ? t[q] : V_FMA(vb, V_LOAD(d), t[q]));
                        else V_MSTORE(d, rm, beta == (T)0 ? t[q] : V_FMA(vb, V_MLOAD(d, rm), t[q]));
                    }
                }
#else
                for (int r = 0; r < rows; r++) {
                    T tmp[VL];
                    V_STORE(tmp, V_MUL(va, h == 0 ? acc0[i0 + r] : acc1[i0 + r]));
                    for (int q = 0; q < cols; q++) {
                        T *d = c + (long)(h * VL + q) * ldc + i0 + r;
                        *d = beta == (T)0 ? tmp[q] : tmp[q] + beta * *d;
                    }
                }
#endif
            }
        }
    } else if (beta == (T)0) {
        CK_UNROLL
        for (int i = 0; i < MR; i++) {
            if (i < mr) {
                T *ci = c + i * ldc;
                if (nv == 1) {
                    if (full) V_STORE(ci, V_MUL(va, acc0[i]));
                    else V_MSTORE(ci, cm, V_MUL(va, acc0[i]));
                } else {
                    V_STORE(ci, V_MUL(va, acc0[i]));
                    if (full) V_STORE(ci + VL, V_MUL(va, acc1[i]));
                    else V_MSTORE(ci + VL, cm, V_MUL(va, acc1[i]));
                }
            }
        }
    } else {
        CK_UNROLL
        for (int i = 0; i < MR; i++) {
            if (i < mr) {
                T *ci = c + i * ldc;
                if (nv == 1) {
                    if (full) V_STORE(ci, V_FMA(vb, V_LOAD(ci), V_MUL(va, acc0[i])));
                    else V_MSTORE(ci, cm, V_FMA(vb, V_MLOAD(ci, cm), V_MUL(va, acc0[i])));
                } else {
                    V_STORE(ci, V_FMA(vb, V_LOAD(ci), V_MUL(va, acc0[i])));
                    if (full) V_STORE(ci + VL, V_FMA(vb, V_LOAD(ci + VL), V_MUL(va, acc1[i])));
                    else V_MSTORE(ci + VL, cm, V_FMA(vb, V_MLOAD(ci + VL, cm), V_MUL(va, acc1[i])));
                }
            }
        }
    }
}

/* Packed microkernel: a = packed A sliver (stride MR), b = packed B sliver (stride nv * VL). */
typedef void (*SFX(ck_kp_fn))(long k, const T *a, const T *b, T *c, long ldc, MASKT cm, int full, T alpha,
                              T beta);
/* Direct microkernels on unpacked operands: a(i, p) = a[i * lda + p] (kdn, kdnc) or a[p * lda + i]
   (kdt, kdtc); b(p, j) = b[p * ldb + j]; m masks the last vector of b and C unless full, lastcols
   is its number of lanes. kdnc and kdtc store the tile transposed: tile(i, j) to c[j * ldc + i]. */
typedef void (*SFX(ck_kd_fn))(long k, const T *a, long lda, const T *b, long ldb, MASKT m, int lastcols, T *c,
                              long ldc, int full, T alpha, T beta);

#define CK_DEF_DIRECT(name, mr, nv, a_rs, a_cs, unitP, ctrans)                                                  \
    static TGT CK_NOINLINE void SFX(ck_##name##_##mr##_##nv)(long k, const T *a, long lda, const T *b,         \
                                                             long ldb, MASKT m, int lastcols, T *c, long ldc,  \
                                                             int full, T alpha, T beta) {                      \
        (void)lda;                                                                                             \
        if (full)                                                                                              \
            SFX(ck_body)(mr, nv, 0, ctrans, unitP, k, a, a_rs, a_cs, b, ldb, m, c, ldc, m, 1, VL, alpha, beta); \
        else SFX(ck_body)(mr, nv, 1, ctrans, unitP, k, a, a_rs, a_cs, b, ldb, m, c, ldc, m, 0, lastcols, alpha,  \
                          beta);                                                                               \
    }
#define CK_DEF_KERNELS(mr, nv)                                                                                 \
    static TGT CK_NOINLINE void SFX(ck_kp_##mr##_##nv)(long k, const T *a, const T *b, T *c, long ldc,         \
                                                       MASKT cm, int full, T alpha, T beta) {                  \
        SFX(ck_body)(mr, nv, 0, 0, 0, k, a, 1, MR, b, (nv) * VL, V_NOMASK, c, ldc, cm, full, VL, alpha, beta); \
    }                                                                                                          \
    CK_DEF_DIRECT(kdn, mr, nv, lda, 1, 1, 0)                                                                   \
    CK_DEF_DIRECT(kdt, mr, nv, 1, lda, 0, 0)                                                                   \
    CK_DEF_DIRECT(kdnc, mr, nv, lda, 1, 1, 1)                                                                  \
    CK_DEF_DIRECT(kdtc, mr, nv, 1, lda, 0, 1)
#define CK_DEF_ROW(mr) CK_DEF_KERNELS(mr, 1) CK_DEF_KERNELS(mr, 2)

CK_DEF_ROW(1)
CK_DEF_ROW(2)
CK_DEF_ROW(3)
CK_DEF_ROW(4)
#if MR >= 6
CK_DEF_ROW(5)
CK_DEF_ROW(6)
#endif
#if MR >= 12
CK_DEF_ROW(7)
CK_DEF_ROW(8)
CK_DEF_ROW(9)
CK_DEF_ROW(10)
CK_DEF_ROW(11)
CK_DEF_ROW(12)
#endif

/*
 * A single row of op(A) times op(B) (a matrix-vector product, as in a batch-1 recurrent step):
 * c[j] = alpha * sum_p a[p * a_cs] * b[p * ldb + j] + beta * c[j] for the nv * VL columns j (the
 * last vector masked with m unless full). A one-row tile of ck_body has only nv <= 2 chains of
 * dependent FMAs in flight and waits on their latency; this one has up to CK_ROW_VECTORS. Each
 * element is the same sequence of FMAs and the same final rounding as in ck_body.
 */
#define CK_ROW_VECTORS 8
static TGT CK_ALWAYS_INLINE void SFX(ck_row_body)(const int nv, const int full, long k, const T *restrict a,
                                                 long a_cs, const T *restrict b, long ldb, MASKT m, T *restrict c,
                                                 T alpha, T beta) {
    V acc[CK_ROW_VECTORS];
    CK_UNROLL
    for (int v = 0; v < CK_ROW_VECTORS; v++) acc[v] = V_ZERO();
    for (long p = 0; p < k; p++) {
        const V ap = V_SET1(a[p * a_cs]);
        const T *bp = b + p * ldb;
        CK_UNROLL
        for (int v = 0; v < CK_ROW_VECTORS; v++) {
            if (v < nv) acc[v] = V_FMA(ap, v == nv - 1 && !full ? V_MLOAD(bp + v * VL, m) : V_LOAD(bp + v * VL), acc[v]);
        }
    }
    const V va = V_SET1(alpha), vb = V_SET1(beta);
    CK_UNROLL
    for (int v = 0; v < CK_ROW_VECTORS; v++) {
        if (v >= nv) break;
        T *cv = c + v * VL;
        const int masked = v == nv - 1 && !full;
        V result = V_MUL(va, acc[v]);
        if (beta != (T)0) result = V_FMA(vb, masked ? V_MLOAD(cv, m) : V_LOAD(cv), result);
        if (masked) V_MSTORE(cv, m, result);
        else V_STORE(cv, result);
    }
}

typedef void (*SFX(ck_row_fn))(long k, const T *a, long a_cs, const T *b, long ldb, MASKT m, int full, T *c, T alpha,
                               T beta);
#define CK_DEF_ROW_KERNEL(nv)                                                                                  \
    static TGT CK_NOINLINE void SFX(ck_row_##nv)(long k, const T *a, long a_cs, const T *b, long ldb, MASKT m,  \
                                                 int full, T *c, T alpha, T beta) {                            \
        if (full) SFX(ck_row_body)(nv, 1, k, a, a_cs, b, ldb, m, c, alpha, beta);                              \
        else SFX(ck_row_body)(nv, 0, k, a, a_cs, b, ldb, m, c, alpha, beta);                                   \
    }
CK_DEF_ROW_KERNEL(1)
CK_DEF_ROW_KERNEL(2)
CK_DEF_ROW_KERNEL(3)
CK_DEF_ROW_KERNEL(4)
CK_DEF_ROW_KERNEL(5)
CK_DEF_ROW_KERNEL(6)
CK_DEF_ROW_KERNEL(7)
CK_DEF_ROW_KERNEL(8)
#undef CK_DEF_ROW_KERNEL
static const SFX(ck_row_fn) SFX(ck_row_tab)[CK_ROW_VECTORS] = {
    SFX(ck_row_1), SFX(ck_row_2), SFX(ck_row_3), SFX(ck_row_4),
    SFX(ck_row_5), SFX(ck_row_6), SFX(ck_row_7), SFX(ck_row_8),
};

/* C = alpha * op(A) * op(B) + beta * C for a single row of op(A) (a(p) = a[p * a_cs]) and op(B)
   stored in rows (b(p, j) = b[p * ldb + j]), in K panels of KC as every other path rounds. */
static TGT void SFX(ck_gemm_row)(long N, long K, T alpha, const T *a, long a_cs, const T *b, long ldb, T beta, T *c) {
    for (long pc = 0; pc < K; pc += KC) {
        const long kc = K - pc < KC ? K - pc : KC;
        const T beff = pc == 0 ? beta : (T)1;
        for (long j0 = 0; j0 < N; j0 += CK_ROW_VECTORS * VL) {
            const long cols = N - j0 < CK_ROW_VECTORS * VL ? N - j0 : CK_ROW_VECTORS * VL;
            const int nv = (int)((cols + VL - 1) / VL);
            const int lanes = (int)(cols - (nv - 1) * VL);
            SFX(ck_row_tab)[nv - 1](kc, a + pc * a_cs, a_cs, b + pc * ldb + j0, ldb, V_MASK(lanes), lanes == VL,
                                   c + j0, alpha, beff);
        }
    }
}

#ifdef V_TRANSPOSE
/*
 * A few rows of op(A) times op(B) = B^T with B stored in rows (b(p, j) = b[j * ldb + p]): a
 * batch-1 linear layer or recurrent step, whose weight is stored [out, in]. For one or two rows
 * the direct algorithm copied the whole of op(B) transposed first (1 MiB for an LSTM's W_hh, most
 * of a sampling step's time); here each VL x VL block of B is transposed in registers as it is
 * read, and two blocks of columns accumulate side by side. Every element is the same sequence of
 * FMAs over p, in K panels of KC, with the same final rounding as ck_row_body and ck_body.
 * From four rows on, the direct algorithm's C^T = B op(A)^T (B read in place) is as fast: for
 * 1024 x 256 weights, 4 rows took 66-69 us either way, 3 rows 53 against 65 us, 1 row 38 against
 * 214 (best of 300, AVX2).
 */
#define CK_ROWS_BT 3 /* the most rows of op(A) */
static TGT CK_ALWAYS_INLINE void SFX(ck_rows_bt_body)(const int mr, long N, long K, T alpha, const T *restrict a,
                                                     long a_rs, long a_cs, const T *restrict b, long ldb, T beta,
                                                     T *restrict c, long ldc) {
    const V va = V_SET1(alpha);
    for (long pc = 0; pc < K; pc += KC) {
        const long kc = K - pc < KC ? K - pc : KC;
        const T beff = pc == 0 ? beta : (T)1;
        const V vb = V_SET1(beff);
        for (long j0 = 0; j0 < N; j0 += 2 * VL) {
            /* Columns j0 + h * VL + r of op(B) are rows of b; h is the half of the pair of blocks. */
            const long cols = N - j0 < 2 * VL ? N - j0 : 2 * VL;
            V acc[2][CK_ROWS_BT];
            CK_UNROLL
            for (int h = 0; h < 2; h++) {
                CK_UNROLL
                for (int i = 0; i < CK_ROWS_BT; i++) acc[h][i] = V_ZERO();
            }
            for (long p = 0; p < kc; p += VL) {
                const long pp = kc - p < VL ? kc - p : VL; /* depth of this block */
                const MASKT pm = V_MASK((int)pp);
                CK_UNROLL
                for (int h = 0; h < 2; h++) {
                    const long rows = cols - h * VL < VL ? cols - h * VL : VL;
                    if (rows <= 0) break;
                    V v[VL];
                    const T *bp = b + (j0 + h * VL) * ldb + pc + p;
                    CK_UNROLL
                    for (int r = 0; r < VL; r++)
                        v[r] = r >= rows ? V_ZERO() : pp == VL ? V_LOAD(bp + r * ldb) : V_MLOAD(bp + r * ldb, pm);
                    V_TRANSPOSE(v); /* v[q] = op(B)(pc + p + q, j0 + h * VL + 0..<VL) */
                    CK_UNROLL
                    for (int q = 0; q < VL; q++) {
                        if (q >= pp) break;
                        CK_UNROLL
                        for (int i = 0; i < CK_ROWS_BT; i++) {
                            if (i < mr) acc[h][i] = V_FMA(V_SET1(a[i * a_rs + (pc + p + q) * a_cs]), v[q], acc[h][i]);
                        }
                    }
                }
            }
            CK_UNROLL
            for (int h = 0; h < 2; h++) {
                const long rows = cols - h * VL < VL ? cols - h * VL : VL;
                if (rows <= 0) break;
                const MASKT m = V_MASK((int)rows);
                CK_UNROLL
                for (int i = 0; i < CK_ROWS_BT; i++) {
                    if (i >= mr) break;
                    T *cv = c + i * ldc + j0 + h * VL;
                    V result = V_MUL(va, acc[h][i]);
                    if (beff != (T)0) result = V_FMA(vb, rows == VL ? V_LOAD(cv) : V_MLOAD(cv, m), result);
                    if (rows == VL) V_STORE(cv, result);
                    else V_MSTORE(cv, m, result);
                }
            }
        }
    }
}

/* C = alpha * op(A) * B^T + beta * C for M <= CK_ROWS_BT rows of op(A) (a(i, p) = a[i * a_rs + p * a_cs]). */
static TGT void SFX(ck_gemm_rows_bt)(long M, long N, long K, T alpha, const T *a, long a_rs, long a_cs, const T *b,
                                     long ldb, T beta, T *c, long ldc) {
    switch (M) {
    case 1: SFX(ck_rows_bt_body)(1, N, K, alpha, a, a_rs, a_cs, b, ldb, beta, c, ldc); break;
    case 2: SFX(ck_rows_bt_body)(2, N, K, alpha, a, a_rs, a_cs, b, ldb, beta, c, ldc); break;
    default: SFX(ck_rows_bt_body)(3, N, K, alpha, a, a_rs, a_cs, b, ldb, beta, c, ldc); break;
    }
}
#endif

#define CK_TAB_ROW(kind, mr) {SFX(ck_##kind##_##mr##_1), SFX(ck_##kind##_##mr##_2)}
#if MR >= 12
#define CK_TAB(kind)                                                                                           \
    CK_TAB_ROW(kind, 1), CK_TAB_ROW(kind, 2), CK_TAB_ROW(kind, 3), CK_TAB_ROW(kind, 4), CK_TAB_ROW(kind, 5),   \
        CK_TAB_ROW(kind, 6), CK_TAB_ROW(kind, 7), CK_TAB_ROW(kind, 8), CK_TAB_ROW(kind, 9),                    \
        CK_TAB_ROW(kind, 10), CK_TAB_ROW(kind, 11), CK_TAB_ROW(kind, 12)
#elif MR >= 6
#define CK_TAB(kind)                                                                                           \
    CK_TAB_ROW(kind, 1), CK_TAB_ROW(kind, 2), CK_TAB_ROW(kind, 3), CK_TAB_ROW(kind, 4), CK_TAB_ROW(kind, 5),   \
        CK_TAB_ROW(kind, 6)
#else
#define CK_TAB(kind) CK_TAB_ROW(kind, 1), CK_TAB_ROW(kind, 2), CK_TAB_ROW(kind, 3), CK_TAB_ROW(kind, 4)
#endif

static const SFX(ck_kp_fn) SFX(ck_kp_tab)[MR][2] = {CK_TAB(kp)};
static const SFX(ck_kd_fn) SFX(ck_kdn_tab)[MR][2] = {CK_TAB(kdn)};
static const SFX(ck_kd_fn) SFX(ck_kdt_tab)[MR][2] = {CK_TAB(kdt)};
static const SFX(ck_kd_fn) SFX(ck_kdnc_tab)[MR][2] = {CK_TAB(kdnc)};
static const SFX(ck_kd_fn) SFX(ck_kdtc_tab)[MR][2] = {CK_TAB(kdtc)};

#undef CK_TAB
#undef CK_TAB_ROW
#undef CK_DEF_ROW
#undef CK_DEF_KERNELS
#undef CK_DEF_DIRECT

/*
 * dst[c * ldd + r] = src[r * lds + c] for r < rows, c < cols: VL x VL blocks go through registers
 * (V_TRANSPOSE, when the instruction set defines it; a block of fewer than VL rows is zero padded
 * and stored with a mask), the remaining columns one element at a time.
 *
 * Fewer than VL rows into columns narrower than a vector (ldd < VL, as when packing a strip of
 * MR < VL rows of op(A)): every column but the last is stored whole, in ascending order, its
 * lanes past `rows` landing on rows [rows, ldd) of the column (which may be overwritten) and on
 * the start of the next column, stored after it. Masked stores are microcoded on AMD's Zen 3
 * (several times the cost of a plain store): with them, packing op(A) took 17 % of a 1024 x 1024
 * product there.
 */
static TGT void SFX(ck_transpose)(const T *restrict src, long lds, long rows, long cols, T *restrict dst,
                                  long ldd) {
    for (long r0 = 0; r0 < rows; r0 += VL) {
        const long rr = rows - r0 < VL ? rows - r0 : VL;
        long c0 = 0;
#ifdef V_TRANSPOSE
        const MASKT rm = V_MASK((int)rr);
        const int spill = rows < VL && ldd < VL;
        if (rr == VL) {
            for (; c0 + VL <= cols; c0 += VL) {
                V v[VL];
                CK_UNROLL
                for (int r = 0; r < VL; r++) v[r] = V_LOAD(src + (r0 + r) * lds + c0);
                V_TRANSPOSE(v);
                CK_UNROLL
                for (int c = 0; c < VL; c++) V_STORE(dst + (c0 + c) * ldd + r0, v[c]);
            }
        } else {
            for (; c0 + VL <= cols; c0 += VL) {
                V v[VL];
                CK_UNROLL
                for (int r = 0; r < VL; r++) v[r] = r < rr ? V_LOAD(src + (r0 + r) * lds + c0) : V_ZERO();
                V_TRANSPOSE(v);
                CK_UNROLL
                for (int c = 0; c < VL; c++) {
                    if (spill && c0 + c + 1 < cols) V_STORE(dst + (c0 + c) * ldd + r0, v[c]);
                    else V_MSTORE(dst + (c0 + c) * ldd + r0, rm, v[c]);
                }
            }
        }
        if (c0 < cols) {
            /* The last cc < VL columns: masked loads, and only cc result vectors stored. */
            const long cc = cols - c0;
            const MASKT cm = V_MASK((int)cc);
            V v[VL];
            CK_UNROLL
            for (int r = 0; r < VL; r++) v[r] = r < rr ? V_MLOAD(src + (r0 + r) * lds + c0, cm) : V_ZERO();
            V_TRANSPOSE(v);
            CK_UNROLL
            for (int c = 0; c < VL; c++) {
                if (c < cc) {
                    if (rr == VL || (spill && c + 1 < cc)) V_STORE(dst + (c0 + c) * ldd + r0, v[c]);
                    else V_MSTORE(dst + (c0 + c) * ldd + r0, rm, v[c]);
                }
            }
            c0 = cols;
        }
#endif
        for (long r = 0; r < rr; r++) {
            const T *s = src + (r0 + r) * lds;
            CK_NOVECTORIZE
            for (long c = c0; c < cols; c++) dst[c * ldd + r0 + r] = s[c];
        }
    }
}

/* Copies the mr <= MR contiguous elements at src to dst, a vector at a time. The last vector is
   loaded with a mask and, unless `last`, stored whole: its lanes past mr land on dst's padding
   rows and on what follows, which the caller stores afterwards (masked stores are microcoded on
   Zen 3, see ck_transpose). */
static TGT CK_ALWAYS_INLINE void SFX(ck_copy_column)(const T *restrict src, long mr, MASKT tm, int last,
                                                    T *restrict dst) {
    CK_UNROLL
    for (int v = 0; v < (MR + VL - 1) / VL; v++) {
        if (v * VL >= mr) break;
        if (v * VL + VL <= mr) V_STORE(dst + v * VL, V_LOAD(src + v * VL));
        else if (!last) V_STORE(dst + v * VL, V_MLOAD(src + v * VL, tm));
        else V_MSTORE(dst + v * VL, tm, V_MLOAD(src + v * VL, tm));
    }
}

/* Packs the mc x kc block of op(A) starting at A (already offset to op(A)(ic, pc)) into MR-row slivers. */
static TGT void SFX(ck_pack_a)(int transA, long mc, long kc, const T *restrict A, long lda, T *restrict Ap) {
    if (transA) {
        /* op(A)'s columns are stored rows: each row p of A gives every sliver its mr contiguous
           elements, so each row is read once, front to back. Element by element and sliver by
           sliver, this packing took 17 % of a transposed 1024 x 2048 by 2048 x 256 product.
           Eight rows at a time, sliver by sliver, so that each sliver receives 8 * MR contiguous
           elements from rows that stay in L1 (row by row, the slivers, MR * kc elements apart,
           fell in few L1 sets). */
        const long lastRows = mc - (mc - 1) / MR * MR;
        const MASKT fullMask = V_MASK((int)(MR - (MR - 1) / VL * VL));
        const MASKT lastMask = V_MASK((int)(lastRows - (lastRows - 1) / VL * VL));
        for (long p0 = 0; p0 < kc; p0 += 8) {
            const long pend = p0 + 8 < kc ? p0 + 8 : kc;
            /* Rows of A are far apart (4 KiB when A has 1024 columns), beyond the hardware
               prefetcher's reach: ask for the rows CK_A_PREFETCH_ROWS ahead. */
            for (long p = p0 + CK_A_PREFETCH_ROWS; p < pend + CK_A_PREFETCH_ROWS && p < kc; p++)
                for (long e = 0; e < mc; e += 64 / (long)sizeof(T)) __builtin_prefetch(A + p * lda + e, 0, 3);
            for (long i0 = 0; i0 < mc; i0 += MR) {
                const long mr = mc - i0 < MR ? mc - i0 : MR;
                for (long p = p0; p < pend; p++)
                    SFX(ck_copy_column)(A + p * lda + i0, mr, mr == MR ? fullMask : lastMask, p + 1 == kc,
                                        Ap + i0 * kc + p * MR);
            }
        }
        return;
    }
    for (long i0 = 0; i0 < mc; i0 += MR) {
        const long mr = mc - i0 < MR ? mc - i0 : MR;
        SFX(ck_transpose)(A + i0 * lda, lda, mr, kc, Ap + i0 * kc, MR);
    }
}

/* Packs the kc x nc block of op(B) starting at B (already offset to op(B)(pc, jc)) into NR-column
   slivers, zero padding the last one to a whole number of vectors. */
static TGT void SFX(ck_pack_b)(int transB, long kc, long nc, const T *restrict B, long ldb, T *restrict Bp) {
    const long full = nc / NR * NR;
    if (!transB) {
        /* Eight rows at a time, so that B is read in eight sequential streams and each sliver
           receives 8 * NR contiguous elements at once (row by row, the slivers' rows all fall in
           the same L1 set). */
        for (long p0 = 0; p0 < kc; p0 += 8) {
            const long pend = p0 + 8 < kc ? p0 + 8 : kc;
            for (long j0 = 0; j0 < full; j0 += NR) {
                for (long p = p0; p < pend; p++) {
                    const T *src = B + p * ldb + j0;
                    T *restrict dst = Bp + j0 * kc + p * NR;
                    CK_UNROLL
                    for (int j = 0; j < NR; j++) dst[j] = src[j];
                }
            }
        }
    } else {
        for (long j0 = 0; j0 < full; j0 += NR) SFX(ck_transpose)(B + j0 * ldb, ldb, NR, kc, Bp + j0 * kc, NR);
    }
    if (full < nc) {
        const long nr = nc - full;
        const long w = nr > VL ? NR : VL;
        T *restrict dst = Bp + full * kc;
        for (long p = 0; p < kc; p++) {
            long j = 0;
            for (; j < nr; j++) dst[p * w + j] = transB ? B[(full + j) * ldb + p] : B[p * ldb + full + j];
            for (; j < w; j++) dst[p * w + j] = 0;
        }
    }
}

/* The mask of the last vector of an nr-column sliver (1 <= nr <= NR) and its vector count. */
#define CK_SLIVER(nr, nv, full, m)                                                                             \
    const int nv = (nr) > VL ? 2 : 1;                                                                          \
    const int full = (nr) == nv * VL;                                                                          \
    const MASKT m = V_MASK((int)((nr) - (nv - 1) * VL))

/* The number of lanes of the last vector of an nr-column sliver with nv vectors. */
#define CK_LASTCOLS(nr, nv) ((int)((nr) - ((nv) - 1) * VL))

/* Slivers of a transposed op(A) packed together by ck_multiply_packed: each stored row of A then
   gives CK_A_GROUP * MR contiguous elements (six whole cache lines of floats with MR 6) at once. Sliver by
   sliver, each row gave MR elements and was read again, from L2 or further, for the next sliver
   (rows 4 KiB apart all fall in one L1 set): packing took 17 % of a transposed 1024 x 2048 by
   2048 x 256 product. The packing buffer holds CK_A_GROUP slivers. */
#define CK_A_GROUP 16

/* C = alpha * op(A) * (packed B block) + beta * C for the mc x kc block of op(A) at A (already
   offset to its first element) and a kc x nc block of op(B) packed by ck_pack_b, C an mc x nc
   block, MR rows at a time, the B slivers streaming past each strip from the L2-resident block.
   - op(A) not transposed: each strip is read in place along its rows (the kdn kernels, which
     compute every element with the same FMAs as the packed kernels). Packing it, once for every
     block of op(B) (NC columns), took 7.6 % of an LSTM language model's step; read in place, an
     op(A) 2048 x 256 times op(B) 256 x 1024 went from 0.90-0.95 to 1.00-1.02 times MKL's speed
     and 1024 x 1024 x 1024 from 0.91 to 0.94-0.95 (row strides of 4 KiB included).
   - op(A) transposed: its rows are far apart, so it is packed into Ap, CK_A_GROUP slivers at a
     time (CK_A_GROUP x MR x kc, read from L2 once per sliver). */
static TGT void SFX(ck_multiply_packed)(int transA, long mc, long nc, long kc, const T *A, long lda, T *Ap,
                                        const T *Bp, T *C, long ldc, T alpha, T beta) {
    if (!transA) {
        for (long ir = 0; ir < mc; ir += MR) {
            const long mr = mc - ir < MR ? mc - ir : MR;
            const T *a = A + ir * lda;
            T *cs = C + ir * ldc;
            for (long jr = 0; jr < nc; jr += NR) {
                const long nr = nc - jr < NR ? nc - jr : NR;
                CK_SLIVER(nr, nv, full, m);
                SFX(ck_kdn_tab)[mr - 1][nv - 1](kc, a, lda, Bp + jr * kc, nv * VL, m, CK_LASTCOLS(nr, nv), cs + jr,
                                                ldc, full, alpha, beta);
            }
        }
        return;
    }
    const long group = CK_A_GROUP * MR;
    for (long ig = 0; ig < mc; ig += group) {
        const long gm = mc - ig < group ? mc - ig : group;
        SFX(ck_pack_a)(1, gm, kc, A + ig, lda, Ap);
        for (long ir = ig; ir < ig + gm; ir += MR) {
            const long mr = mc - ir < MR ? mc - ir : MR;
            const T *ap = Ap + (ir - ig) * kc;
            T *cs = C + ir * ldc;
            for (long jr = 0; jr < nc; jr += NR) {
                const long nr = nc - jr < NR ? nc - jr : NR;
                CK_SLIVER(nr, nv, full, m);
                SFX(ck_kp_tab)[mr - 1][nv - 1](kc, ap, Bp + jr * kc, cs + jr, ldc, m, full, alpha, beta);
            }
        }
    }
}

/*
 * The width of the column blocks of op(B) packed together (the jc loop's step, a multiple of NR):
 * N in round(N / NC) blocks of equal width (at least one), so at most 1.5 NC wide. Blocks of NC and
 * a narrow remainder packed a transposed op(A) again for the remainder alone: a transposed
 * 1024 x 2048 by 2048 x 256 product (blocks of 192 and 64 columns) ran at 0.78-0.94 of MKL's
 * speed, the same with 192 columns at 0.96-1.00. Column blocking does not change any element's
 * sequence of FMAs.
 */
static inline long SFX(ck_block_width)(long N) {
    const long blocks = (N + NC / 2) / NC > 1 ? (N + NC / 2) / NC : 1;
    return ((N + blocks - 1) / blocks + NR - 1) / NR * NR;
}

/* Blocked, packed GEMM (Goto/BLIS loops jc, pc [pack a kc x nc block of op(B), sized for L2],
   ir [an MR x kc strip of op(A), in L1: read in place, or packed when transposed], jr [B slivers
   from L2]). */
static TGT void SFX(ck_gemm_packed)(int transA, int transB, long M, long N, long K, T alpha, const T *A, long lda,
                                    const T *B, long ldb, T beta, T *C, long ldc) {
    const long kcmax = K < KC ? K : KC, width = SFX(ck_block_width)(N);
    T *Bp = (T *)ck_scratch(CK_SCRATCH_B, (size_t)(kcmax * width) * sizeof(T));
    T *Ap = (T *)ck_scratch(CK_SCRATCH_A, (size_t)(CK_A_GROUP * MR * kcmax) * sizeof(T));
    for (long jc = 0; jc < N; jc += width) {
        const long nc = N - jc < width ? N - jc : width;
        for (long pc = 0; pc < K; pc += KC) {
            const long kc = K - pc < KC ? K - pc : KC;
            SFX(ck_pack_b)(transB, kc, nc, transB ? B + jc * ldb + pc : B + pc * ldb + jc, ldb, Bp);
            SFX(ck_multiply_packed)(transA, M, nc, kc, transA ? A + pc * lda : A + pc, lda, Ap, Bp, C + jc, ldc,
                                    alpha, pc == 0 ? beta : (T)1);
        }
    }
}

/* Whether the direct algorithm packs a transposed op(A), strip by strip: when more than
   CK_DIRECT_A_INPLACE_SLIVERS B slivers reuse each strip. Read in place, a strip touches one cache
   line per row of A; for a few slivers packing cost more than it saved (see the constant). */
static inline int SFX(ck_direct_packs_a)(int transA, long N) {
    return transA && N > CK_DIRECT_A_INPLACE_SLIVERS * NR;
}

/*
 * GEMM without packing op(B) in L2-sized blocks, for problems whose op(B) stays in cache and for
 * single row strips (where packing would not be amortised). Loops: ir (a strip of MR rows of
 * op(A), in L1), pc (K in panels of KC, as in the packed algorithm, so that both round
 * identically), jr (NR columns of op(B), read from L2).
 *   - op(A) is read in place, except that a transposed op(A) reused by more than
 *     CK_DIRECT_A_INPLACE_SLIVERS B slivers, and an op(A) whose row stride is a multiple of 4 KiB
 *     (rows alias in L1), are packed strip by strip.
 *   - op(B) is read in place when not transposed and its rows are aligned (or there are few
 *     strips); otherwise it is first copied (transposed if need be) to aligned rows.
 *   - ctrans: the result is stored transposed, C(i, j) at C[j * ldc + i].
 */
static TGT void SFX(ck_direct_core)(int transA, int transB, long M, long N, long K, T alpha, const T *A, long lda,
                                    const T *B, long ldb, T beta, T *C, long ldc, int ctrans) {
    T stackbuf[CK_DIRECT_STACK / sizeof(T)];
    const long stackElems = (long)(sizeof(stackbuf) / sizeof(T));
    const int packA = SFX(ck_direct_packs_a)(transA, N) || ((unsigned long)lda * sizeof(T)) % 4096 == 0;
    const long cRow = ctrans ? 1 : ldc, cCol = ctrans ? ldc : 1; /* offsets of C(i + 1, j), C(i, j + 1) */
    long used = 0;                                                 /* elements of stackbuf in use */
    const long ldp = (N + VL - 1) / VL * VL;
    if (transB || (M > 2 * MR && (ldb % VL != 0 || (uintptr_t)B % 64 != 0))) {
        /* Transposed rows, or rows that straddle cache lines (every vector load a split load):
           copy op(B) to aligned rows once for all strips. */
        T *bp = K * ldp <= stackElems / 2 ? stackbuf : (T *)ck_scratch(CK_SCRATCH_B, (size_t)(K * ldp) * sizeof(T));
        if (bp == stackbuf) used = K * ldp;
        if (transB) SFX(ck_transpose)(B, ldb, N, K, bp, ldp);
        else
            for (long p = 0; p < K; p++) memcpy(bp + p * ldp, B + p * ldb, (size_t)N * sizeof(T));
        B = bp;
        ldb = ldp;
    }
    if (M == 1 && !ctrans) {
        SFX(ck_gemm_row)(N, K, alpha, A, transA ? lda : 1, B, ldb, beta, C);
        return;
    }
    T *as = NULL;
    if (packA) {
        const long need = (long)MR * K;
        as = used + need <= stackElems ? stackbuf + used : (T *)ck_scratch(CK_SCRATCH_A, (size_t)need * sizeof(T));
    }
    for (long ir = 0; ir < M; ir += MR) {
        const long mr = M - ir < MR ? M - ir : MR;
        /* The strip: op(A)(i, p) = a[i * la + p] (unitP, kdn) or a[p * la + i] (kdt). */
        const T *a = transA ? A + ir : A + ir * lda;
        long la = lda;
        int unitP = !transA;
        if (packA) {
            SFX(ck_pack_a)(transA, mr, K, a, lda, as);
            a = as;
            la = MR;
            unitP = 0;
        }
        const SFX(ck_kd_fn) *tab = unitP ? (ctrans ? SFX(ck_kdnc_tab)[mr - 1] : SFX(ck_kdn_tab)[mr - 1])
                                         : (ctrans ? SFX(ck_kdtc_tab)[mr - 1] : SFX(ck_kdt_tab)[mr - 1]);
        T *c = C + ir * cRow;
        for (long pc = 0; pc < K; pc += KC) {
            const long kc = K - pc < KC ? K - pc : KC;
            const T beff = pc == 0 ? beta : (T)1;
            const T *ap = a + (unitP ? pc : pc * la);
            for (long jr = 0; jr < N; jr += NR) {
                const long nr = N - jr < NR ? N - jr : NR;
                CK_SLIVER(nr, nv, full, m);
                tab[nv - 1](kc, ap, la, B + pc * ldb + jr, ldb, m, CK_LASTCOLS(nr, nv), c + jr * cCol, ldc, full,
                            alpha, beff);
            }
        }
    }
}

/* Estimated cost, in cycles, of ck_direct_core for these arguments: vector FMAs (two per cycle)
   plus transposing op(B), packing op(A), and transposing result tiles when ctrans. */
static inline double SFX(ck_direct_cost)(int transA, int transB, long M, long N, long K, int ctrans) {
    const double transposeCost = 0.35, packCost = 0.2; /* cycles per element */
    double cost = 0.5 * (double)M * (double)((N + VL - 1) / VL) * (double)K;
    if (transB) cost += transposeCost * (double)N * (double)K;
    if (SFX(ck_direct_packs_a)(transA, N)) cost += packCost * (double)M * (double)K;
    if (ctrans) cost += transposeCost * (double)((M + MR - 1) / MR * MR) * (double)((N + VL - 1) / VL * VL);
    return cost;
}

/*
 * The direct algorithm, on C or on C^T = op(B)^T op(A)^T (stored transposed), whichever is
 * estimated cheaper: the transposed form avoids transposing op(B) when both operands are
 * transposed, transposes the smaller operand when M < N, and wastes fewer vector lanes when N
 * is just above a multiple of the vector width (N = 65) while M is not. Every element is computed
 * by the same sequence of FMAs either way.
 */
static TGT void SFX(ck_gemm_direct)(int transA, int transB, long M, long N, long K, T alpha, const T *A, long lda,
                                    const T *B, long ldb, T beta, T *C, long ldc) {
#ifdef V_TRANSPOSE
    if (transB && M <= CK_ROWS_BT) {
        SFX(ck_gemm_rows_bt)(M, N, K, alpha, A, transA ? 1 : lda, transA ? lda : 1, B, ldb, beta, C, ldc);
        return;
    }
#endif
    const double asIs = SFX(ck_direct_cost)(transA, transB, M, N, K, 0);
    /* The transposed form streams op(A) once per strip of op(B)^T: only when op(A) fits in L2 too. */
    const int swappable = N <= MR || K * M * (long)sizeof(T) <= CK_DIRECT_B_BYTES;
    const double swapped = swappable ? SFX(ck_direct_cost)(!transB, !transA, N, M, K, 1) : asIs;
    if (swapped < asIs)
        SFX(ck_direct_core)(!transB, !transA, N, M, K, alpha, B, ldb, A, lda, beta, C, ldc, 1);
    else
        SFX(ck_direct_core)(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, 0);
}

/* Chooses the direct or the packed algorithm. */
CK_HIDDEN TGT void SFX(ck_gemm)(int transA, int transB, long M, long N, long K, T alpha, const T *A, long lda,
                             const T *B, long ldb, T beta, T *C, long ldc) {
    if (ck_use_direct(M, N, K, MR, (long)sizeof(T)))
        SFX(ck_gemm_direct)(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    else
        SFX(ck_gemm_packed)(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

/* ------------------------------------------------------------------------------------------ */
/* Products with op(B) packed beforehand (ck_sgemm_pack_b in CKernels.h)                       */
/* ------------------------------------------------------------------------------------------ */

/* Elements of a whole packed op(B) (K x N): for each block jb of ck_block_width(N) columns and
   panel of KC rows at pc, the panel as ck_pack_b lays it out, at (jb * K + pc) * ck_block_width(N). */
CK_HIDDEN long SFX(ck_packed_b_elements)(long N, long K) {
    const long width = SFX(ck_block_width)(N);
    return (N + width - 1) / width * K * width;
}

/* Packs the whole of op(B) (K x N) as ck_gemm_packed packs it block by block. */
CK_HIDDEN TGT void SFX(ck_pack_b_whole)(int transB, long N, long K, const T *B, long ldb, T *Bp) {
    const long ncpad = SFX(ck_block_width)(N);
    for (long jc = 0, jb = 0; jc < N; jc += ncpad, jb++) {
        const long nc = N - jc < ncpad ? N - jc : ncpad;
        for (long pc = 0; pc < K; pc += KC) {
            const long kc = K - pc < KC ? K - pc : KC;
            SFX(ck_pack_b)(transB, kc, nc, transB ? B + jc * ldb + pc : B + pc * ldb + jc, ldb,
                           Bp + (jb * K + pc) * ncpad);
        }
    }
}

/* The most bytes of op(A) packed at once for every block of op(B) by ck_gemm_prepacked (the few
   rows of a recurrence's per-step product); a larger op(A) is packed strip by strip per block. */
#define CK_PREPACKED_A_BYTES (256L * 1024L)

/*
 * C = alpha * op(A) * op(B) + beta * C with op(B) packed by ck_pack_b_whole: ck_gemm_packed's
 * loops without its packing of op(B), so every element is the same sequence of FMAs as in
 * ck_gemm (which rounds alike on its direct and packed paths). A small op(A) is packed once for
 * all blocks of op(B) instead of once per block.
 */
CK_HIDDEN TGT void SFX(ck_gemm_prepacked)(int transA, long M, long N, long K, T alpha, const T *A, long lda,
                                          const T *Bp, T beta, T *C, long ldc) {
    const long ncpad = SFX(ck_block_width)(N), strips = (M + MR - 1) / MR, mpad = strips * MR;
    if (mpad * K * (long)sizeof(T) <= CK_PREPACKED_A_BYTES) {
        /* Strips of nearly equal height (32 rows as 6, 6, 5, 5, 5, 5 rather than 6 x 5 + 2: a
           two-row tile keeps too few FMA chains in flight), strip s at s * MR * kc in each panel.
           Every element is computed alike whatever its strip's height. Each B sliver meets every
           strip while it is in L1 (strip by strip, every strip streamed the whole block from L2
           again): an LSTM step's 32 x 256 by 256 x 1024 went from 75-77 to 84-91 GFLOP/s (best
           of 15), its 32 x 1024 by 1024 x 256 from 72 to 76-86. */
        T *Ap = (T *)ck_scratch(CK_SCRATCH_A, (size_t)(mpad * K) * sizeof(T));
        for (long pc = 0; pc < K; pc += KC) {
            const long kc = K - pc < KC ? K - pc : KC;
            for (long s = 0; s < strips; s++) {
                const long i0 = s * M / strips, mr = (s + 1) * M / strips - i0;
                SFX(ck_pack_a)(transA, mr, kc, transA ? A + pc * lda + i0 : A + i0 * lda + pc, lda,
                               Ap + pc * mpad + s * MR * kc);
            }
        }
        for (long jc = 0, jb = 0; jc < N; jc += ncpad, jb++) {
            const long nc = N - jc < ncpad ? N - jc : ncpad;
            for (long pc = 0; pc < K; pc += KC) {
                const long kc = K - pc < KC ? K - pc : KC;
                const T beff = pc == 0 ? beta : (T)1;
                const T *bp = Bp + (jb * K + pc) * ncpad;
                for (long jr = 0; jr < nc; jr += NR) {
                    const long nr = nc - jr < NR ? nc - jr : NR;
                    CK_SLIVER(nr, nv, full, m);
                    for (long s = 0; s < strips; s++) {
                        const long ir = s * M / strips, mr = (s + 1) * M / strips - ir;
                        SFX(ck_kp_tab)[mr - 1][nv - 1](kc, Ap + pc * mpad + s * MR * kc, bp + jr * kc,
                                                       C + ir * ldc + jc + jr, ldc, m, full, alpha, beff);
                    }
                }
            }
        }
        return;
    }
    T *Ap = (T *)ck_scratch(CK_SCRATCH_A, (size_t)(CK_A_GROUP * MR * (K < KC ? K : KC)) * sizeof(T));
    for (long jc = 0, jb = 0; jc < N; jc += ncpad, jb++) {
        const long nc = N - jc < ncpad ? N - jc : ncpad;
        for (long pc = 0; pc < K; pc += KC) {
            const long kc = K - pc < KC ? K - pc : KC;
            SFX(ck_multiply_packed)(transA, M, nc, kc, transA ? A + pc * lda : A + pc, lda, Ap,
                                    Bp + (jb * K + pc) * ncpad, C + jc, ldc, alpha, pc == 0 ? beta : (T)1);
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Shared products (struct ck_gemm_job in gemm_internal.h)                                     */
/* ------------------------------------------------------------------------------------------ */

CK_HIDDEN int SFX(ck_job_plan)(struct ck_gemm_job *job, long threads) {
    const long M = job->M, N = job->N, K = job->K;
    const long rowTiles = (M + MR - 1) / MR;
    if (rowTiles < 2 * threads) return 0;
    /* About four row blocks per thread, so that a thread slowed down by other work on its core
       hands its share to the others. */
    long tilesPerBlock = (rowTiles + 4 * threads - 1) / (4 * threads);
    job->rowBlock = tilesPerBlock * MR;
    job->rowTasks = (M + job->rowBlock - 1) / job->rowBlock;
    if (ck_use_direct(M, N, K, MR, (long)sizeof(T))) {
        /* op(B) fits in L2: every row block is an independent direct product. */
        job->panels = 0;
        job->packedBytes = 0;
        return 1;
    }
    job->ncpad = SFX(ck_block_width)(N);
    job->panels = ((N + job->ncpad - 1) / job->ncpad) * ((K + KC - 1) / KC);
    job->packedBytes = (size_t)SFX(ck_packed_b_elements)(N, K) * sizeof(T);
    return 1;
}

CK_HIDDEN TGT void SFX(ck_job_work)(struct ck_gemm_job *job) {
    const int transA = job->transA, transB = job->transB;
    const long M = job->M, N = job->N, K = job->K, lda = job->lda, ldb = job->ldb, ldc = job->ldc;
    const T alpha = (T)job->alpha, beta = (T)job->beta;
    const T *A = (const T *)job->A, *B = (const T *)job->B;
    T *C = (T *)job->C, *Bp = (T *)job->Bp;
    const long kpanels = (K + KC - 1) / KC, ncpad = job->ncpad, perPanel = 1 + job->rowTasks;
    if (job->panels == 0) {
        for (;;) {
            const long block = atomic_fetch_add_explicit(&job->next, 1, memory_order_relaxed);
            if (block >= job->rowTasks) return;
            const long i0 = block * job->rowBlock, mb = M - i0 < job->rowBlock ? M - i0 : job->rowBlock;
            SFX(ck_gemm_direct)(transA, transB, mb, N, K, alpha, transA ? A + i0 : A + i0 * lda, lda, B, ldb, beta,
                                C + i0 * ldc, ldc);
        }
    }
    T *Ap = NULL;
    for (;;) {
        const long task = atomic_fetch_add_explicit(&job->next, 1, memory_order_relaxed);
        if (task >= job->panels * perPanel) break;
        /* Panel (jb, pb): rows [pc, pc + kc) and columns [jc, jc + nc) of op(B). */
        const long panel = task / perPanel, jb = panel / kpanels, pc = panel % kpanels * KC, jc = jb * ncpad;
        const long nc = N - jc < ncpad ? N - jc : ncpad, kc = K - pc < KC ? K - pc : KC;
        T *packedPanel = Bp + (jb * K + pc) * ncpad;
        if (task % perPanel == 0) {
            SFX(ck_pack_b)(transB, kc, nc, transB ? B + jc * ldb + pc : B + pc * ldb + jc, ldb, packedPanel);
            atomic_store_explicit(&job->packed[panel], 1, memory_order_release);
            continue;
        }
        const long block = task % perPanel - 1, i0 = block * job->rowBlock;
        const long mb = M - i0 < job->rowBlock ? M - i0 : job->rowBlock;
        while (!atomic_load_explicit(&job->packed[panel], memory_order_acquire)) ck_pause();
        while (atomic_load_explicit(&job->done[block], memory_order_acquire) < panel) ck_pause();
        if (!Ap) Ap = (T *)ck_scratch(CK_SCRATCH_A, (size_t)(CK_A_GROUP * MR * (K < KC ? K : KC)) * sizeof(T));
        SFX(ck_multiply_packed)(transA, mb, nc, kc, transA ? A + pc * lda + i0 : A + i0 * lda + pc, lda, Ap,
                                packedPanel, C + i0 * ldc + jc, ldc, alpha, pc == 0 ? beta : (T)1);
        atomic_store_explicit(&job->done[block], panel + 1, memory_order_release);
    }
}

#undef CK_SLIVER
#undef CK_A_GROUP
#undef CK_LASTCOLS
#undef CK_ROW_VECTORS
#undef SFX
#undef NR
