/// Softmax and log-softmax along one axis, numerically stable (the maximum is subtracted first).
extension Tensor where Scalar: TensorFloatingPoint {
    /// softmax(x)_i = e^(x_i - m) / sum_j e^(x_j - m) along `axis`, m the maximum there.
    ///
    /// Shape: unchanged. Backward: y * (g - sum(g * y)) along `axis`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func softmax(axis: Int) -> Tensor {
        let result = normalized(axis: axis, op: "softmax", log: false)
        let y = result.detach()
        let axis = normalizedAxis(axis, rank: rank, op: "softmax")
        return result.recording("SoftmaxBackward", [self]) { g in
            let gy = g * y
            return [gy - y * gy.sum(axis: axis, keepDim: true)]
        }
    }

    /// log softmax(x) = x - m - log(sum_j e^(x_j - m)) along `axis`.
    ///
    /// Shape: unchanged. Backward: g - softmax(x) * sum(g) along `axis`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func logSoftmax(axis: Int) -> Tensor {
        let result = normalized(axis: axis, op: "logSoftmax", log: true)
        let y = result.detach()
        let axis = normalizedAxis(axis, rank: rank, op: "logSoftmax")
        return result.recording("LogSoftmaxBackward", [self]) { g in
            [g - y.exp() * g.sum(axis: axis, keepDim: true)]
        }
    }

    @inline(__always)
    private func normalized(axis: Int, op: String, log: Bool) -> Tensor {
        let axis = normalizedAxis(axis, rank: rank, op: op)
        let (outer, size, inner) = rank == 0 ? (1, 1, 1) : Shape.split(shape, at: axis)
        let values = withUnsafeBufferPointer { x in
            [Scalar](unsafeUninitializedCapacity: count) { out, initialized in
                for o in 0..<outer {
                    for i in 0..<inner {
                        let base = o * size * inner + i
                        var m = -Scalar.infinity
                        for k in 0..<size { m = Swift.max(m, x[base + k * inner]) }
                        if !m.isFinite { m = 0 }
                        var total: Scalar = 0
                        for k in 0..<size {
                            let e = Scalar.exp(x[base + k * inner] - m)
                            out[base + k * inner] = e
                            total += e
                        }
                        if log {
                            let shift = m + Scalar.log(total)
                            for k in 0..<size { out[base + k * inner] = x[base + k * inner] - shift }
                        } else {
                            for k in 0..<size { out[base + k * inner] /= total }
                        }
                    }
                }
                initialized = count
            }
        }
        return Tensor(shape: shape, scalars: values)
    }
}
