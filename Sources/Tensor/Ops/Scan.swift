import Foundation

/// Products and scans along an axis: `prod`, `cumsum`, `cumprod`, `logcumsumexp`.
extension Tensor where Scalar: TensorFloatingPoint {
    /// Calls `body(first, stride, length)` for each line of this tensor along `axis`: the line's
    /// elements sit at `first + k * stride` for k in `0..<length`.
    func forEachLine(along axis: Int, _ body: (_ first: Int, _ stride: Int, _ length: Int) -> Void) {
        let (outer, size, inner) = Shape.split(shape, at: axis)
        for o in 0..<outer {
            for i in 0..<inner { body(o * size * inner + i, inner, size) }
        }
    }

    /// The product of all elements, as a 0-d tensor (`x.prod()`; 1 for an empty tensor).
    /// Backward as PyTorch's: g for a 0-d tensor; every gradient 0 when two or more elements are 0.
    public func prod() -> Tensor {
        guard rank > 0 else { return copy().recording("ProdBackward", [self]) { g in [g] } }
        guard scalars.count(where: { $0 == 0 }) >= 2 else { return reshape([-1]).prod(axis: 0) }
        let inputShape = shape
        return detach().reshape([-1]).prod(axis: 0).recording("ProdBackward", [self]) { _ in [Tensor.zeros(inputShape)] }
    }

    /// The product over `axis` (`x.prod(dim, keepdim)`).
    ///
    /// Shape: the input's without `axis` (kept as 1 with `keepDim`). Backward, as PyTorch's:
    /// g · result / x when the tensor has no zero; otherwise g times the product of the other
    /// elements of the line, formed from prefix and suffix products (exact at zeros).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func prod(axis: Int, keepDim: Bool = false) -> Tensor {
        let axis = rank == 0 ? 0 : normalizedAxis(axis, rank: rank, op: "prod")
        guard rank > 0 else { return prod() }
        let (outer, _, inner) = Shape.split(shape, at: axis)
        var values = [Scalar](repeating: 1, count: outer * inner)
        withUnsafeBufferPointer { x in
            var line = 0
            forEachLine(along: axis) { first, stride, length in
                var product: Scalar = 1
                for k in 0..<length { product *= x[first + k * stride] }
                values[line] = product
                line += 1
            }
        }
        var kept = shape
        kept[axis] = 1
        let resultShape = keepDim ? kept : shape.enumerated().filter { $0.offset != axis }.map(\.element)
        let input = detach()
        let result = Tensor(shape: resultShape, scalars: values)
        let saved = result.detach()
        return result.recording("ProdBackward", [self]) { g in
            if !input.scalars.contains(0) { return [g.reshape(kept) * (saved.reshape(kept) / input)] }
            let upstream = g.reshape(kept).scalars
            let grad = Tensor.zeros(input.shape)
            input.withUnsafeBufferPointer { x in
                grad.withUnsafeMutableBufferPointer { out in
                    var line = 0
                    input.forEachLine(along: axis) { first, stride, length in
                        var prefix: Scalar = 1
                        for k in 0..<length {
                            out[first + k * stride] = prefix
                            prefix *= x[first + k * stride]
                        }
                        var suffix: Scalar = upstream[line]
                        for k in (0..<length).reversed() {
                            out[first + k * stride] *= suffix
                            suffix *= x[first + k * stride]
                        }
                        line += 1
                    }
                }
            }
            return [grad]
        }
    }

    /// The running sums along `axis` (`x.cumsum(dim)`): out[k] = x[0] + ... + x[k].
    ///
    /// Shape: unchanged. Backward: the reversed running sums of the gradient.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func cumsum(axis: Int) -> Tensor {
        guard rank > 0 else { return copy().recording("CumsumBackward", [self]) { g in [g] } }
        let axis = normalizedAxis(axis, rank: rank, op: "cumsum")
        let result = copy()
        result.withUnsafeMutableBufferPointer { out in
            forEachLine(along: axis) { first, stride, length in
                for k in 1..<Swift.max(length, 1) { out[first + k * stride] += out[first + (k - 1) * stride] }
            }
        }
        return result.recording("CumsumBackward", [self]) { g in [g.flip([axis]).cumsum(axis: axis).flip([axis])] }
    }

    /// The running products along `axis` (`x.cumprod(dim)`): out[k] = x[0] · ... · x[k].
    ///
    /// Shape: unchanged. Backward, as PyTorch's: the reversed running sums of g · out divided by
    /// x when the tensor has no zero (and more than one element); otherwise
    /// dx[i] = (x[0] ··· x[i-1]) · S[i] with S[i] = g[i] + x[i+1] S[i+1], exact where elements are zero.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func cumprod(axis: Int) -> Tensor {
        guard rank > 0 else { return copy().recording("CumprodBackward", [self]) { g in [g] } }
        let axis = normalizedAxis(axis, rank: rank, op: "cumprod")
        let result = copy()
        result.withUnsafeMutableBufferPointer { out in
            forEachLine(along: axis) { first, stride, length in
                for k in 1..<Swift.max(length, 1) { out[first + k * stride] *= out[first + (k - 1) * stride] }
            }
        }
        let input = detach(), output = result.detach()
        return result.recording("CumprodBackward", [self]) { g in
            if input.count <= 1 { return [g] }
            if !input.scalars.contains(0) { return [(g * output).flip([axis]).cumsum(axis: axis).flip([axis]) / input] }
            let grad = g.copy()
            input.withUnsafeBufferPointer { x in
                grad.withUnsafeMutableBufferPointer { out in
                    input.forEachLine(along: axis) { first, stride, length in
                        guard length > 0 else { return }
                        // out holds g; turn it into S from the back, then scale by the prefix products.
                        for k in (0..<(length - 1)).reversed() {
                            out[first + k * stride] += x[first + (k + 1) * stride] * out[first + (k + 1) * stride]
                        }
                        var prefix: Scalar = 1
                        for k in 0..<length {
                            out[first + k * stride] *= prefix
                            prefix *= x[first + k * stride]
                        }
                    }
                }
            }
            return [grad]
        }
    }

    /// The running log-sum-exp along `axis` (`torch.logcumsumexp(x, dim)`):
    /// out[k] = log(exp(x[0]) + ... + exp(x[k])), computed stably as PyTorch's CPU kernel does,
    /// from out = −∞ with out ← log1p(exp(min − max)) + max of (x[k], out), in `Double` for
    /// both element types (PyTorch's CPU accumulation type).
    ///
    /// Edge values follow PyTorch: a NaN makes the rest of the line NaN; −∞ elements add nothing
    /// (a line of −∞ stays −∞); a +∞ element makes the rest +∞.
    ///
    /// Shape: unchanged (a 0-d tensor is a line of one element). Backward, as PyTorch's:
    /// dx[i] = Σ_{j ≥ i} g[j] · exp(x[i] − out[j]), evaluated in log space separately for the
    /// positive and the negative parts of g (reversed logcumsumexp of log|g| − out, plus x,
    /// exponentiated), then subtracted.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func logcumsumexp(axis: Int) -> Tensor {
        let axis = rank == 0 ? 0 : normalizedAxis(axis, rank: rank, op: "logcumsumexp")
        let result = Tensor.zeros(shape)
        let lines = rank == 0 ? detach().reshape([1]) : self
        withUnsafeBufferPointer { x in
            result.withUnsafeMutableBufferPointer { out in
                lines.forEachLine(along: axis) { first, stride, length in
                    var running = -Double.infinity
                    for k in 0..<length {
                        running = logAddExp(x[first + k * stride].doubleValue, running)
                        out[first + k * stride] = Scalar(converting: running)
                    }
                }
            }
        }
        let input = detach(), output = result.detach()
        return result.recording("LogcumsumexpBackward", [self]) { g in
            if g.rank == 0 || g.count == 0 { return [g] }
            let lowest = -Scalar.greatestFiniteMagnitude
            let logMagnitude = g.abs().log()
            let logPositive = logMagnitude.maskedFill(~(g .> 0), lowest)
            let logNegative = logMagnitude.maskedFill(~(g .< 0), lowest)
            func reversedScan(_ t: Tensor) -> Tensor { t.flip([axis]).logcumsumexp(axis: axis).flip([axis]) }
            let positive = (reversedScan(logPositive - output) + input).exp()
            let negative = (reversedScan(logNegative - output) + input).exp()
            return [positive - negative]
        }
    }
}

/// log(exp(x) + exp(y)) as PyTorch's `_log_add_exp_helper`: stable, NaN-propagating, and
/// `x` itself when both are the same infinity.
@inlinable
func logAddExp(_ x: Double, _ y: Double) -> Double {
    // std::min / std::max semantics: the first argument wins when the comparison is false.
    let low = y.isNaN ? y : (y < x ? y : x)
    let high = y.isNaN ? y : (x < y ? y : x)
    if low != high || low.isFinite { return Foundation.log1p(Foundation.exp(low - high)) + high }
    return x
}
