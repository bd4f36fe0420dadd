import CKernels

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
                    let first = block.lowerBound
                    Tensor.normalizeRows(
                        x.pointer + first * width, out.pointer + first * width, weight: w?.pointer, bias: b?.pointer,
                        rows: block.count, width: width, eps: eps, means: statistics.means.pointer + first,
                        rstds: statistics.rstds.pointer + first)
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
                            let first = block.lowerBound
                            Tensor.normalizedRowsGradient(
                                x.pointer + first * width, g.pointer + first * width, weight: w?.pointer,
                                means: mean.pointer + first, rstds: rstd.pointer + first,
                                dx: dx.pointer + first * width, rows: block.count, width: width)
                        }
                        // dweight and dbias summed over the rows in order, columns on several threads.
                        dw.withUnsafeMutableBufferPointer { dw in
                            db.withUnsafeMutableBufferPointer { db in
                                let (dw, db) = (GEMM.WritePointer(dw.baseAddress!), GEMM.WritePointer(db.baseAddress!))
                                parallelForColumns(width, rows: rows) { columns in
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

    /// `ck_slayer_norm` or `ck_dlayer_norm` on `rows` rows of `width` at `x` into `y`: each row's
    /// mean and 1 / sqrt(var + eps) into `means` and `rstds`, then (x - mean) · rstd · weight + bias.
    private static func normalizeRows(
        _ x: UnsafePointer<Scalar>, _ y: UnsafeMutablePointer<Scalar>, weight: UnsafePointer<Scalar>?,
        bias: UnsafePointer<Scalar>?, rows: Int, width: Int, eps: Scalar, means: UnsafeMutablePointer<Scalar>,
        rstds: UnsafeMutablePointer<Scalar>
    ) {
        if Scalar.self == Float.self {
            ck_slayer_norm(
                x.rebound(Float.self), y.rebound(Float.self), weight?.rebound(Float.self), bias?.rebound(Float.self),
                rows, width, unsafeBitCast(eps, to: Float.self), means.rebound(Float.self), rstds.rebound(Float.self))
        } else if Scalar.self == Double.self {
            ck_dlayer_norm(
                x.rebound(Double.self), y.rebound(Double.self), weight?.rebound(Double.self),
                bias?.rebound(Double.self), rows, width, unsafeBitCast(eps, to: Double.self),
                means.rebound(Double.self), rstds.rebound(Double.self))
        } else {
            fatalError("layerNorm: unsupported element type \(Scalar.self)")
        }
    }

    /// `ck_slayer_norm_backward` or `ck_dlayer_norm_backward`: the input's gradient `dx` of
    /// ``normalizeRows(_:_:weight:bias:rows:width:eps:means:rstds:)`` for the output gradient `g`.
    private static func normalizedRowsGradient(
        _ x: UnsafePointer<Scalar>, _ g: UnsafePointer<Scalar>, weight: UnsafePointer<Scalar>?,
        means: UnsafePointer<Scalar>, rstds: UnsafePointer<Scalar>, dx: UnsafeMutablePointer<Scalar>, rows: Int,
        width: Int
    ) {
        if Scalar.self == Float.self {
            ck_slayer_norm_backward(
                x.rebound(Float.self), g.rebound(Float.self), weight?.rebound(Float.self), means.rebound(Float.self),
                rstds.rebound(Float.self), dx.rebound(Float.self), rows, width)
        } else if Scalar.self == Double.self {
            ck_dlayer_norm_backward(
                x.rebound(Double.self), g.rebound(Double.self), weight?.rebound(Double.self),
                means.rebound(Double.self), rstds.rebound(Double.self), dx.rebound(Double.self), rows, width)
        } else {
            fatalError("layerNorm: unsupported element type \(Scalar.self)")
        }
    }
}

extension UnsafePointer {
    /// This address as a pointer to `T` (a `Float` or `Double` tensor's element, for the C kernels).
    fileprivate func rebound<T>(_: T.Type) -> UnsafePointer<T> { UnsafeRawPointer(self).assumingMemoryBound(to: T.self) }
}

extension UnsafeMutablePointer {
    /// This address as a pointer to `T` (a `Float` or `Double` tensor's element, for the C kernels).
    fileprivate func rebound<T>(_: T.Type) -> UnsafeMutablePointer<T> {
        UnsafeMutableRawPointer(self).assumingMemoryBound(to: T.self)
    }
}
