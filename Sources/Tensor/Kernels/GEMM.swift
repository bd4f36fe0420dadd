import CKernels
import Foundation

/// General matrix multiplication (BLAS `xGEMM`) on raw row-major buffers:
/// `C = alpha · op(A) · op(B) + beta · C`, where `op(X)` is `X` or `Xᵀ`.
///
/// The arithmetic runs in the `CKernels` C target: packed, cache-blocked, register-tiled
/// microkernels for AVX-512F, AVX2+FMA or portable C, chosen at run time. This type adds the
/// Swift-facing overloads and the multithreading: a product larger than ``parallelThreshold``
/// floating-point operations is shared between threads. One with at least two row tiles per
/// thread runs as one job (``share(_:threads:)``): blocks of rows go to whichever thread is free,
/// and an `op(B)` too large for L2 is packed once for all threads. A product with fewer rows is
/// split into one block of rows or columns of `C` per thread (``forEachBlock``), each computed by
/// an independent kernel call with its own packing buffers.
///
/// Shapes follow BLAS in row-major order: `op(A)` is `m × k`, `op(B)` is `k × n` and `C` is
/// `m × n`. `A` is stored `m × k` with row stride `lda >= k`, or `k × m` with `lda >= m` when
/// `transA`; `B` is stored `k × n` with `ldb >= n`, or `n × k` with `ldb >= k` when `transB`;
/// `ldc >= n`. When `beta == 0`, `C` is not read (NaNs already in `C` do not propagate); when
/// `alpha == 0` or `k == 0`, `A` and `B` are not read.
@usableFromInline
internal enum GEMM {
    /// The instruction sets the kernels are compiled for (the values of `ck_isa()`).
    @usableFromInline
    internal enum InstructionSet: Int32, Sendable, CaseIterable, CustomStringConvertible {
        /// Portable C with 128-bit vector extensions (SSE2 on x86-64, NEON on ARM64).
        case portable = 0
        /// AVX2 with FMA3: 6 × 16 (Float) and 6 × 8 (Double) register tiles.
        case avx2 = 1
        /// AVX-512F: 12 × 32 (Float) and 12 × 16 (Double) register tiles.
        case avx512 = 2

        /// A short name, as printed in benchmarks: `"portable"`, `"avx2"` or `"avx512"`.
        @usableFromInline var description: String {
            switch self {
            case .portable: "portable"
            case .avx2: "avx2"
            case .avx512: "avx512"
            }
        }
    }

    /// The number of floating-point operations (`2·m·n·k`) at and above which a product is
    /// split across threads. The `CKernels` workers poll for 0.2 ms after each parallel region
    /// instead of sleeping (``forEachPart(_:threads:_:)``), so back-to-back products find them
    /// awake: on a 2-core AVX-512 machine, 100 × 100 × 100 products (2 MFLOP) ran at 206 GFLOP/s on
    /// two threads against 119 on one, and 64 × 64 × 64 ones (0.5 MFLOP) at 140 against 113. A
    /// product that finds them asleep pays one wake-up call and goes on alone until they join.
    @usableFromInline static let parallelThreshold = 2_000_000

    /// The default thread count: ``Parallelism/maxThreads`` (all active processors unless
    /// limited with ``withThreads(_:_:)``).
    @usableFromInline static var defaultThreads: Int { Parallelism.maxThreads }

    /// The instruction set products use when they name none: ``instructionSetLimit`` lowered to
    /// what the CPU supports.
    @usableFromInline static var activeInstructionSet: InstructionSet {
        let supported = supportedInstructionSet
        guard let limit = instructionSetLimit, limit.rawValue < supported.rawValue else { return supported }
        return limit
    }

    /// The best instruction set the CPU supports, whatever ``instructionSetLimit`` says.
    @usableFromInline static var supportedInstructionSet: InstructionSet {
        InstructionSet(rawValue: ck_isa()) ?? .portable
    }

    /// The most capable instruction set products in this task may use (`nil`: the best the CPU
    /// supports). Task-local, like ``withNoGrad(_:)``, so a test that forces the portable kernels
    /// cannot change what a concurrently running test computes:
    ///
    /// ```swift
    /// GEMM.$instructionSetLimit.withValue(.portable) { ... }
    /// ```
    @TaskLocal @usableFromInline static var instructionSetLimit: InstructionSet?

    /// `C = alpha · op(A) · op(B) + beta · C` in single precision (see ``GEMM`` for shapes).
    ///
    /// - Parameters:
    ///   - threads: the most threads to use; products under `minParallelFlops` use one.
    ///   - instructionSet: the kernels to use (lowered to what the CPU supports); `nil` for the
    ///     active ones (``activeInstructionSet``).
    ///   - minParallelFlops: the work (`2·m·n·k`) from which the product is split across threads;
    ///     tests pass 0 to exercise the split on small matrices.
    @usableFromInline
    static func multiply(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
        threads: Int = defaultThreads, instructionSet: InstructionSet? = nil,
        minParallelFlops: Int = parallelThreshold
    ) {
        checkArguments(transA: transA, transB: transB, m: m, n: n, k: k, lda: lda, ldb: ldb, ldc: ldc)
        let isa = (instructionSet ?? activeInstructionSet).rawValue
        if threads > 1, 2 * m * n * k >= minParallelFlops,
           let job = ck_sgemm_job(
               isa, transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads) {
            return share(job, threads: threads)
        }
        let a = ReadPointer(a), b = ReadPointer(b), c = WritePointer(c)
        forEachBlock(
            m: m, n: n, k: k, threads: threads, isa: isa, isDouble: false, minParallelFlops: minParallelFlops
        ) { i0, rows, j0, cols in
            ck_sgemm_isa(
                isa, transA ? 1 : 0, transB ? 1 : 0, rows, cols, k, alpha,
                a.pointer + (transA ? i0 : i0 * lda), lda,
                b.pointer + (transB ? j0 * ldb : j0), ldb,
                beta, c.pointer + i0 * ldc + j0, ldc)
        }
    }

    /// `C = alpha · op(A) · op(B) + beta · C` in double precision (see ``GEMM`` for shapes and
    /// the single-precision overload for the parameters).
    @usableFromInline
    static func multiply(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int,
        threads: Int = defaultThreads, instructionSet: InstructionSet? = nil,
        minParallelFlops: Int = parallelThreshold
    ) {
        checkArguments(transA: transA, transB: transB, m: m, n: n, k: k, lda: lda, ldb: ldb, ldc: ldc)
        let isa = (instructionSet ?? activeInstructionSet).rawValue
        if threads > 1, 2 * m * n * k >= minParallelFlops,
           let job = ck_dgemm_job(
               isa, transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, threads) {
            return share(job, threads: threads)
        }
        let a = ReadPointer(a), b = ReadPointer(b), c = WritePointer(c)
        forEachBlock(
            m: m, n: n, k: k, threads: threads, isa: isa, isDouble: true, minParallelFlops: minParallelFlops
        ) { i0, rows, j0, cols in
            ck_dgemm_isa(
                isa, transA ? 1 : 0, transB ? 1 : 0, rows, cols, k, alpha,
                a.pointer + (transA ? i0 : i0 * lda), lda,
                b.pointer + (transB ? j0 * ldb : j0), ldb,
                beta, c.pointer + i0 * ldc + j0, ldc)
        }
    }

    /// `C = alpha · op(A) · op(B) + beta · C` for any ``TensorFloatingPoint`` element: forwards
    /// to the `Float` or `Double` overload (the only conforming types), so generic tensor code
    /// reaches the same kernels.
    @inlinable
    static func multiply<S: TensorFloatingPoint>(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: S, a: UnsafePointer<S>, lda: Int,
        b: UnsafePointer<S>, ldb: Int,
        beta: S, c: UnsafeMutablePointer<S>, ldc: Int,
        threads: Int = defaultThreads, instructionSet: InstructionSet? = nil,
        minParallelFlops: Int = parallelThreshold
    ) {
        if S.self == Float.self {
            multiply(
                transA: transA, transB: transB, m: m, n: n, k: k,
                alpha: unsafeBitCast(alpha, to: Float.self),
                a: UnsafeRawPointer(a).assumingMemoryBound(to: Float.self), lda: lda,
                b: UnsafeRawPointer(b).assumingMemoryBound(to: Float.self), ldb: ldb,
                beta: unsafeBitCast(beta, to: Float.self),
                c: UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self), ldc: ldc,
                threads: threads, instructionSet: instructionSet, minParallelFlops: minParallelFlops)
        } else if S.self == Double.self {
            multiply(
                transA: transA, transB: transB, m: m, n: n, k: k,
                alpha: unsafeBitCast(alpha, to: Double.self),
                a: UnsafeRawPointer(a).assumingMemoryBound(to: Double.self), lda: lda,
                b: UnsafeRawPointer(b).assumingMemoryBound(to: Double.self), ldb: ldb,
                beta: unsafeBitCast(beta, to: Double.self),
                c: UnsafeMutableRawPointer(c).assumingMemoryBound(to: Double.self), ldc: ldc,
                threads: threads, instructionSet: instructionSet, minParallelFlops: minParallelFlops)
        } else {
            fatalError("GEMM: unsupported element type \(S.self)")
        }
    }

    /// Traps unless the sizes are non-negative and the leading dimensions cover a row.
    @usableFromInline
    static func checkArguments(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, lda: Int, ldb: Int, ldc: Int
    ) {
        check(m >= 0 && n >= 0 && k >= 0, "GEMM: negative size m=\(m) n=\(n) k=\(k)")
        check(lda >= Swift.max(1, transA ? m : k), "GEMM: lda=\(lda) is smaller than a row of A")
        check(ldb >= Swift.max(1, transB ? k : n), "GEMM: ldb=\(ldb) is smaller than a row of B")
        check(ldc >= Swift.max(1, n), "GEMM: ldc=\(ldc) is smaller than a row of C")
    }

    /// Runs a shared product (`ck_sgemm_job`) on `threads` threads and frees it: the caller and
    /// `CKernels`' workers (`ck_gemm_job_run`) take blocks of rows as each becomes free, so a
    /// thread slowed down by other work on its core does less of the product rather than holding
    /// up the rest.
    @usableFromInline
    static func share(_ job: OpaquePointer, threads: Int) {
        ck_gemm_job_run(job, threads)
        ck_gemm_job_free(job)
    }

    /// Splits `C` into at most `threads` blocks of whole rows or whole columns and calls
    /// `body(firstRow, rows, firstColumn, columns)` for each, concurrently when there is more than
    /// one; a product under `minParallelFlops` (or with one thread) is a single block.
    ///
    /// Rows are split when there are at least as many row tiles as column tiles (each thread then
    /// packs all of `op(B)` but only its own rows of `op(A)`), columns otherwise; block edges fall
    /// on multiples of the microkernel tile so every thread's tiles stay full.
    @usableFromInline
    static func forEachBlock(
        m: Int, n: Int, k: Int, threads: Int, isa: Int32, isDouble: Bool, minParallelFlops: Int,
        _ body: @Sendable (_ firstRow: Int, _ rows: Int, _ firstColumn: Int, _ columns: Int) -> Void
    ) {
        let flops = 2 * m * n * k
        guard threads > 1, m > 0, n > 0, flops >= minParallelFlops else {
            body(0, m, 0, n)
            return
        }
        let (mr, nr) = tile(isa: isa, isDouble: isDouble)
        let rowTiles = (m + mr - 1) / mr, columnTiles = (n + nr - 1) / nr
        let splitRows = rowTiles >= columnTiles
        let tiles = splitRows ? rowTiles : columnTiles
        let blocks = Swift.min(threads, tiles)
        guard blocks > 1 else {
            body(0, m, 0, n)
            return
        }
        let unit = splitRows ? mr : nr, extent = splitRows ? m : n
        forEachPart(blocks, threads: threads) { index in
            // Block `index` gets tiles [index·tiles/blocks, (index+1)·tiles/blocks).
            let start = Swift.min(extent, index * tiles / blocks * unit)
            let end = Swift.min(extent, (index + 1) * tiles / blocks * unit)
            guard end > start else { return }
            if splitRows { body(start, end - start, 0, n) } else { body(0, m, start, end - start) }
        }
    }

    /// The microkernel tile (rows, columns) of `CKernels` for an instruction set and precision.
    @usableFromInline
    static func tile(isa: Int32, isDouble: Bool) -> (rows: Int, columns: Int) {
        let effective = Swift.min(isa, ck_isa())
        switch effective {
        case InstructionSet.avx512.rawValue: return (12, isDouble ? 16 : 32)
        case InstructionSet.avx2.rawValue: return (6, isDouble ? 8 : 16)
        default: return (4, isDouble ? 4 : 8)
        }
    }

    /// A read-only pointer that may cross into the worker threads of one ``GEMM`` call: each thread
    /// only reads through it while the caller waits for all of them.
    @usableFromInline
    struct ReadPointer<Pointee>: @unchecked Sendable {
        /// The wrapped pointer.
        @usableFromInline let pointer: UnsafePointer<Pointee>
        /// Wraps `pointer`.
        @usableFromInline init(_ pointer: UnsafePointer<Pointee>) { self.pointer = pointer }
    }

    /// A mutable pointer that may cross into the worker threads of one ``GEMM`` call: the threads
    /// write disjoint blocks through it while the caller waits for all of them.
    @usableFromInline
    struct WritePointer<Pointee>: @unchecked Sendable {
        /// The wrapped pointer.
        @usableFromInline let pointer: UnsafeMutablePointer<Pointee>
        /// Wraps `pointer`.
        @usableFromInline init(_ pointer: UnsafeMutablePointer<Pointee>) { self.pointer = pointer }
    }
}
