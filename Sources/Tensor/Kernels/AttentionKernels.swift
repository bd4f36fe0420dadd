/// The per-batch-index arithmetic of scaled dot-product attention on raw row-major buffers:
/// `batches` independent problems with queries `[L, E]`, keys `[S, E]`, values `[S, Ev]`,
/// probabilities `[L, S]` and outputs `[L, Ev]`. Probabilities are stored one problem after
/// another; queries, keys, values and outputs (and their gradients) where their ``Layout`` says,
/// by default also one after another.
///
/// Batch indices are spread over the kernel threads (``Parallelism/maxThreads``); each one's
/// products are single-threaded ``GEMM`` calls, so the small per-head matrices of a transformer
/// are multiplied by the packed microkernels without a thread hand-off per product.
struct AttentionKernels<Scalar: TensorFloatingPoint>: Sendable {
    let batches: Int, l: Int, s: Int, e: Int, ev: Int
    /// The factor applied to Q Kᵀ.
    let scale: Scalar
    /// Whether query i sees keys 0...i only.
    let isCausal: Bool
    /// Where the queries (and their gradients), keys, values and outputs (and the output's
    /// gradient) of each problem are.
    var queryLayout, keyLayout, valueLayout, outputLayout: Layout

    /// Problems stored one after another (see the type's description).
    init(batches: Int, l: Int, s: Int, e: Int, ev: Int, scale: Scalar, isCausal: Bool) {
        (self.batches, self.l, self.s, self.e, self.ev, self.scale, self.isCausal) = (batches, l, s, e, ev, scale, isCausal)
        queryLayout = .contiguous(rows: l, columns: e)
        keyLayout = .contiguous(rows: s, columns: e)
        valueLayout = .contiguous(rows: s, columns: ev)
        outputLayout = .contiguous(rows: l, columns: ev)
    }

    /// Where the matrix of each problem starts in a buffer, and the distance of its rows: problem
    /// b = outer · heads + h starts at outer · outerStride + h · headStride (heads of one sequence
    /// side by side in the columns of a wider matrix, as in a `[B, T, heads · E]` projection).
    struct Layout: Sendable {
        let heads: Int, outerStride: Int, headStride: Int, rowStride: Int

        /// Matrices of `rows` × `columns` one after another.
        static func contiguous(rows: Int, columns: Int) -> Layout {
            Layout(heads: 1, outerStride: rows * columns, headStride: 0, rowStride: columns)
        }

        /// The offset of problem `b`'s first element.
        @inline(__always) func offset(_ b: Int) -> Int { (b / heads) * outerStride + (b % heads) * headStride }
    }

    /// Fills `probabilities` with softmax(scale · Q Kᵀ + mask) (the causal mask when
    /// ``isCausal``) and `output` with (P · keep) V. `mask` and `keep` are `[batches, L, S]` or nil.
    func forward(
        query: UnsafePointer<Scalar>, key: UnsafePointer<Scalar>, value: UnsafePointer<Scalar>,
        mask: UnsafePointer<Scalar>?, keep: UnsafePointer<Scalar>?,
        probabilities: UnsafeMutablePointer<Scalar>, output: UnsafeMutablePointer<Scalar>
    ) {
        let pointers = Pointers([query, key, value, mask, keep], [probabilities, output])
        forEachBatch { b, scratch in
            let (q, k, v) = (
                pointers.read[0]! + queryLayout.offset(b), pointers.read[1]! + keyLayout.offset(b),
                pointers.read[2]! + valueLayout.offset(b))
            let p = pointers.write[0] + b * l * s, o = pointers.write[1] + outputLayout.offset(b)
            GEMM.multiply(
                transA: false, transB: true, m: l, n: s, k: e, alpha: scale, a: q, lda: queryLayout.rowStride,
                b: k, ldb: keyLayout.rowStride, beta: 0, c: p, ldc: s, threads: 1)
            if let mask = pointers.read[3] {
                let m = mask + b * l * s
                for i in 0..<(l * s) { p[i] += m[i] }
            }
            softmaxRows(p)
            var attended = UnsafePointer(p)
            if let keep = pointers.read[4] {
                let d = keep + b * l * s
                for i in 0..<(l * s) { scratch[i] = p[i] * d[i] }
                attended = UnsafePointer(scratch)
            }
            GEMM.multiply(
                transA: false, transB: false, m: l, n: ev, k: s, alpha: 1, a: attended, lda: s, b: v,
                ldb: valueLayout.rowStride, beta: 0, c: o, ldc: outputLayout.rowStride, threads: 1)
        }
    }

    /// Writes the gradients of the queries, keys and values given the output's `gradient` and
    /// the saved `probabilities` (see ``Tensor/scaledDotProductAttention(query:key:value:mask:isCausal:dropoutP:scale:generator:)``).
    func backward(
        query: UnsafePointer<Scalar>, key: UnsafePointer<Scalar>, value: UnsafePointer<Scalar>,
        keep: UnsafePointer<Scalar>?, probabilities: UnsafePointer<Scalar>, gradient: UnsafePointer<Scalar>,
        queryGradient: UnsafeMutablePointer<Scalar>, keyGradient: UnsafeMutablePointer<Scalar>,
        valueGradient: UnsafeMutablePointer<Scalar>
    ) {
        let pointers = Pointers(
            [query, key, value, keep, probabilities, gradient], [queryGradient, keyGradient, valueGradient])
        forEachBatch(scratchSize: 2 * l * s) { b, scratch in
            let (qo, ko, vo) = (queryLayout.offset(b), keyLayout.offset(b), valueLayout.offset(b))
            let (q, k, v) = (pointers.read[0]! + qo, pointers.read[1]! + ko, pointers.read[2]! + vo)
            let p = pointers.read[4]! + b * l * s, g = pointers.read[5]! + outputLayout.offset(b)
            let (dq, dk, dv) = (pointers.write[0] + qo, pointers.write[1] + ko, pointers.write[2] + vo)
            let (ldq, ldk, ldv, ldo) = (queryLayout.rowStride, keyLayout.rowStride, valueLayout.rowStride, outputLayout.rowStride)
            let dScores = scratch + l * s
            let d = pointers.read[3].map { $0 + b * l * s }
            var attended = p
            if let d {
                for i in 0..<(l * s) { scratch[i] = p[i] * d[i] }
                attended = UnsafePointer(scratch)
            }
            // dV = (P·D)ᵀ G; dP = G Vᵀ (then ·D).
            GEMM.multiply(
                transA: true, transB: false, m: s, n: ev, k: l, alpha: 1, a: attended, lda: s, b: g, ldb: ldo,
                beta: 0, c: dv, ldc: ldv, threads: 1)
            GEMM.multiply(
                transA: false, transB: true, m: l, n: s, k: ev, alpha: 1, a: g, lda: ldo, b: v, ldb: ldv,
                beta: 0, c: dScores, ldc: s, threads: 1)
            if let d { for i in 0..<(l * s) { dScores[i] *= d[i] } }
            // dS = P · (dP - rowsum(dP · P)).
            for i in 0..<l {
                let pr = p + i * s, dr = dScores + i * s
                var total: Scalar = 0
                for j in 0..<s { total += dr[j] * pr[j] }
                for j in 0..<s { dr[j] = pr[j] * (dr[j] - total) }
            }
            // dQ = scale · dS K; dK = scale · dSᵀ Q.
            GEMM.multiply(
                transA: false, transB: false, m: l, n: e, k: s, alpha: scale, a: dScores, lda: s, b: k, ldb: ldk,
                beta: 0, c: dq, ldc: ldq, threads: 1)
            GEMM.multiply(
                transA: true, transB: false, m: s, n: e, k: l, alpha: scale, a: dScores, lda: s, b: q, ldb: ldq,
                beta: 0, c: dk, ldc: ldk, threads: 1)
        }
    }

    /// Softmax of each of the L rows of `p` in place (over the first i + 1 entries of row i
    /// when causal, the rest set to 0); a row without a finite entry becomes all zeros.
    private func softmaxRows(_ p: UnsafeMutablePointer<Scalar>) {
        for i in 0..<l {
            let row = p + i * s, visible = isCausal ? Swift.min(i + 1, s) : s
            var maximum = -Scalar.infinity
            for j in 0..<visible { maximum = Swift.max(maximum, row[j]) }
            guard maximum > -Scalar.infinity else {
                row.update(repeating: 0, count: s)
                continue
            }
            for j in 0..<visible { row[j] -= maximum }
            VectorMath.exp(row, into: row, count: visible)
            var total: Scalar = 0
            for j in 0..<visible { total += row[j] }
            let inverse = 1 / total
            for j in 0..<visible { row[j] *= inverse }
            if visible < s { (row + visible).update(repeating: 0, count: s - visible) }
        }
    }

    /// Runs `body(b, scratch)` for every batch index, spread over the kernel threads; `scratch`
    /// holds `scratchSize` elements (L · S by default) private to the call.
    private func forEachBatch(
        scratchSize: Int? = nil, _ body: @Sendable (Int, UnsafeMutablePointer<Scalar>) -> Void
    ) {
        guard l * s > 0 || l * ev > 0 || s * e > 0 else { return }
        let size = Swift.max(scratchSize ?? l * s, 1)
        parallelFor(batches, parts: Swift.min(Parallelism.maxThreads, batches)) { range in
            withUnsafeTemporaryAllocation(of: Scalar.self, capacity: size) { scratch in
                for b in range { body(b, scratch.baseAddress!) }
            }
        }
    }

    /// Buffers shared by the threads of one call: each thread reads all and writes only its
    /// own batch indices' blocks.
    private struct Pointers: @unchecked Sendable {
        let read: [UnsafePointer<Scalar>?]
        let write: [UnsafeMutablePointer<Scalar>]
        init(_ read: [UnsafePointer<Scalar>?], _ write: [UnsafeMutablePointer<Scalar>]) {
            self.read = read
            self.write = write
        }
    }
}
