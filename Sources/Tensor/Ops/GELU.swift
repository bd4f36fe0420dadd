import CKernels
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
    /// `Double` evaluates erf, exp and tanh with libm. `Float` computes erf with Abramowitz and
    /// Stegun's 7.1.26 (absolute error below 1.5e-7, under Float's rounding of Φ) in the vector
    /// kernel `ck_sgelu` (exact form), and the tanh form in chunks with the vector tanh of
    /// ``VectorMath``.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func gelu(approximate: GELUApproximation = .none) -> Tensor {
        let n = count, needsSlope = Tensor.needsGraph(self)
        // The derivative is computed alongside (and kept) only when a graph will need it.
        var slopes: Tensor?
        let result = Tensor(shape: shape) { out in
            withUnsafeBufferPointer { x in
                if needsSlope {
                    slopes = Tensor(shape: shape) { slope in
                        Tensor.gelu(x, out, slope.baseAddress, count: n, approximate: approximate)
                    }
                } else {
                    Tensor.gelu(x, out, nil, count: n, approximate: approximate)
                }
            }
        }
        guard let slopes else { return result }
        return result.recording("GeluBackward", [self]) { g in [g * slopes] }
    }

    /// GELU of the `count` elements of `x` into `out` (initialising it) and, if `slope` is
    /// given, its derivative into `slope`; large tensors in ranges on several threads
    /// (``parallelForElements(_:minimumCount:_:)``), which changes no element's arithmetic.
    private static func gelu(
        _ x: UnsafeBufferPointer<Scalar>, _ out: UnsafeMutableBufferPointer<Scalar>,
        _ slope: UnsafeMutablePointer<Scalar>?, count n: Int, approximate: GELUApproximation
    ) {
        guard n > 0 else { return }
        let x = GEMM.ReadPointer(x.baseAddress!), out = GEMM.WritePointer(out.baseAddress!)
        let slope = slope.map { GEMM.WritePointer($0) }
        parallelForElements(n) { range in
            gelu(
                x.pointer + range.lowerBound, out.pointer + range.lowerBound, slope.map { $0.pointer + range.lowerBound },
                count: range.count, approximate: approximate)
        }
    }

    /// GELU of the `count` elements at `x` into `out` (initialising it) and, if `slope` is given,
    /// its derivative into `slope`, on the calling thread.
    private static func gelu(
        _ x: UnsafePointer<Scalar>, _ out: UnsafeMutablePointer<Scalar>, _ slope: UnsafeMutablePointer<Scalar>?,
        count n: Int, approximate: GELUApproximation
    ) {
        if Scalar.self == Float.self, approximate == .none {
            ck_sgelu(
                UnsafeRawPointer(x).assumingMemoryBound(to: Float.self),
                UnsafeMutableRawPointer(out).assumingMemoryBound(to: Float.self),
                slope.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: Float.self) }, n)
        } else if Scalar.self == Float.self {
            geluTanhChunks(x, out, slope, count: n)
        } else {
            for i in 0..<n {
                let (value, derivative) = geluAndSlope(Double(x[i]), approximate: approximate)
                (out + i).initialize(to: Scalar(value))
                slope?[i] = Scalar(derivative)
            }
        }
    }

    /// The tanh form of GELU of `count` elements of `x` into `out` (initialising it) and, if
    /// `slope` is given, its derivative into `slope`, in `Float`, a chunk at a time.
    private static func geluTanhChunks(
        _ x: UnsafePointer<Scalar>, _ out: UnsafeMutablePointer<Scalar>, _ slope: UnsafeMutablePointer<Scalar>?,
        count: Int
    ) {
        let chunk = VectorMath.chunk
        withUnsafeTemporaryAllocation(of: Scalar.self, capacity: 2 * chunk) { scratch in
            let a = scratch.baseAddress!, b = a + chunk
            var start = 0
            while start < count {
                let m = Swift.min(chunk, count - start)
                let xs = x + start
                let k = Scalar((2 / Double.pi).squareRoot()), c = Scalar(0.044715)
                for i in 0..<m { a[i] = k * (xs[i] + c * xs[i] * xs[i] * xs[i]) }
                VectorMath.tanh(a, into: b, count: m)
                for i in 0..<m {
                    let v = xs[i], t = b[i]
                    (out + start + i).initialize(to: Scalar(0.5) * v * (1 + t))
                    slope?[start + i] = Scalar(0.5) * (1 + t) + Scalar(0.5) * v * (1 - t * t) * k * (1 + 3 * c * v * v)
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
