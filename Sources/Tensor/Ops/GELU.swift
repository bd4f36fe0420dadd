import Foundation

/// How ``Tensor/gelu(approximate:)`` evaluates the Gaussian CDF (`approximate=` of `F.gelu`).
public enum GELUApproximation: String, Sendable, CaseIterable {
    /// The exact form x · Φ(x) = x / 2 · (1 + erf(x / √2)) (`approximate="none"`).
    case none
    /// x / 2 · (1 + tanh(√(2/π) · (x + 0.044715 x³))) (`approximate="tanh"`).
    case tanh
}

/// The Gaussian error linear unit, as one differentiable operation.
extension Tensor where Scalar: TensorFloatingPoint {
    /// The Gaussian error linear unit x · Φ(x), elementwise (`F.gelu(x, approximate=...)`), Φ the
    /// standard normal CDF, exact or with the tanh approximation (see ``GELUApproximation``).
    ///
    /// Shape: unchanged. Backward: g · (Φ(x) + x · φ(x)) with φ the standard normal density
    /// (exact), or the derivative of the tanh form, 0.5 (1 + t) + 0.5 x (1 - t²) √(2/π) (1 + 3 ·
    /// 0.044715 x²) with t its tanh.
    ///
    /// `Double` evaluates erf, exp and tanh with libm. `Float` runs in chunks with the vector
    /// exp and tanh of ``VectorMath`` and, for erf, Abramowitz and Stegun's 7.1.26 (absolute
    /// error below 1.5e-7, under Float's rounding of Φ), computed in `Float`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func gelu(approximate: GELUApproximation = .none) -> Tensor {
        let n = count
        let needsSlope = Tensor.needsGraph(self)
        var slopes: Tensor?
        let result = Tensor(shape: shape) { out in
            withUnsafeBufferPointer { x in
                guard n > 0 else { return }
                let slope = needsSlope ? UnsafeMutablePointer<Scalar>.allocate(capacity: n) : nil
                if Scalar.self == Float.self {
                    Tensor.geluChunks(x.baseAddress!, out.baseAddress!, slope, count: n, approximate: approximate)
                } else {
                    for i in 0..<n {
                        let (value, derivative) = Tensor.geluAndSlope(Double(x[i]), approximate: approximate)
                        (out.baseAddress! + i).initialize(to: Scalar(value))
                        slope?[i] = Scalar(derivative)
                    }
                }
                if let slope {
                    slopes = Tensor(shape: shape) { $0.baseAddress!.moveInitialize(from: slope, count: n) }
                    slope.deallocate()
                }
            }
        }
        guard let slopes else { return result }
        return result.recording("GeluBackward", [self]) { g in [g * slopes] }
    }

    /// GELU of `count` elements of `x` into `out` (initialising it) and, if `slope` is given,
    /// the derivative into `slope`, in `Float`, a chunk at a time.
    private static func geluChunks(
        _ x: UnsafePointer<Scalar>, _ out: UnsafeMutablePointer<Scalar>, _ slope: UnsafeMutablePointer<Scalar>?,
        count: Int, approximate: GELUApproximation
    ) {
        let chunk = VectorMath.chunk
        withUnsafeTemporaryAllocation(of: Scalar.self, capacity: 2 * chunk) { scratch in
            let a = scratch.baseAddress!, b = a + chunk
            var start = 0
            while start < count {
                let m = Swift.min(chunk, count - start)
                let xs = x + start
                switch approximate {
                case .none:
                    // e = exp(-x²/2); erf(|x|/√2) = 1 - poly(t) e with t = 1 / (1 + p |x|/√2).
                    for i in 0..<m { a[i] = -Scalar(0.5) * xs[i] * xs[i] }
                    VectorMath.exp(a, into: a, count: m)
                    let p: Scalar = Scalar(0.3275911 * 0.5.squareRoot()), density: Scalar = Scalar(1 / (2 * Double.pi).squareRoot())
                    let a1: Scalar = 0.254829592, a2: Scalar = -0.284496736, a3: Scalar = 1.421413741
                    let a4: Scalar = -1.453152027, a5: Scalar = 1.061405429
                    for i in 0..<m {
                        let v = xs[i], e = a[i]
                        let t: Scalar = 1 / (1 + p * Swift.abs(v))
                        var poly: Scalar = a4 + t * a5
                        poly = a3 + t * poly
                        poly = a2 + t * poly
                        poly = t * (a1 + t * poly)
                        let erfAbs = 1 - poly * e
                        let cdf = Scalar(0.5) * (1 + (v < 0 ? -erfAbs : erfAbs))
                        (out + start + i).initialize(to: v * cdf)
                        slope?[start + i] = cdf + v * e * density
                    }
                case .tanh:
                    let k = Scalar((2 / Double.pi).squareRoot()), c = Scalar(0.044715)
                    for i in 0..<m { a[i] = k * (xs[i] + c * xs[i] * xs[i] * xs[i]) }
                    VectorMath.tanh(a, into: b, count: m)
                    for i in 0..<m {
                        let v = xs[i], t = b[i]
                        (out + start + i).initialize(to: Scalar(0.5) * v * (1 + t))
                        slope?[start + i] = Scalar(0.5) * (1 + t) + Scalar(0.5) * v * (1 - t * t) * k * (1 + 3 * c * v * v)
                    }
                }
                start += m
            }
        }
    }

    /// GELU of `x` and its derivative there, in `Double`.
    @inline(__always)
    private static func geluAndSlope(_ x: Double, approximate: GELUApproximation) -> (Double, Double) {
        switch approximate {
        case .none:
            let cdf = 0.5 * (1 + Foundation.erf(x * 0.5.squareRoot()))
            let density = Foundation.exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
            return (x * cdf, cdf + x * density)
        case .tanh:
            let k = (2 / Double.pi).squareRoot(), c = 0.044715
            let t = Foundation.tanh(k * (x + c * x * x * x))
            return (0.5 * x * (1 + t), 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * k * (1 + 3 * c * x * x))
        }
    }
}
