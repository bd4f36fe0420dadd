/// Spread and size of elements: `var`, `std`, `norm`, and the maxima and minima over several
/// axes (`amax`, `amin`).
extension Tensor where Scalar: TensorFloatingPoint {
    /// The axes `axes` names, normalised and sorted; `nil` or empty means every axis (PyTorch's `dim=None`).
    func reductionAxes(_ axes: [Int]?, op: String) -> [Int] {
        guard let axes, !axes.isEmpty, rank > 0 else { return Array(0..<rank) }
        let normalized = axes.map { normalizedAxis($0, rank: rank, op: op) }
        check(Set(normalized).count == normalized.count, "\(op): dim \(axes) appears multiple times in the list of dims")
        return normalized.sorted()
    }

    /// The variance over `axes` (all when `nil`), Σ(x - mean)² / (N - correction)
    /// (`x.var(dim, correction=1, keepdim)`): `correction` 1 is Bessel's unbiased estimate, 0 the
    /// population variance. With N <= correction the result is infinite or NaN, as in PyTorch.
    ///
    /// Backward, PyTorch's formula: 2 g (x - mean) / (N - correction) (so an infinite element
    /// leaves the others' gradients infinite, not NaN).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func `var`(axes: [Int]? = nil, correction: Int = 1, keepDim: Bool = false) -> Tensor {
        let axes = reductionAxes(axes, op: "var")
        let n = axes.reduce(1) { $0 * shape[$1] }
        let input = detach()
        let (centered, kept) = withNoGrad {
            let centered = input - input.mean(axes: axes, keepDim: true)
            return (centered, (centered * centered).sum(axes: axes, keepDim: true) / Scalar(Swift.max(0, n - correction)))
        }
        let result = keepDim ? kept : kept.reshape(shape.indices.filter { !axes.contains($0) }.map { shape[$0] })
        let keptShape = kept.shape, scale = 2 / Scalar(n - correction)
        return result.recording("VarBackward", [self]) { g in [g.reshape(keptShape) * scale * centered] }
    }

    /// The standard deviation over `axes`, the square root of ``var(axes:correction:keepDim:)``
    /// (`x.std(dim, correction=1, keepdim)`). Backward: g / (2 std) into the variance's, and 0
    /// where the deviation is 0, as in PyTorch.
    public func std(axes: [Int]? = nil, correction: Int = 1, keepDim: Bool = false) -> Tensor {
        let variance = self.var(axes: axes, correction: correction, keepDim: keepDim)
        let deviation = variance.detach().sqrt()
        return deviation.copy().recording("StdBackward", [variance]) { g in
            [(g / (2 * deviation)).maskedFill(deviation .== 0, 0)]
        }
    }

    /// The vector p-norm over `axes` (all when `nil`) (`x.norm(p, dim, keepdim)`,
    /// `torch.linalg.vector_norm(x, ord, dim, keepdim)`): (Σ|x|^p)^(1/p); p = .infinity is
    /// max|x|, -.infinity min|x|, 0 the number of non-zero elements.
    ///
    /// Backward (as PyTorch's): p = 2: x g / ‖x‖; p = 1: sign(x) g; p = ±∞: sign(x) g shared
    /// among the elements that attain the norm (and NaN ones); 0: zero; otherwise
    /// sign(x) |x|^(p-1) g / ‖x‖^(p-1), 0 at x = 0. Where the norm is 0 the gradient is 0.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func norm(_ p: Scalar = 2, axes: [Int]? = nil, keepDim: Bool = false) -> Tensor {
        let axes = reductionAxes(axes, op: "norm")
        let input = detach()
        let magnitude = input.abs()
        let kept: Tensor = withNoGrad {
            if p == .infinity { return magnitude.amax(axes: axes, keepDim: true) }
            if p == -.infinity { return magnitude.amin(axes: axes, keepDim: true) }
            if p == 0 { return magnitude.map { $0 == 0 ? 0 : 1 }.sum(axes: axes, keepDim: true) }
            if p == 1 { return magnitude.sum(axes: axes, keepDim: true) }
            if p == 2 { return (input * input).sum(axes: axes, keepDim: true).sqrt() }
            return magnitude.pow(p).sum(axes: axes, keepDim: true).pow(1 / p)
        }
        let result = keepDim ? kept.copy() : kept.copy().squeeze(axes: axes)
        let keptShape = kept.shape
        return result.recording("NormBackward", [self]) { g in
            let upstream = g.reshape(keptShape)
            let sign = input.map { $0 > 0 ? 1 : $0 < 0 ? -1 : 0 as Scalar }
            let zeroNorm = kept .== 0
            if p == 0 { return [Tensor.zeros(input.shape)] }
            if p == 1 { return [sign * upstream] }
            if p.isInfinite {
                // PyTorch's mask: the elements that attain the norm, and NaN ones (whose sign is 0).
                let attains = magnitude.zipWith(kept, op: "norm") { $0 == $1 || $0.isNaN ? 1 : 0 as Scalar }
                return [sign * attains * (upstream / attains.sum(axes: axes, keepDim: true))]
            }
            let scale = (p == 2 ? upstream / kept : upstream / kept.pow(p - 1)).maskedFill(zeroNorm, 0)
            // At x = 0 the subgradient 0, as PyTorch's (|x|^(p-1) is infinite there for p < 1).
            return [p == 2 ? input * scale : (sign * magnitude.pow(p - 1)).maskedFill(input .== 0, 0) * scale]
        }
    }

    /// The largest elements over `axes` (all when `nil`) (`x.amax(dim, keepdim)`).
    ///
    /// Backward: the gradient shared evenly among the elements equal to the maximum, as in PyTorch.
    public func amax(axes: [Int]? = nil, keepDim: Bool = false) -> Tensor { extrema(axes: axes, keepDim: keepDim, greatest: true) }

    /// The smallest elements over `axes` (all when `nil`) (`x.amin(dim, keepdim)`).
    ///
    /// Backward: the gradient shared evenly among the elements equal to the minimum.
    public func amin(axes: [Int]? = nil, keepDim: Bool = false) -> Tensor { extrema(axes: axes, keepDim: keepDim, greatest: false) }

    /// The index of the smallest element of the flattened tensor, as a 0-d tensor (`x.argmin()`).
    public func argmin() -> Tensor<Int> { reshape([-1]).min(axis: 0).indices }

    /// `amax` or `amin` over `axes`.
    private func extrema(axes: [Int]?, keepDim: Bool, greatest: Bool) -> Tensor {
        let op = greatest ? "amax" : "amin"
        let axes = reductionAxes(axes, op: op)
        var kept = detach()
        for axis in axes { kept = greatest ? kept.max(axis: axis, keepDim: true).values : kept.min(axis: axis, keepDim: true).values }
        let result = keepDim ? kept.copy() : kept.copy().squeeze(axes: axes)
        let input = detach(), keptShape = kept.shape
        return result.recording(greatest ? "AmaxBackward" : "AminBackward", [self]) { g in
            let attains = (input .== kept).map { $0 ? 1 : 0 as Scalar }
            return [attains * (g.reshape(keptShape) / attains.sum(axes: axes, keepDim: true))]
        }
    }
}
