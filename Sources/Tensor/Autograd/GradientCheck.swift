/// The outcome of ``gradientCheck(of:at:epsilon:absoluteTolerance:relativeTolerance:)``:
/// the worst disagreement between analytic and numerical gradients for each input.
public struct GradientCheckReport: CustomStringConvertible, Sendable {
    /// The worst errors for one input tensor.
    public struct InputReport: Sendable {
        /// The input's position in the `at:` array.
        public var index: Int
        /// max |analytic - numerical| over the input's elements.
        public var maxAbsoluteError: Double
        /// max |analytic - numerical| / max(|numerical|, 1e-12) over the elements whose error
        /// exceeds the absolute tolerance (0 when none does).
        public var maxRelativeError: Double
        /// Whether every element satisfies |analytic - numerical| <= atol + rtol * |numerical|.
        public var passed: Bool
    }

    /// One report per input, in order.
    public var inputs: [InputReport]

    /// Whether every input passed.
    public var passed: Bool { inputs.allSatisfy(\.passed) }

    /// One line per input with its worst absolute and relative errors, marked `FAILED` where they exceed the tolerances.
    public var description: String {
        inputs.map {
            "input \($0.index): max abs error \($0.maxAbsoluteError), max rel error \($0.maxRelativeError)"
                + ($0.passed ? "" : " FAILED")
        }.joined(separator: "\n")
    }
}

/// Checks the analytic gradients of `function` against central differences, in `Double`
/// (`torch.autograd.gradcheck`).
///
/// The function's output is reduced to the scalar L = sum(f(x) * w) with fixed pseudo-random
/// weights w, so non-scalar outputs are checked through a generic vector-Jacobian product.
/// For every element x_i of every input: numerical dL/dx_i = (L(x_i + eps) - L(x_i - eps)) / (2 eps),
/// compared with the gradient `backward()` produces.
///
/// - Parameters:
///   - function: the computation to check; it must be deterministic.
///   - inputs: the points at which to check; their values are restored afterwards.
///   - epsilon: the finite-difference step.
///   - absoluteTolerance: the allowed absolute error.
///   - relativeTolerance: the allowed error relative to the numerical gradient.
public func gradientCheck(
    of function: ([Tensor<Double>]) -> Tensor<Double>,
    at inputs: [Tensor<Double>],
    epsilon: Double = 1e-6,
    absoluteTolerance: Double = 1e-6,
    relativeTolerance: Double = 1e-4
) -> GradientCheckReport {
    let probe = withNoGrad { function(inputs) }
    var weights = MersenneTwister(seed: 2024)
    let w = Tensor(shape: probe.shape, scalars: (0..<probe.count).map { _ in Double.uniformSample(&weights, 0.5, 1.5) })
    let leaves = inputs.map { $0.detach().requiringGrad() }
    let loss = (function(leaves) * w).sum()
    if loss.requiresGrad { loss.backward() }

    let reports = leaves.enumerated().map { index, leaf -> GradientCheckReport.InputReport in
        let analytic = leaf.grad?.scalars ?? [Double](repeating: 0, count: leaf.count)
        var maxAbsolute = 0.0, maxRelative = 0.0, passed = true
        for i in 0..<leaf.count {
            let original = leaf.withUnsafeBufferPointer { $0[i] }
            func evaluate(_ value: Double) -> Double {
                leaf.withUnsafeMutableBufferPointer { $0[i] = value }
                return withNoGrad { (function(leaves) * w).sum().item }
            }
            let numerical = (evaluate(original + epsilon) - evaluate(original - epsilon)) / (2 * epsilon)
            leaf.withUnsafeMutableBufferPointer { $0[i] = original }
            let error = Swift.abs(analytic[i] - numerical)
            maxAbsolute = Swift.max(maxAbsolute, error)
            if error > absoluteTolerance {
                maxRelative = Swift.max(maxRelative, error / Swift.max(Swift.abs(numerical), 1e-12))
            }
            if !(error <= absoluteTolerance + relativeTolerance * Swift.abs(numerical)) { passed = false }
        }
        return .init(index: index, maxAbsoluteError: maxAbsolute, maxRelativeError: maxRelative, passed: passed)
    }
    return GradientCheckReport(inputs: reports)
}
