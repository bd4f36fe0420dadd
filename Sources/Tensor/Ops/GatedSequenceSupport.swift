/// The pieces the fused recurrent sequence ops (RNN, LSTM, GRU) share: time order, the logistic
/// sigmoid from a precomputed exponential, eight-lane loads and stores for the gate loops, and
/// the whole-sequence products of their backward passes.
extension Tensor where Scalar: TensorFloatingPoint {
    /// The time position of step `s` of `steps` (`s` counts in the recurrence's own order) and of
    /// the step before it (-1 or `steps` for the initial state).
    @inline(__always)
    static func timePositions(_ s: Int, steps: Int, reversed: Bool) -> (t: Int, previous: Int) {
        reversed ? (steps - 1 - s, steps - s) : (s, s - 1)
    }

    /// σ(x) = 1 / (1 + e^-x) from e = e^-|x| (the exponential vectorised for `Float` by the
    /// caller, over a whole row): 1 / (1 + e) for x >= 0, else e / (1 + e), without overflow and
    /// rounded as ``sigmoid()`` rounds it. (A loop over one row vectorises it; on `SIMD8` lanes
    /// the comparison went lane by lane through memory.)
    @inline(__always)
    static func logistic(_ x: Scalar, exponential e: Scalar) -> Scalar {
        x >= 0 ? 1 / (1 + e) : e / (1 + e)
    }

    /// The `count` (at most 8) values at `p` in the first lanes, zeros after them: the backward
    /// gate loops of the fused sequences run on eight lanes, each lane computing exactly what the
    /// scalar formula computes (the vectoriser gives up on their many pointers by itself).
    @inline(__always)
    static func lanes(_ p: UnsafePointer<Scalar>, _ count: Int) -> SIMD8<Scalar> {
        if count == 8 { return UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Scalar>.self) }
        var v = SIMD8<Scalar>()
        for l in 0..<count { v[l] = p[l] }
        return v
    }

    /// Writes the first `count` (at most 8) lanes of `v` to `p`.
    @inline(__always)
    static func store(_ v: SIMD8<Scalar>, to p: UnsafeMutablePointer<Scalar>, _ count: Int) {
        if count == 8 { return UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Scalar>.self) }
        for l in 0..<count { p[l] = v[l] }
    }

    /// Calls `body` with the `rows × columns` weight `w` packed once for the per-step products of
    /// a time loop (``GEMM/PackedB``): as `op(B) = wᵀ` (`columns × rows`) when `transposed`, else
    /// as `op(B) = w`. Packing it at every step instead cost as much as a quarter of the product.
    @inline(__always)
    static func withPackedWeight<R>(
        _ w: Tensor, rows: Int, columns: Int, transposed: Bool, _ body: (GEMM.PackedB<Scalar>) -> R
    ) -> R {
        w.withUnsafeBufferPointer { w in
            GEMM.withPackedB(
                transB: transposed, k: transposed ? columns : rows, n: transposed ? rows : columns,
                b: w.baseAddress!, ldb: columns, body)
        }
    }

    /// Calls `body` with the `rows × columns` weight `w` prepared for the per-step products of a
    /// time loop of `steps` steps, as `op(B) = wᵀ` (`columns × rows`) when `transposed`, else as
    /// `op(B) = w`: packed once (``withPackedWeight(_:rows:columns:transposed:_:)``) for several
    /// steps, read in place for a single one. A sampling loop calls the layer one step at a time,
    /// and packing W_hh at every call cost more than the step's product. Both round alike:
    /// ``GEMM`` computes every element as the pre-packed product does.
    @inline(__always)
    static func withStepWeight<R>(
        _ w: Tensor, rows: Int, columns: Int, transposed: Bool, steps: Int, _ body: (StepWeight<Scalar>) -> R
    ) -> R {
        guard steps == 1 else {
            return withPackedWeight(w, rows: rows, columns: columns, transposed: transposed) { body(.packed($0)) }
        }
        return w.withUnsafeBufferPointer { w in
            body(.inPlace(
                GEMM.ReadPointer(w.baseAddress!), transposed: transposed, k: transposed ? columns : rows,
                n: transposed ? rows : columns, ld: columns))
        }
    }

    /// dW_hh = Σ_t dGᵀ_t h_{t-1} `[gates, hidden]` for the hidden-side gate gradients `dG`
    /// `[batch · steps, gates]`: one product over the whole sequence with the matrix of previous
    /// states, gathered from `states` `[batch, steps, stateWidth]` (h in its first `hidden`
    /// columns) and h_0 (`initial` `[batch, initialWidth]`, h first).
    static func hiddenWeightGradient(
        _ dG: UnsafePointer<Scalar>, gates: Int, states: Tensor, initial: Tensor, hidden: Int, reversed: Bool
    ) -> Tensor {
        let (batch, steps, stateWidth) = (states.shape[0], states.shape[1], states.shape[2])
        let initialWidth = initial.shape[1]
        let rows = batch * steps
        let previous = TensorStorage<Scalar>(count: rows * hidden) { previous in
            states.withUnsafeBufferPointer { y in
                initial.withUnsafeBufferPointer { h0 in
                    for b in 0..<batch {
                        for t in 0..<steps {
                            let p = reversed ? t + 1 : t - 1
                            let source = p < 0 || p == steps
                                ? h0.baseAddress! + b * initialWidth
                                : y.baseAddress! + (b * steps + p) * stateWidth
                            (previous.baseAddress! + (b * steps + t) * hidden).initialize(from: source, count: hidden)
                        }
                    }
                }
            }
        }
        let dW = TensorStorage<Scalar>(count: gates * hidden) { dW in
            previous.withBuffer { hp in
                GEMM.multiply(
                    transA: true, transB: false, m: gates, n: hidden, k: rows, alpha: 1,
                    a: dG, lda: gates, b: hp.baseAddress!, ldb: hidden, beta: 0, c: dW.baseAddress!, ldc: hidden)
            }
        }
        return Tensor(shape: [gates, hidden], storage: dW)
    }
}

/// A recurrent weight as the per-step products of a fused sequence's time loop read it (`op(B)`,
/// `k × n`); only read, so the batch parts' threads share it.
enum StepWeight<Scalar: TensorFloatingPoint>: @unchecked Sendable {
    /// Packed once for the pre-packed product.
    case packed(GEMM.PackedB<Scalar>)
    /// Read in place by the direct product: op(B) is the `k × n` matrix at the pointer with row
    /// stride `ld`, or, when `transposed`, the transpose of the `n × k` one.
    case inPlace(GEMM.ReadPointer<Scalar>, transposed: Bool, k: Int, n: Int, ld: Int)

    /// C = A · op(B) + beta · C on the calling thread, for `m` rows of A (row stride `lda`) and C (`ldc`).
    @inline(__always)
    func multiply(m: Int, a: UnsafePointer<Scalar>, lda: Int, beta: Scalar, c: UnsafeMutablePointer<Scalar>, ldc: Int) {
        switch self {
        case .packed(let w):
            GEMM.multiply(transA: false, m: m, alpha: 1, a: a, lda: lda, packedB: w, beta: beta, c: c, ldc: ldc)
        case .inPlace(let w, let transposed, let k, let n, let ld):
            GEMM.multiply(
                transA: false, transB: transposed, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: w.pointer,
                ldb: ld, beta: beta, c: c, ldc: ldc, threads: 1)
        }
    }
}
