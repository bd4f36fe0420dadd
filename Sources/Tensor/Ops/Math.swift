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

    /// max(x, 0), keeping NaN as PyTorch does. Backward: g where x > 0, else 0.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func relu() -> Tensor {
        map { $0 > 0 || $0.isNaN ? $0 : 0 }.recording("ReluBackward", [self]) { [self] g in
            [g.zipWith(self, op: "relu") { $1 > 0 ? $0 : 0 }]
        }
    }

    /// Each element limited to `[min, max]` (`torch.clamp`); either bound may be omitted.
    ///
    /// Backward: g where min <= x <= max, else 0 (PyTorch's convention at the bounds).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func clamp(min lower: Scalar? = nil, max upper: Scalar? = nil) -> Tensor {
        let lo = lower ?? -Scalar.infinity, hi = upper ?? Scalar.infinity
        return map { Swift.min(Swift.max($0, lo), hi) }.recording("ClampBackward", [self]) { [self] g in
            [g.zipWith(self, op: "clamp") { $1 >= lo && $1 <= hi ? $0 : 0 }]
        }
    }

    /// The elementwise square x². Backward: 2 x g.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func square() -> Tensor {
        map { $0 * $0 }.recording("PowBackward", [self]) { [self] g in [g.zipWith(self, op: "square") { 2 * $0 * $1 }] }
    }
}
