import Tensor

/// Rescales the gradients of `parameters` so that their combined norm is at most `maxNorm`,
/// in place, and returns the norm before clipping (`torch.nn.utils.clip_grad_norm_`).
///
/// The total norm is the p-norm (p = `normType`) of the vector of each gradient's p-norm,
/// as if all gradients were concatenated:
///
/// ```
/// N = ‖(‖g₁‖ₚ, ‖g₂‖ₚ, …)‖ₚ        ‖x‖ₚ = (Σ|xᵢ|ᵖ)^(1/p),  ‖x‖∞ = max|xᵢ|
/// gᵢ ← gᵢ · min(maxNorm / (N + 1e-6), 1)
/// ```
///
/// `normType` may be `.infinity` (largest absolute value), `-.infinity` (smallest), or 0
/// (number of non-zero elements). Parameters whose `grad` is `nil` are ignored; with no
/// gradients the norm is 0. A non-finite norm turns the gradients into NaN, as in PyTorch
/// by default.
///
/// ```swift
/// loss.backward()
/// let norm = clipGradNorm(model.parameters(), maxNorm: 1)
/// optimizer.step()
/// ```
@discardableResult
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
public func clipGradNorm<Scalar: TensorFloatingPoint>(
    _ parameters: [Tensor<Scalar>], maxNorm: Scalar, normType: Scalar = 2
) -> Scalar {
    let gradients = parameters.compactMap(\.grad)
    guard !gradients.isEmpty else { return 0 }
    let norms = gradients.map { gradient in gradient.withUnsafeBufferPointer { vectorNorm($0, p: normType) } }
    let totalNorm = norms.withUnsafeBufferPointer { vectorNorm($0, p: normType) }
    let coefficient = Swift.min(maxNorm / (totalNorm + 1e-6), 1)
    for gradient in gradients {
        gradient.withUnsafeMutableBufferPointer { g in
            for i in 0..<g.count { g[i] = g[i] * coefficient }
        }
    }
    return totalNorm
}

/// The p-norm of `values` as `torch.linalg.vector_norm` defines it (p = ±∞ and 0 included);
/// NaN if any value is NaN (p = 0 counts a NaN as non-zero).
@inline(__always)
func vectorNorm<Scalar: TensorFloatingPoint>(_ values: UnsafeBufferPointer<Scalar>, p: Scalar) -> Scalar {
    switch p {
    case .infinity:
        return values.reduce(0) { $0.isNaN || Swift.abs($1) <= $0 ? $0 : Swift.abs($1) }
    case -.infinity:
        return values.reduce(.infinity) { $0.isNaN || Swift.abs($1) >= $0 ? $0 : Swift.abs($1) }
    case 0:
        return Scalar(values.count { $0 != 0 })
    case 1:
        return values.reduce(0) { $0 + Swift.abs($1) }
    case 2:
        return values.reduce(0) { $0 + $1 * $1 }.squareRoot()
    default:
        return Scalar.pow(values.reduce(0) { $0 + Scalar.pow(Swift.abs($1), p) }, 1 / p)
    }
}
