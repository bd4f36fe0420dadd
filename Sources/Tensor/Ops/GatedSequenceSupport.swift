/// The pieces the fused recurrent sequence ops (RNN, LSTM, GRU) share: time order, the logistic sigmoid on a
/// raw buffer, and the whole-sequence products of their backward passes.
extension Tensor where Scalar: TensorFloatingPoint {
    /// The time position of step `s` of `steps` (`s` counts in the recurrence's own order) and of
    /// the step before it (-1 or `steps` for the initial state).
    @inline(__always)
    static func timePositions(_ s: Int, steps: Int, reversed: Bool) -> (t: Int, previous: Int) {
        reversed ? (steps - 1 - s, steps - s) : (s, s - 1)
    }

    /// y = 1 / (1 + e^-x) in place over `count` values, as ``sigmoid()`` computes it (from
    /// e = e^-|x|, without overflow; the exponential vectorised for `Float`).
    @inline(__always)
    static func sigmoidInPlace(_ x: UnsafeMutablePointer<Scalar>, count: Int, scratch: UnsafeMutablePointer<Scalar>) {
        for i in 0..<count { scratch[i] = -Swift.abs(x[i]) }
        VectorMath.exp(scratch, into: scratch, count: count)
        for i in 0..<count { x[i] = x[i] >= 0 ? 1 / (1 + scratch[i]) : scratch[i] / (1 + scratch[i]) }
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

    /// The column sums 1ᵀ D of `d` `[rows, width]` (a bias gradient), as a one-row product.
    static func columnSums(_ d: UnsafePointer<Scalar>, rows: Int, width: Int) -> Tensor {
        let ones = [Scalar](repeating: 1, count: Swift.max(rows, 1))
        let sums = TensorStorage<Scalar>(count: width) { sums in
            ones.withUnsafeBufferPointer { ones in
                GEMM.multiply(
                    transA: false, transB: false, m: 1, n: width, k: rows, alpha: 1,
                    a: ones.baseAddress!, lda: rows, b: d, ldb: width, beta: 0, c: sums.baseAddress!, ldc: width)
            }
        }
        return Tensor(shape: [width], storage: sums)
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
