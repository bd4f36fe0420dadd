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
    /// The exact form evaluates erf in `Double` for both element types.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func gelu(approximate: GELUApproximation = .none) -> Tensor {
        let n = count
        let needsSlope = Tensor.needsGraph(self)
        var slopes = needsSlope ? [Scalar](repeating: 0, count: n) : []
        let result = Tensor(shape: shape) { out in
            withUnsafeBufferPointer { x in
                for i in 0..<n {
                    let (value, slope) = Tensor.geluAndSlope(Double(x[i]), approximate: approximate)
                    (out.baseAddress! + i).initialize(to: Scalar(value))
                    if needsSlope { slopes[i] = Scalar(slope) }
                }
            }
        }
        guard needsSlope else { return result }
        let slope = Tensor(shape: shape, scalars: slopes)
        return result.recording("GeluBackward", [self]) { g in [g * slope] }
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
