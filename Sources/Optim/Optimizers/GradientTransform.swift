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
