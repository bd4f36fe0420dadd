import CKernels

extension GEMM {
    /// `op(B)` (`k × n`) packed once into the layout the microkernels of one instruction set read,
    /// for many products `C = alpha · op(A) · op(B) + beta · C` with the same `op(B)`: a
    /// recurrence multiplies its hidden states by W_hhᵀ at every time step, and packing that
    /// weight at every step cost as much as a quarter of each step's product. Made by
    /// ``withPackedB(transB:k:n:b:ldb:instructionSet:_:)``, valid only inside its closure; only
    /// read, so several threads may multiply by it at once.
    struct PackedB<Scalar: TensorFloatingPoint>: @unchecked Sendable {
        /// The packed elements (`ck_sgemm_packed_b_size` of them).
        let pointer: UnsafePointer<Scalar>
        /// The depth `k` (rows of `op(B)`) and width `n` (its columns).
        let k: Int, n: Int
        /// The instruction set whose layout this is (the products must use the same one).
        let isa: Int32
    }

    /// Packs `op(B)` (`k × n`: `B` stored `k × n` with row stride `ldb`, or `n × k` when `transB`)
    /// for the kernels of `instructionSet` (the active ones when `nil`) and calls `body` with it.
    static func withPackedB<S: TensorFloatingPoint, R>(
        transB: Bool, k: Int, n: Int, b: UnsafePointer<S>, ldb: Int, instructionSet: InstructionSet? = nil,
        _ body: (PackedB<S>) -> R
    ) -> R {
        checkArguments(transA: false, transB: transB, m: 0, n: n, k: k, lda: Swift.max(1, k), ldb: ldb, ldc: Swift.max(1, n))
        let isa = (instructionSet ?? activeInstructionSet).rawValue
        let isFloat = S.self == Float.self
        check(isFloat || S.self == Double.self, "GEMM.withPackedB: unsupported element type \(S.self)")
        let count = Swift.max(1, isFloat ? ck_sgemm_packed_b_size(isa, n, k) : ck_dgemm_packed_b_size(isa, n, k))
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<S>.stride, alignment: 64)
        defer { raw.deallocate() }
        if isFloat {
            ck_sgemm_pack_b(
                isa, transB ? 1 : 0, n, k, UnsafeRawPointer(b).assumingMemoryBound(to: Float.self), ldb,
                raw.bindMemory(to: Float.self, capacity: count))
        } else {
            ck_dgemm_pack_b(
                isa, transB ? 1 : 0, n, k, UnsafeRawPointer(b).assumingMemoryBound(to: Double.self), ldb,
                raw.bindMemory(to: Double.self, capacity: count))
        }
        let packed = UnsafeRawPointer(raw).assumingMemoryBound(to: S.self)
        return body(PackedB(pointer: packed, k: k, n: n, isa: isa))
    }

    /// `C = alpha · op(A) · op(B) + beta · C` on the calling thread, `op(B)` packed beforehand
    /// (`op(A)` is `m × b.k`, `C` is `m × b.n`; see ``GEMM`` for strides). Every element is
    /// computed exactly as ``multiply(transA:transB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:threads:instructionSet:minParallelFlops:)``
    /// computes it with the same instruction set.
    static func multiply<S: TensorFloatingPoint>(
        transA: Bool, m: Int, alpha: S, a: UnsafePointer<S>, lda: Int, packedB b: PackedB<S>,
        beta: S, c: UnsafeMutablePointer<S>, ldc: Int
    ) {
        check(m >= 0, "GEMM: negative size m=\(m)")
        check(lda >= Swift.max(1, transA ? m : b.k), "GEMM: lda=\(lda) is smaller than a row of A")
        check(ldc >= Swift.max(1, b.n), "GEMM: ldc=\(ldc) is smaller than a row of C")
        if S.self == Float.self {
            ck_sgemm_prepacked(
                b.isa, transA ? 1 : 0, m, b.n, b.k, unsafeBitCast(alpha, to: Float.self),
                UnsafeRawPointer(a).assumingMemoryBound(to: Float.self), lda,
                UnsafeRawPointer(b.pointer).assumingMemoryBound(to: Float.self), unsafeBitCast(beta, to: Float.self),
                UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self), ldc)
        } else {
            ck_dgemm_prepacked(
                b.isa, transA ? 1 : 0, m, b.n, b.k, unsafeBitCast(alpha, to: Double.self),
                UnsafeRawPointer(a).assumingMemoryBound(to: Double.self), lda,
                UnsafeRawPointer(b.pointer).assumingMemoryBound(to: Double.self), unsafeBitCast(beta, to: Double.self),
                UnsafeMutableRawPointer(c).assumingMemoryBound(to: Double.self), ldc)
        }
    }
}
