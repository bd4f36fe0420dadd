/*
 * GEMM template: included by gemm.c once per (instruction set, element type). Not a public header.
 *
 * The including file defines:
 *   T                 element type (float, double)
 *   V, VL             vector type and its number of lanes
 *   MASKT             lane-mask type; V_MASK(n) is the mask of the first n lanes (1 <= n <= VL),
 *                     V_NOMASK a placeholder mask for unmasked calls
 *   MR                rows of the register tile (<= 12); the tile is MR x NR with NR = 2 * VL
 *   KC, MC, NC        cache blocking: depth of a packed panel, rows of a packed A block (multiple
 *                     of MR) and columns of a packed B panel (multiple of NR)
 *   TGT               function attributes (target("avx512f"), ...)
 *   ISA_SFX           suffix appended to every function name
 *   V_ZERO(), V_SET1(x), V_LOAD(p), V_MLOAD(p, m), V_STORE(p, v), V_MSTORE(p, m, v),
 *   V_FMA(a, b, c) = a * b + c, V_MUL(a, b)
 *
 * Layouts (row-major): op(A)(i, p) and op(B)(p, j). A packed A sliver holds MR rows of op(A),
 * element (i, p) at [p * MR + i]; a packed B sliver holds NR columns of op(B), element (p, j) at
 * [p * w + j] where w = NR, or VL for a last sliver of at most VL columns (zero padded to w).
 */

#define NR (2 * VL)
#define SFX(name) CK_CAT(name, ISA_SFX)

/*
 * The register-blocked microkernel: C[0..<mr, 0..<n] = alpha * sum_p a(i, p) * b(p, j) + beta * C,
 * with n = (nv - 1) * VL + (lanes of the last vector's mask); mr, nv and bmasked are
 * compile-time constants in every caller, so the accumulators live in registers.
 *   a(i, p) = a[i * a_rs + p * a_cs];  b(p, j) = b[p * b_rs + j]
 *   bmasked: the last vector of each row of b is loaded with mask bm (direct path edges).
 *   full:    every C vector is complete; otherwise the last one is stored with mask cm.
 * When beta == 0, C is not read.
 */
static TGT CK_ALWAYS_INLINE void SFX(ck_body)(const int mr, const int nv, const int bmasked, long k,
                                             const T *restrict a, const long a_rs, const long a_cs,
                                             const T *restrict b, const long b_rs, MASKT bm, T *restrict c,
                                             long ldc, MASKT cm, int full, T alpha, T beta) {
    V acc0[MR], acc1[MR];
    CK_UNROLL
    for (int i = 0; i < MR; i++) {
        acc0[i] = V_ZERO();
        acc1[i] = V_ZERO();
    }
    for (long p = 0; p < k; p++) {
        const T *bp = b + p * b_rs;
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
                V ai = V_SET1(ap[i * a_rs]);
                acc0[i] = V_FMA(ai, b0, acc0[i]);
                if (nv == 2) acc1[i] = V_FMA(ai, b1, acc1[i]);
            }
        }
    }
    const V va = V_SET1(alpha);
    if (beta == (T)0) {
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
        const V vb = V_SET1(beta);
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
/* Direct microkernels on unpacked operands: a(i, p) = a[i * lda + p] (kdn) or a[p * lda + i] (kdt);
   b(p, j) = b[p * ldb + j]; m masks the last vector of b and C unless full. */
typedef void (*SFX(ck_kd_fn))(long k, const T *a, long lda, const T *b, long ldb, MASKT m, T *c, long ldc,
                              int full, T alpha, T beta);

#define CK_DEF_KERNELS(mr, nv)                                                                                 \
    static TGT CK_NOINLINE void SFX(ck_kp_##mr##_##nv)(long k, const T *a, const T *b, T *c, long ldc,         \
                                                       MASKT cm, int full, T alpha, T beta) {                  \
        SFX(ck_body)(mr, nv, 0, k, a, 1, MR, b, (nv) * VL, V_NOMASK, c, ldc, cm, full, alpha, beta);          \
    }                                                                                                          \
    static TGT CK_NOINLINE void SFX(ck_kdn_##mr##_##nv)(long k, const T *a, long lda, const T *b, long ldb,   \
                                                        MASKT m, T *c, long ldc, int full, T alpha, T beta) {  \
        if (full) SFX(ck_body)(mr, nv, 0, k, a, lda, 1, b, ldb, m, c, ldc, m, 1, alpha, beta);                \
        else SFX(ck_body)(mr, nv, 1, k, a, lda, 1, b, ldb, m, c, ldc, m, 0, alpha, beta);                     \
    }                                                                                                          \
    static TGT CK_NOINLINE void SFX(ck_kdt_##mr##_##nv)(long k, const T *a, long lda, const T *b, long ldb,   \
                                                        MASKT m, T *c, long ldc, int full, T alpha, T beta) {  \
        if (full) SFX(ck_body)(mr, nv, 0, k, a, 1, lda, b, ldb, m, c, ldc, m, 1, alpha, beta);                \
        else SFX(ck_body)(mr, nv, 1, k, a, 1, lda, b, ldb, m, c, ldc, m, 0, alpha, beta);                     \
    }
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

#undef CK_TAB
#undef CK_TAB_ROW
#undef CK_DEF_ROW
#undef CK_DEF_KERNELS

/* Packs the mc x kc block of op(A) starting at A (already offset to op(A)(ic, pc)) into MR-row slivers. */
static TGT void SFX(ck_pack_a)(int transA, long mc, long kc, const T *restrict A, long lda, T *restrict Ap) {
    for (long i0 = 0; i0 < mc; i0 += MR) {
        const long mr = mc - i0 < MR ? mc - i0 : MR;
        T *restrict dst = Ap + i0 * kc;
        if (transA) {
            const T *src = A + i0;
            if (mr == MR) {
                for (long p = 0; p < kc; p++) {
                    CK_UNROLL
                    for (int i = 0; i < MR; i++) dst[p * MR + i] = src[p * lda + i];
                }
            } else {
                for (long p = 0; p < kc; p++)
                    for (long i = 0; i < mr; i++) dst[p * MR + i] = src[p * lda + i];
            }
        } else {
            if (mr == MR) {
                const T *src = A + i0 * lda;
                for (long p = 0; p < kc; p++) {
                    CK_UNROLL
                    for (int i = 0; i < MR; i++) dst[p * MR + i] = src[i * lda + p];
                }
            } else {
                for (long i = 0; i < mr; i++) {
                    const T *src = A + (i0 + i) * lda;
                    for (long p = 0; p < kc; p++) dst[p * MR + i] = src[p];
                }
            }
        }
    }
}

/* Packs the kc x nc block of op(B) starting at B (already offset to op(B)(pc, jc)) into NR-column
   slivers, zero padding the last one to a whole number of vectors. */
static TGT void SFX(ck_pack_b)(int transB, long kc, long nc, const T *restrict B, long ldb, T *restrict Bp) {
    for (long j0 = 0; j0 < nc; j0 += NR) {
        const long nr = nc - j0 < NR ? nc - j0 : NR;
        const long w = nr > VL ? NR : VL;
        T *restrict dst = Bp + j0 * kc;
        if (!transB) {
            const T *src = B + j0;
            if (nr == NR) {
                for (long p = 0; p < kc; p++) {
                    CK_UNROLL
                    for (int j = 0; j < NR; j++) dst[p * NR + j] = src[p * ldb + j];
                }
            } else {
                for (long p = 0; p < kc; p++) {
                    long j = 0;
                    for (; j < nr; j++) dst[p * w + j] = src[p * ldb + j];
                    for (; j < w; j++) dst[p * w + j] = 0;
                }
            }
        } else {
            const T *src = B + j0 * ldb;
            if (nr == NR) {
                for (long p = 0; p < kc; p++) {
                    CK_UNROLL
                    for (int j = 0; j < NR; j++) dst[p * NR + j] = src[j * ldb + p];
                }
            } else {
                for (long p = 0; p < kc; p++) {
                    long j = 0;
                    for (; j < nr; j++) dst[p * w + j] = src[j * ldb + p];
                    for (; j < w; j++) dst[p * w + j] = 0;
                }
            }
        }
    }
}

/* The mask of the last vector of an nr-column sliver (1 <= nr <= NR) and its vector count. */
#define CK_SLIVER(nr, nv, full, m)                                                                             \
    const int nv = (nr) > VL ? 2 : 1;                                                                          \
    const int full = (nr) == nv * VL;                                                                          \
    const MASKT m = V_MASK((int)((nr) - (nv - 1) * VL))

/* Blocked, packed GEMM (Goto/BLIS loop order: jc, pc [pack B], ic [pack A], jr, ir). */
static TGT void SFX(ck_gemm_packed)(int transA, int transB, long M, long N, long K, T alpha, const T *A, long lda,
                                    const T *B, long ldb, T beta, T *C, long ldc) {
    const long kcmax = K < KC ? K : KC;
    const long ncmax = ((N < NC ? N : NC) + NR - 1) / NR * NR;
    const long mcmax = ((M < MC ? M : MC) + MR - 1) / MR * MR;
    T *Bp = (T *)ck_alloc((size_t)(kcmax * ncmax) * sizeof(T));
    T *Ap = (T *)ck_alloc((size_t)(mcmax * kcmax) * sizeof(T));
    for (long jc = 0; jc < N; jc += NC) {
        const long nc = N - jc < NC ? N - jc : NC;
        for (long pc = 0; pc < K; pc += KC) {
            const long kc = K - pc < KC ? K - pc : KC;
            const T beff = pc == 0 ? beta : (T)1;
            SFX(ck_pack_b)(transB, kc, nc, transB ? B + jc * ldb + pc : B + pc * ldb + jc, ldb, Bp);
            for (long ic = 0; ic < M; ic += MC) {
                const long mc = M - ic < MC ? M - ic : MC;
                SFX(ck_pack_a)(transA, mc, kc, transA ? A + pc * lda + ic : A + ic * lda + pc, lda, Ap);
                for (long jr = 0; jr < nc; jr += NR) {
                    const long nr = nc - jr < NR ? nc - jr : NR;
                    CK_SLIVER(nr, nv, full, m);
                    const T *bs = Bp + jr * kc;
                    T *cs = C + ic * ldc + jc + jr;
                    long ir = 0;
                    const SFX(ck_kp_fn) kfull = SFX(ck_kp_tab)[MR - 1][nv - 1];
                    for (; ir + MR <= mc; ir += MR) kfull(kc, Ap + ir * kc, bs, cs + ir * ldc, ldc, m, full, alpha, beff);
                    if (ir < mc)
                        SFX(ck_kp_tab)[mc - ir - 1][nv - 1](kc, Ap + ir * kc, bs, cs + ir * ldc, ldc, m, full, alpha, beff);
                }
            }
        }
    }
    ck_free(Ap);
    ck_free(Bp);
}

/* Unpacked GEMM for small or thin problems: the microkernels read op(A) in place and op(B) rows in
   place (transB: op(B) is first transposed into a K x N scratch buffer). */
static TGT void SFX(ck_gemm_direct)(int transA, int transB, long M, long N, long K, T alpha, const T *A, long lda,
                                    const T *B, long ldb, T beta, T *C, long ldc) {
    T stackbuf[CK_DIRECT_STACK / sizeof(T)];
    T *heap = NULL;
    if (transB) {
        T *bt = stackbuf;
        if ((size_t)(K * N) > sizeof(stackbuf) / sizeof(T)) bt = heap = (T *)ck_alloc((size_t)(K * N) * sizeof(T));
        for (long j = 0; j < N; j++) {
            const T *src = B + j * ldb;
            for (long p = 0; p < K; p++) bt[p * N + j] = src[p];
        }
        B = bt;
        ldb = N;
    }
    const SFX(ck_kd_fn)(*tab)[2] = transA ? SFX(ck_kdt_tab) : SFX(ck_kdn_tab);
    const long arow = transA ? 1 : lda; /* offset of op(A)'s next row */
    if (M >= N) {
        /* A strip outer (stays in L1), B slivers inner. */
        for (long ir = 0; ir < M; ir += MR) {
            const long mr = M - ir < MR ? M - ir : MR;
            for (long jr = 0; jr < N; jr += NR) {
                const long nr = N - jr < NR ? N - jr : NR;
                CK_SLIVER(nr, nv, full, m);
                tab[mr - 1][nv - 1](K, A + ir * arow, lda, B + jr, ldb, m, C + ir * ldc + jr, ldc, full, alpha, beta);
            }
        }
    } else {
        /* B sliver outer (stays in L1), A strips inner. */
        for (long jr = 0; jr < N; jr += NR) {
            const long nr = N - jr < NR ? N - jr : NR;
            CK_SLIVER(nr, nv, full, m);
            for (long ir = 0; ir < M; ir += MR) {
                const long mr = M - ir < MR ? M - ir : MR;
                tab[mr - 1][nv - 1](K, A + ir * arow, lda, B + jr, ldb, m, C + ir * ldc + jr, ldc, full, alpha, beta);
            }
        }
    }
    if (heap) ck_free(heap);
}

/* Chooses the direct or the packed algorithm. */
static TGT void SFX(ck_gemm)(int transA, int transB, long M, long N, long K, T alpha, const T *A, long lda,
                             const T *B, long ldb, T beta, T *C, long ldc) {
    if (ck_use_direct(M, N, K, MR, NR, transA, transB))
        SFX(ck_gemm_direct)(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    else
        SFX(ck_gemm_packed)(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

#undef CK_SLIVER
#undef SFX
#undef NR
