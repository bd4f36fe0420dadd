/// Elementwise functions with their derivatives.
extension Tensor where Scalar: TensorFloatingPoint {
    /// e^x (for `Float`, vectorised and within 2 ulp, as PyTorch's own vectorised CPU kernel is
    /// within 1). Backward: g * e^x.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func exp() -> Tensor {
        let result = mapBuffer { VectorMath.exp($0, into: $1, count: $2) }
        let y = result.detach()
        return result.recording("ExpBackward", [self]) { g in [g * y] }
    }

    /// The natural logarithm. Backward: g / x.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func log() -> Tensor {
        map { Scalar.log($0) }.recording("LogBackward", [self]) { [self] g in [g / self] }
    }

    /// The square root. Backward: g / (2 sqrt(x)).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func sqrt() -> Tensor {
        let result = map { $0.squareRoot() }
        let y = result.detach()
        return result.recording("SqrtBackward", [self]) { g in [g.zipWith(y, op: "sqrt") { $0 / (2 * $1) }] }
    }

    /// The absolute value. Backward: g * sign(x), with sign(0) = 0 as in PyTorch.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func abs() -> Tensor {
        map { Swift.abs($0) }.recording("AbsBackward", [self]) { [self] g in
            [g.zipWith(self, op: "abs") { g, x in x > 0 ? g : x < 0 ? -g : 0 }]
        }
    }

    /// The hyperbolic tangent (for `Float`, vectorised and within 2 ulp, as in the fused RNN).
    /// Backward: g * (1 - tanh(x)^2).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func tanh() -> Tensor {
        let result = mapBuffer { VectorMath.tanh($0, into: $1, count: $2) }
        let y = result.detach()
        return result.recording("TanhBackward", [self]) { g in [g.zipWith(y, op: "tanh") { $0 * (1 - $1 * $1) }] }
    }

    /// The logistic sigmoid 1 / (1 + e^-x), computed without overflow from e = e^-|x|: 1 / (1 + e)
    /// for x >= 0, e / (1 + e) below (for `Float`, e is vectorised as in ``exp()``). Backward:
    /// g * s(1 - s).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func sigmoid() -> Tensor {
        let result = mapBuffer { x, y, n in
            for i in 0..<n { y[i] = -Swift.abs(x[i]) }
            VectorMath.exp(y, into: y, count: n)
            for i in 0..<n { y[i] = x[i] >= 0 ? 1 / (1 + y[i]) : y[i] / (1 + y[i]) }
        }
        let y = result.detach()
        return result.recording("SigmoidBackward", [self]) { g in [g.zipWith(y, op: "sigmoid") { $0 * $1 * (1 - $1) }] }
    }

    /// max(x, 0), keeping NaN as PyTorch does.
    ///
    /// Backward, from the output y as PyTorch's `threshold_backward`: 0 where y <= 0, else g
    /// (so a NaN input passes its gradient through).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func relu() -> Tensor {
        let result = map { $0 > 0 || $0.isNaN ? $0 : 0 }
        let y = result.detach()
        return result.recording("ReluBackward", [self]) { g in
            [g.zipWith(y, op: "relu") { $1 <= 0 ? 0 : $0 }]
        }
    }

    /// Each element limited to `[min, max]` (`torch.clamp` with scalar bounds); either bound
    /// may be omitted. NaN (in the element or a bound) gives NaN; where `min > max` every
    /// element becomes `max`.
    ///
    /// Backward (PyTorch 2.15's): g where the element lies strictly inside the given bounds,
    /// 0 at a bound, outside, and at NaN.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func clamp(min lower: Scalar? = nil, max upper: Scalar? = nil) -> Tensor {
        let lo = lower ?? -Scalar.infinity, hi = upper ?? Scalar.infinity
        let hasLower = lower != nil, hasUpper = upper != nil
        let result = map { x in
            x.isNaN || lo.isNaN || hi.isNaN ? .nan : lo > hi ? hi : Swift.min(Swift.max(x, lo), hi)
        }
        guard hasLower || hasUpper else { return result.recording("ClampBackward", [self]) { g in [g] } }
        return result.recording("ClampBackward", [self]) { [self] g in
            [g.zipWith(self, op: "clamp") { g, x in (!hasLower || x > lo) && (!hasUpper || x < hi) ? g : 0 }]
        }
    }

    /// Each element limited to the bounds at its position (`torch.clamp(x, min, max)` with
    /// tensor bounds), broadcasting all three; either bound may be omitted, not both.
    ///
    /// With one bound this is ``maximum(_:)`` (`min`) or ``minimum(_:)`` (`max`). With both:
    /// NaN if any of the three is NaN, `max` where `min > max`, else `min(max(x, min), max)`.
    /// Backward, as PyTorch 2.15: the gradient goes to whichever of x, min, max the result is;
    /// where x ties a bound (and min < max) it is split 0.5/0.5 between them; where
    /// min = max = x it goes to x; where min > max it goes to max; a NaN x keeps its gradient.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func clamp(min lower: Tensor?, max upper: Tensor?) -> Tensor {
        guard let lower, let upper else {
            if let lower { return maximum(lower) }
            if let upper { return minimum(upper) }
            fatalError("clamp: at least one of min and max must be given")
        }
        guard let target = Shape.broadcast(shape, lower.shape).flatMap({ Shape.broadcast($0, upper.shape) }) else {
            fatalError("clamp: shapes \(shape), \(lower.shape) and \(upper.shape) cannot be broadcast together")
        }
        let x = broadcastValues(to: target, op: "clamp").scalars, a = lower.broadcastValues(to: target, op: "clamp").scalars
        let b = upper.broadcastValues(to: target, op: "clamp").scalars
        let values = x.indices.map { i -> Scalar in
            if x[i].isNaN || a[i].isNaN || b[i].isNaN { return .nan }
            return a[i] > b[i] ? b[i] : Swift.min(Swift.max(x[i], a[i]), b[i])
        }
        return Tensor(shape: target, scalars: values).recording("ClampBackward", [self, lower, upper]) { [self] g in
            let g = g.scalars
            var gx = g, ga = g, gb = g
            for i in g.indices {
                let (x, a, b) = (x[i], a[i], b[i])
                let split: Scalar = a < b ? 0.5 : 1
                gx[i] *= x < a || x > b ? 0 : x == a || x == b ? split : 1
                ga[i] *= x < a && a <= b ? 1 : x == a && a < b ? 0.5 : 0
                gb[i] *= a > b || (x > b && a <= b) ? 1 : x == b && a < b ? 0.5 : 0
            }
            return [
                requiresGrad ? Tensor(shape: target, scalars: gx).sum(toShape: shape) : nil,
                lower.requiresGrad ? Tensor(shape: target, scalars: ga).sum(toShape: lower.shape) : nil,
                upper.requiresGrad ? Tensor(shape: target, scalars: gb).sum(toShape: upper.shape) : nil,
            ]
        }
    }

    /// The elementwise square x². Backward: 2 x g.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func square() -> Tensor {
        map { $0 * $0 }.recording("PowBackward", [self]) { [self] g in [g.zipWith(self, op: "square") { 2 * $0 * $1 }] }
    }
}
