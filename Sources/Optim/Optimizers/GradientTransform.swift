import Tensor

/// The gradient an update uses, read element by element from the raw gradient and parameter
/// buffers: `−g` when maximising (multiplying by ±1 is exact), plus `λp` with weight decay λ
/// (PyTorch's `grad.add(param, alpha=weight_decay)`, applied when `weight_decay != 0`). One
/// element (`self[i]`) or eight (`lanes(at:)`) at a time, each lane computed as the element is.
///
/// It reads the parameter's current value, so a loop must read `self[i]` before it writes p[i].
struct TransformedGradient<Scalar: TensorFloatingPoint> {
    let gradient: UnsafeBufferPointer<Scalar>
    let parameter: UnsafeMutableBufferPointer<Scalar>
    let sign: Scalar
    let decay: Scalar
    let decays: Bool

    @inline(__always)
    init(_ gradient: UnsafeBufferPointer<Scalar>, parameter: UnsafeMutableBufferPointer<Scalar>, maximize: Bool, weightDecay: Double) {
        self.gradient = gradient
        self.parameter = parameter
        sign = maximize ? -1 : 1
        decay = Scalar(weightDecay)
        decays = weightDecay != 0
    }

    /// The transformed gradient of element `i`.
    @inline(__always)
    subscript(i: Int) -> Scalar {
        let g = gradient[i] * sign
        return decays ? g + decay * parameter[i] : g
    }

    /// The transformed gradients of elements `i..<i + 8`.
    @inline(__always)
    func lanes(at i: Int) -> SIMD8<Scalar> {
        let g = gradient.lanes(at: i) * sign
        return decays ? g + decay * parameter.lanes(at: i) : g
    }
}
