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
    let totalNorm = totalGradientNorm(gradients, normType: normType)
    scale(gradients, totalNorm: totalNorm, maxNorm: maxNorm)
    return totalNorm
}

/// ``clipGradNorm(_:maxNorm:normType:)`` that first checks the total norm when `errorIfNonfinite`
/// (`clip_grad_norm_(..., error_if_nonfinite=True)`): a NaN or infinite norm throws and leaves the
/// gradients untouched.
///
/// - Throws: ``NonfiniteGradientNormError`` if `errorIfNonfinite` and the total norm is not finite.
@discardableResult
public func clipGradNorm<Scalar: TensorFloatingPoint>(
    _ parameters: [Tensor<Scalar>], maxNorm: Scalar, normType: Scalar = 2, errorIfNonfinite: Bool
) throws(NonfiniteGradientNormError) -> Scalar {
    let gradients = parameters.compactMap(\.grad)
    guard !gradients.isEmpty else { return 0 }
    let totalNorm = totalGradientNorm(gradients, normType: normType)
    if errorIfNonfinite && !totalNorm.isFinite { throw NonfiniteGradientNormError(normType: Double(normType)) }
    scale(gradients, totalNorm: totalNorm, maxNorm: maxNorm)
    return totalNorm
}

/// The p-norm of the gradients' p-norms: the norm of all gradients concatenated. Each gradient's
/// norm is summed in order on one thread; different gradients on different threads
/// (``forEachGradient(_:_:)``).
func totalGradientNorm<Scalar: TensorFloatingPoint>(_ gradients: [Tensor<Scalar>], normType: Scalar) -> Scalar {
    var norms = [Scalar](repeating: 0, count: gradients.count)
    norms.withUnsafeMutableBufferPointer { norms in
        let norms = GradientNorms(norms: norms.baseAddress!)
        forEachGradient(gradients) { index, gradient in
            norms.norms[index] = gradient.withUnsafeBufferPointer { vectorNorm($0, p: normType) }
        }
    }
    return norms.withUnsafeBufferPointer { vectorNorm($0, p: normType) }
}

/// Multiplies every gradient by min(maxNorm / (totalNorm + 1e-6), 1), in place, different
/// gradients on different threads (``forEachGradient(_:_:)``).
func scale<Scalar: TensorFloatingPoint>(_ gradients: [Tensor<Scalar>], totalNorm: Scalar, maxNorm: Scalar) {
    let coefficient = Swift.min(maxNorm / (totalNorm + 1e-6), 1)
    forEachGradient(gradients) { _, gradient in
        gradient.withUnsafeMutableBufferPointer { g in
            for i in 0..<g.count { g[i] = g[i] * coefficient }
        }
    }
}

/// Calls `body(index, gradient)` once for every gradient: the gradients are laid end to end and
/// cut into ranges of elements (``parallelForElements(_:minimumCount:_:)``, several threads from
/// 65,536 elements in all), and each range's thread takes the gradients that start in it, whole.
func forEachGradient<Scalar: TensorFloatingPoint>(
    _ gradients: [Tensor<Scalar>], _ body: @Sendable (_ index: Int, _ gradient: Tensor<Scalar>) -> Void
) {
    var running = 0
    let starts = gradients.map { gradient in
        defer { running += gradient.count }
        return running
    }
    let total = running
    guard total > 0 else { return gradients.indices.forEach { body($0, gradients[$0]) } }
    let sendable = UncheckedGradients(gradients: gradients)
    parallelForElements(total) { range in
        // The gradients whose first element (or, empty at the end, the last element of all) lies in `range`.
        for index in starts.indices where range.contains(Swift.min(starts[index], total - 1)) {
            body(index, sendable.gradients[index])
        }
    }
}

/// Gradient tensors handed to the threads of ``forEachGradient(_:_:)``, which each touch their own.
private struct UncheckedGradients<Scalar: TensorFloatingPoint>: @unchecked Sendable {
    let gradients: [Tensor<Scalar>]
}

/// The norms of ``totalGradientNorm(_:normType:)``, one slot per gradient, written by its thread.
private struct GradientNorms<Scalar: TensorFloatingPoint>: @unchecked Sendable {
    let norms: UnsafeMutablePointer<Scalar>
}

/// The total gradient norm was NaN or infinite, so ``clipGradNorm(_:maxNorm:normType:errorIfNonfinite:)``
/// refused to clip (PyTorch's `error_if_nonfinite=True` error).
public struct NonfiniteGradientNormError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The p of the norm.
    public let normType: Double

    /// The error for a norm of order `normType`.
    public init(normType: Double) { self.normType = normType }

    /// PyTorch's message.
    public var description: String {
        "The total norm of order \(normType) for gradients from `parameters` is non-finite, so it cannot be clipped. "
            + "To disable this error and scale the gradients by the non-finite norm anyway, set errorIfNonfinite: false"
    }
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
        return interleavedSum(values) { pointwiseMax($0, -$0) }
    case 2:
        return interleavedSum(values) { $0 * $0 }.squareRoot()
    default:
        return Scalar.pow(values.reduce(0) { $0 + Scalar.pow(Swift.abs($1), p) }, 1 / p)
    }
}

/// Σ term(x) over `values`, where term(0) = 0, in 32 interleaved partial sums (four 8-lane
/// vectors; a zero-padded vector for the tail) combined pairwise at the end. One running sum made
/// every addition wait for the one before it: a million-element model's norm took about a
/// millisecond, 1 % of a `gpt_char` step.
@inline(__always)
private func interleavedSum<Scalar: TensorFloatingPoint>(
    _ values: UnsafeBufferPointer<Scalar>, _ term: (SIMD8<Scalar>) -> SIMD8<Scalar>
) -> Scalar {
    guard let base = values.baseAddress else { return 0 }
    let (count, raw, stride) = (values.count, UnsafeRawPointer(base), MemoryLayout<Scalar>.stride)
    func vector(at i: Int) -> SIMD8<Scalar> { raw.loadUnaligned(fromByteOffset: i * stride, as: SIMD8<Scalar>.self) }
    var (s0, s1, s2, s3) = (SIMD8<Scalar>(), SIMD8<Scalar>(), SIMD8<Scalar>(), SIMD8<Scalar>())
    var i = 0
    while i + 32 <= count {
        s0 += term(vector(at: i))
        s1 += term(vector(at: i + 8))
        s2 += term(vector(at: i + 16))
        s3 += term(vector(at: i + 24))
        i += 32
    }
    while i < count {
        var tail = SIMD8<Scalar>()
        for lane in 0..<Swift.min(8, count - i) { tail[lane] = base[i + lane] }
        s0 += term(tail)
        i += 8
    }
    let s = (s0 + s1) + (s2 + s3)
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]))
}
