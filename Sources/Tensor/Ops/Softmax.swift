/// Softmax and log-softmax along one axis, numerically stable (the maximum is subtracted first).
extension Tensor where Scalar: TensorFloatingPoint {
    /// softmax(x)_i = e^(x_i - m) / sum_j e^(x_j - m) along `axis`, m the maximum there.
    ///
    /// Shape: unchanged. Backward: (g - sum(g * y)) * y along `axis`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func softmax(axis: Int) -> Tensor {
        let result = normalized(axis: axis, op: "softmax", log: false)
        let y = result.detach()
        let axis = normalizedAxis(axis, rank: rank, op: "softmax")
        return result.recording("SoftmaxBackward", [self]) { g in
            [Tensor.normalizedBackward(g, output: y, axis: axis, log: false)]
        }
    }

    /// log softmax(x) = (x - m) - log(sum_j e^(x_j - m)) along `axis`, in PyTorch's order.
    ///
    /// Shape: unchanged. Backward: g - softmax(x) * sum(g) along `axis`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func logSoftmax(axis: Int) -> Tensor {
        let result = normalized(axis: axis, op: "logSoftmax", log: true)
        let y = result.detach()
        let axis = normalizedAxis(axis, rank: rank, op: "logSoftmax")
        return result.recording("LogSoftmaxBackward", [self]) { g in
            [Tensor.normalizedBackward(g, output: y, axis: axis, log: true)]
        }
    }

    /// The gradient of softmax, (g - sum(g · y)) · y with y = softmax(x) (PyTorch's order of
    /// operations), or of log-softmax, g - e^y · sum(g) with y = log softmax(x), along `axis`:
    /// one pass over each lane, with the exponentials of a block of contiguous lanes taken in
    /// one vector call.
    @inline(__always)
    private static func normalizedBackward(_ g: Tensor, output y: Tensor, axis: Int, log: Bool) -> Tensor {
        let (outer, size, inner) = y.rank == 0 ? (1, 1, 1) : Shape.split(y.shape, at: axis)
        let values = TensorStorage<Scalar>(count: y.count) { out in
            guard y.count > 0 else { return }
            g.withUnsafeBufferPointer { g in
                y.withUnsafeBufferPointer { y in
                    let g = GEMM.ReadPointer(g.baseAddress!), y = GEMM.ReadPointer(y.baseAddress!)
                    let out = GEMM.WritePointer(out.baseAddress!)
                    forEachBlock(outer: outer, size: size, inner: inner) { rows in
                        let (g, y, out) = (g.pointer, y.pointer, out.pointer)
                        if log && inner == 1 {
                            let first = rows.lowerBound * size
                            VectorMath.exp(y + first, into: out + first, count: rows.count * size)
                        }
                        for base in lanes(rows, size: size, inner: inner) {
                            var total: Scalar = 0
                            if !log {
                                for k in 0..<size { total += g[base + k * inner] * y[base + k * inner] }
                                for k in 0..<size {
                                    let j = base + k * inner
                                    out[j] = (g[j] - total) * y[j]
                                }
                                continue
                            }
                            for k in 0..<size { total += g[base + k * inner] }
                            if inner == 1 {
                                for k in 0..<size { out[base + k] = g[base + k] - out[base + k] * total }
                            } else {
                                for k in 0..<size {
                                    let j = base + k * inner
                                    out[j] = g[j] - Scalar.exp(y[j]) * total
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: y.shape, storage: values)
    }

    /// Calls `body` with blocks of outer indices covering `0..<outer` (lanes along the axis are
    /// `outer · inner` runs of `size` elements, `inner` apart). Lanes are independent: from 65,536
    /// elements the blocks are run on several threads (``Parallelism/maxThreads``), which does
    /// not change any lane's arithmetic.
    @inline(__always)
    private static func forEachBlock(outer: Int, size: Int, inner: Int, _ body: @Sendable (_ rows: Range<Int>) -> Void) {
        parallelForRows(outer, width: size * inner, body)
    }

    /// The offset of the first element of every lane of the outer indices `rows`.
    @inline(__always)
    private static func lanes(_ rows: Range<Int>, size: Int, inner: Int) -> some Sequence<Int> {
        rows.lazy.flatMap { o in (0..<inner).lazy.map { o * size * inner + $0 } }
    }

    /// softmax or log-softmax along `axis`, outside the graph. Contiguous lanes (`inner == 1`) are
    /// shifted by their maxima a block at a time and exponentiated in one vector call for the
    /// whole block; each element goes through the same operations either way.
    @inline(__always)
    private func normalized(axis: Int, op: String, log: Bool) -> Tensor {
        let axis = normalizedAxis(axis, rank: rank, op: op)
        let (outer, size, inner) = rank == 0 ? (1, 1, 1) : Shape.split(shape, at: axis)
        let values = TensorStorage<Scalar>(count: count) { out in
            guard count > 0 else { return }
            withUnsafeBufferPointer { x in
                let x = GEMM.ReadPointer(x.baseAddress!), out = GEMM.WritePointer(out.baseAddress!)
                Tensor.forEachBlock(outer: outer, size: size, inner: inner) { rows in
                    let (x, out) = (x.pointer, out.pointer)
                    // The lane's maximum, NaN if any element is NaN; used as it is, as in PyTorch,
                    // so a lane with NaN or +inf, or only -inf, comes out NaN.
                    @inline(__always) func maximum(_ base: Int) -> Scalar {
                        var m = -Scalar.infinity
                        for k in 0..<size {
                            let v = x[base + k * inner]
                            if v.isNaN || v > m { m = v }
                            if m.isNaN { break }
                        }
                        return m
                    }
                    @inline(__always) func finish(_ base: Int, maximum m: Scalar, total: Scalar) {
                        if log {
                            // PyTorch's order, (x - m) - log Σ: exact where x is near m, which
                            // x - (m + log Σ) is not in Float when |m| is large.
                            let logTotal = Scalar.log(total)
                            for k in 0..<size { out[base + k * inner] = (x[base + k * inner] - m) - logTotal }
                        } else {
                            for k in 0..<size { out[base + k * inner] /= total }
                        }
                    }
                    guard inner == 1 else {
                        for base in Tensor.lanes(rows, size: size, inner: inner) {
                            let m = maximum(base)
                            var total: Scalar = 0
                            for k in 0..<size {
                                let e = Scalar.exp(x[base + k * inner] - m)
                                out[base + k * inner] = e
                                total += e
                            }
                            finish(base, maximum: m, total: total)
                        }
                        return
                    }
                    withUnsafeTemporaryAllocation(of: Scalar.self, capacity: rows.count) { maxima in
                        for (r, o) in rows.enumerated() {
                            let base = o * size, m = maximum(base)
                            maxima[r] = m
                            for k in 0..<size { out[base + k] = x[base + k] - m }
                        }
                        let first = rows.lowerBound * size
                        VectorMath.exp(out + first, into: out + first, count: rows.count * size)
                        for (r, o) in rows.enumerated() {
                            let base = o * size
                            var total: Scalar = 0
                            for k in 0..<size { total += out[base + k] }
                            finish(base, maximum: maxima[r], total: total)
                        }
                    }
                }
            }
        }
        return Tensor(shape: shape, storage: values)
    }
}
