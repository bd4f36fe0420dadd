import Tensor

extension Tensor where Scalar: TensorFloatingPoint {
    /// log(sigmoid(x)) = min(x, 0) - log(1 + e^-|x|), computed without overflow (`F.logsigmoid`).
    ///
    /// Shape: unchanged. Backward: g * sigmoid(-x).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func logSigmoid() -> Tensor {
        let n = count
        var values = [Scalar](repeating: 0, count: n)
        var slopes = [Scalar](repeating: 0, count: n)
        withUnsafeBufferPointer { x in
            for i in 0..<n {
                let v = x[i]
                let e = Scalar.exp(-Swift.abs(v))
                values[i] = Swift.min(v, 0) - Scalar.log1p(e)
                // sigmoid(-v), written so that neither branch overflows.
                slopes[i] = v >= 0 ? e / (1 + e) : 1 / (1 + e)
            }
        }
        let slope = Tensor(shape: shape, scalars: slopes)
        return Tensor(shape: shape, scalars: values).recording("LogSigmoidBackward", [self]) { g in [g * slope] }
    }
}
