import Tensor

/// Calls `body` with the function that turns a raw gradient element `g` and its parameter
/// element `p` into the gradient an update uses: `−g` when maximising, plus `λp` with weight
/// decay λ (PyTorch's `grad.add(param, alpha=weight_decay)`).
///
/// Each combination gets its own closure literal, so when `body` is inlined every element
/// loop is compiled without per-element tests of `maximize` and `weightDecay`.
@inline(__always)
func withGradientTransform<Scalar: BinaryFloatingPoint, R>(
    maximize: Bool, weightDecay: Double, _ body: ((Scalar, Scalar) -> Scalar) -> R
) -> R {
    let decay = Scalar(weightDecay)
    switch (maximize, weightDecay != 0) {
    case (false, false): return body { g, _ in g }
    case (true, false): return body { g, _ in -g }
    case (false, true): return body { g, p in g + decay * p }
    case (true, true): return body { g, p in -g + decay * p }
    }
}

/// The same transform for element loops that work eight lanes at a time: reads `−g` when
/// maximising (multiplying by ±1 is exact), plus `λp` with weight decay λ, from the current
/// values of the gradient and parameter buffers, one element (`self[i]`) or eight
/// (`lanes(at:)`) at a time, each lane as ``withGradientTransform(maximize:weightDecay:_:)``
/// computes it.
struct TransformedGradient<Scalar: TensorFloatingPoint> {
    let gradient: UnsafeBufferPointer<Scalar>
    let parameter: UnsafeMutableBufferPointer<Scalar>
    let sign: Scalar
    let decay: Scalar

    @inline(__always)
    init(_ gradient: UnsafeBufferPointer<Scalar>, parameter: UnsafeMutableBufferPointer<Scalar>, maximize: Bool, weightDecay: Double) {
        self.gradient = gradient
        self.parameter = parameter
        sign = maximize ? -1 : 1
        decay = Scalar(weightDecay)
    }

    /// The transformed gradient of element `i`.
    @inline(__always)
    subscript(i: Int) -> Scalar {
        let g = gradient[i] * sign
        return decay != 0 ? g + decay * parameter[i] : g
    }

    /// The transformed gradients of elements `i..<i + 8`.
    @inline(__always)
    func lanes(at i: Int) -> SIMD8<Scalar> {
        let g = gradient.lanes(at: i) * sign
        return decay != 0 ? g + decay * parameter.lanes(at: i) : g
    }
}
