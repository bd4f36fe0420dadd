/// Layer normalisation over the trailing dimensions, as one differentiable operation.
extension Tensor where Scalar: TensorFloatingPoint {
    /// Normalises each row of the trailing `normalizedShape` dimensions to zero mean and unit
    /// variance, then scales and shifts it (`F.layer_norm(x, normalized_shape, weight, bias, eps)`):
    ///
    ///     y = (x - mean) / sqrt(var + eps) · weight + bias
    ///
    /// with the mean and the biased variance (divided by n) of each row of n elements.
    ///
    /// Shapes: this tensor `[..., *normalizedShape]`, `weight` and `bias` `normalizedShape`
    /// (either may be `nil`); the result has this tensor's shape.
    ///
    /// Backward, with x̂ = (x - mean) · rstd and ĝ = g · weight: dx = rstd · (ĝ - mean(ĝ) -
    /// x̂ · mean(ĝ · x̂)) per row, dweight = Σ_rows g · x̂, dbias = Σ_rows g.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func layerNorm(
        normalizedShape: [Int], weight: Tensor? = nil, bias: Tensor? = nil, eps: Scalar = 1e-5
    ) -> Tensor {
        check(
            normalizedShape.count <= rank && Array(shape.suffix(normalizedShape.count)) == normalizedShape,
            "layerNorm: input of shape \(shape) does not end with normalized shape \(normalizedShape)")
        for (name, parameter) in [("weight", weight), ("bias", bias)] {
            if let parameter {
                check(
                    parameter.shape == normalizedShape,
                    "layerNorm: \(name) of shape \(parameter.shape) does not match normalized shape \(normalizedShape)")
            }
        }
        let width = Shape.count(normalizedShape), rows = width == 0 ? 0 : count / width
        // Saved per row for backward: the mean and 1 / sqrt(var + eps).
        var means = [Scalar](repeating: 0, count: rows), rstds = [Scalar](repeating: 0, count: rows)
        let result = Tensor(shape: shape) { out in
            withUnsafeBufferPointer { x in
                let w = weight?.scalars, b = bias?.scalars
                for r in 0..<rows {
                    let row = x.baseAddress! + r * width, y = out.baseAddress! + r * width
                    var sum: Scalar = 0
                    for j in 0..<width { sum += row[j] }
                    let mean = sum / Scalar(width)
                    var squares: Scalar = 0
                    for j in 0..<width {
                        let d = row[j] - mean
                        squares += d * d
                    }
                    let rstd = 1 / (squares / Scalar(width) + eps).squareRoot()
                    means[r] = mean
                    rstds[r] = rstd
                    for j in 0..<width {
                        var v = (row[j] - mean) * rstd
                        if let w { v *= w[j] }
                        if let b { v += b[j] }
                        (y + j).initialize(to: v)
                    }
                }
            }
        }
        let inputs = [self] + [weight, bias].compactMap { $0 }
        let (mean, rstd) = (means, rstds)
        return result.recording("NativeLayerNormBackward", inputs) { [self] g in
            let w = weight?.scalars
            var dx = [Scalar](repeating: 0, count: count)
            var dw = [Scalar](repeating: 0, count: width), db = [Scalar](repeating: 0, count: width)
            withUnsafeBufferPointer { x in
                g.withUnsafeBufferPointer { g in
                    var xhat = [Scalar](repeating: 0, count: width), ghat = [Scalar](repeating: 0, count: width)
                    for r in 0..<rows {
                        let base = r * width
                        var sumG: Scalar = 0, sumGX: Scalar = 0
                        for j in 0..<width {
                            xhat[j] = (x[base + j] - mean[r]) * rstd[r]
                            ghat[j] = w.map { g[base + j] * $0[j] } ?? g[base + j]
                            sumG += ghat[j]
                            sumGX += ghat[j] * xhat[j]
                            dw[j] += g[base + j] * xhat[j]
                            db[j] += g[base + j]
                        }
                        let meanG = sumG / Scalar(width), meanGX = sumGX / Scalar(width)
                        for j in 0..<width { dx[base + j] = rstd[r] * (ghat[j] - meanG - xhat[j] * meanGX) }
                    }
                }
            }
            var grads: [Tensor?] = [requiresGrad ? Tensor(shape: shape, scalars: dx) : nil]
            if let weight { grads.append(weight.requiresGrad ? Tensor(shape: normalizedShape, scalars: dw) : nil) }
            if let bias { grads.append(bias.requiresGrad ? Tensor(shape: normalizedShape, scalars: db) : nil) }
            return grads
        }
    }
}
