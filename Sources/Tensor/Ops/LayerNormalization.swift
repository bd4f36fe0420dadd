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
        let means = UnsafeMutablePointer<Scalar>.allocate(capacity: Swift.max(rows, 1))
        let rstds = UnsafeMutablePointer<Scalar>.allocate(capacity: Swift.max(rows, 1))
        let w = weight.map { GEMM.ReadPointer(UnsafePointer($0.storage.base)) }
        let b = bias.map { GEMM.ReadPointer(UnsafePointer($0.storage.base)) }
        let statistics = (means: GEMM.WritePointer(means), rstds: GEMM.WritePointer(rstds))
        let result = Tensor(shape: shape) { out in
            guard rows > 0 else { return }
            withUnsafeBufferPointer { x in
                let x = GEMM.ReadPointer(x.baseAddress!), out = GEMM.WritePointer(out.baseAddress!)
                parallelForRows(rows, width: width) { block in
                    for r in block {
                        let row = x.pointer + r * width, y = out.pointer + r * width
                        let mean = Tensor.rowSum(row, width) / Scalar(width)
                        for j in 0..<width { y[j] = row[j] - mean }
                        let rstd = 1 / (Tensor.rowSum(y, y, width) / Scalar(width) + eps).squareRoot()
                        statistics.means.pointer[r] = mean
                        statistics.rstds.pointer[r] = rstd
                        for j in 0..<width { y[j] *= rstd }
                        if let w = w?.pointer { for j in 0..<width { y[j] *= w[j] } }
                        if let b = b?.pointer { for j in 0..<width { y[j] += b[j] } }
                    }
                }
            }
        }
        withExtendedLifetime((weight, bias)) {}
        let inputs = [self] + [weight, bias].compactMap { $0 }
        guard GradMode.isEnabled, inputs.contains(where: { $0.requiresGrad }) else {
            means.deallocate()
            rstds.deallocate()
            return result
        }
        let saved = Statistics(means: means, rstds: rstds)
        return result.recording("NativeLayerNormBackward", inputs) { [self] g in
            let (mean, rstd) = (GEMM.ReadPointer(UnsafePointer(saved.means)), GEMM.ReadPointer(UnsafePointer(saved.rstds)))
            var dw = [Scalar](repeating: 0, count: width), db = [Scalar](repeating: 0, count: width)
            let w = weight.map { GEMM.ReadPointer(UnsafePointer($0.storage.base)) }
            let dx = Tensor(shape: shape) { dx in
                guard rows > 0 else { return }
                withUnsafeBufferPointer { x in
                    g.withUnsafeBufferPointer { g in
                        let (x, g, dx) = (GEMM.ReadPointer(x.baseAddress!), GEMM.ReadPointer(g.baseAddress!), GEMM.WritePointer(dx.baseAddress!))
                        // dx row by row (rows on several threads for large inputs).
                        parallelForRows(rows, width: width) { block in
                            withUnsafeTemporaryAllocation(of: Scalar.self, capacity: 2 * Swift.max(width, 1)) { scratch in
                                let xhat = scratch.baseAddress!, ghat = xhat + width
                                let (mean, rstd) = (mean.pointer, rstd.pointer)
                                for r in block {
                                    let xr = x.pointer + r * width, gr = g.pointer + r * width
                                    for j in 0..<width { xhat[j] = (xr[j] - mean[r]) * rstd[r] }
                                    if let w = w?.pointer {
                                        for j in 0..<width { ghat[j] = gr[j] * w[j] }
                                    } else {
                                        ghat.update(from: gr, count: width)
                                    }
                                    let meanG = Tensor.rowSum(ghat, width) / Scalar(width)
                                    let meanGX = Tensor.rowSum(ghat, xhat, width) / Scalar(width)
                                    let dr = dx.pointer + r * width
                                    for j in 0..<width { dr[j] = rstd[r] * (ghat[j] - meanG - xhat[j] * meanGX) }
                                }
                            }
                        }
                        // dweight and dbias summed over the rows in order, columns on several threads.
                        dw.withUnsafeMutableBufferPointer { dw in
                            db.withUnsafeMutableBufferPointer { db in
                                let (dw, db) = (GEMM.WritePointer(dw.baseAddress!), GEMM.WritePointer(db.baseAddress!))
                                let parts = rows * width >= parallelMinimumElements ? Swift.min(Parallelism.maxThreads, width / 16) : 1
                                parallelFor(width, parts: parts) { columns in
                                    let (dw, db, mean, rstd) = (dw.pointer, db.pointer, mean.pointer, rstd.pointer)
                                    for r in 0..<rows {
                                        let xr = x.pointer + r * width, gr = g.pointer + r * width
                                        for j in columns {
                                            dw[j] += gr[j] * ((xr[j] - mean[r]) * rstd[r])
                                            db[j] += gr[j]
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            withExtendedLifetime(weight) {}
            var grads: [Tensor?] = [requiresGrad ? dx : nil]
            if let weight { grads.append(weight.requiresGrad ? Tensor(shape: normalizedShape, scalars: dw) : nil) }
            if let bias { grads.append(bias.requiresGrad ? Tensor(shape: normalizedShape, scalars: db) : nil) }
            return grads
        }
    }

    /// The per-row statistics a layer normalisation saves for its backward (freed with it).
    private final class Statistics: @unchecked Sendable {
        let means: UnsafeMutablePointer<Scalar>, rstds: UnsafeMutablePointer<Scalar>
        init(means: UnsafeMutablePointer<Scalar>, rstds: UnsafeMutablePointer<Scalar>) {
            self.means = means
            self.rstds = rstds
        }
        deinit {
            means.deallocate()
            rstds.deallocate()
        }
    }

    /// Σ p[j] for j < n, in four interleaved partial sums (so that the additions pipeline).
    @inline(__always)
    private static func rowSum(_ p: UnsafePointer<Scalar>, _ n: Int) -> Scalar {
        var (s0, s1, s2, s3): (Scalar, Scalar, Scalar, Scalar) = (0, 0, 0, 0)
        var j = 0
        while j + 4 <= n {
            s0 += p[j]
            s1 += p[j + 1]
            s2 += p[j + 2]
            s3 += p[j + 3]
            j += 4
        }
        while j < n {
            s0 += p[j]
            j += 1
        }
        return (s0 + s1) + (s2 + s3)
    }

    /// Σ p[j] · q[j] for j < n, in four interleaved partial sums.
    @inline(__always)
    private static func rowSum(_ p: UnsafePointer<Scalar>, _ q: UnsafePointer<Scalar>, _ n: Int) -> Scalar {
        var (s0, s1, s2, s3): (Scalar, Scalar, Scalar, Scalar) = (0, 0, 0, 0)
        var j = 0
        while j + 4 <= n {
            s0 += p[j] * q[j]
            s1 += p[j + 1] * q[j + 1]
            s2 += p[j + 2] * q[j + 2]
            s3 += p[j + 3] * q[j + 3]
            j += 4
        }
        while j < n {
            s0 += p[j] * q[j]
            j += 1
        }
        return (s0 + s1) + (s2 + s3)
    }
}
