import Tensor

extension MinCharRNN {
    /// One row of the gradient-check table: how far the hand-derived gradient of one parameter
    /// is from finite differences.
    public struct GradientCheckRow: Sendable {
        /// The parameter's key (`Wxh`).
        public var name: String
        /// Its shape.
        public var shape: [Int]
        /// max_i |analytic_i − numerical_i| / max_i max(|analytic_i|, |numerical_i|) over every
        /// element (0 when both gradients are 0): the error relative to the gradient's size.
        public var relativeError: Double
    }

    /// Checks ``lossAndGradients(inputs:targets:hidden:)`` on one chunk against central
    /// differences of the loss, element by element, for every parameter.
    ///
    /// The numerical derivative is the fourth-order central difference
    /// (8 (L(θ+δ) − L(θ−δ)) − (L(θ+2δ) − L(θ−2δ))) / 12δ with δ = `delta`: its truncation error
    /// is O(δ⁴) and its rounding error about ε |L| / δ, so in `Double` with δ = 1e-3 both stay far
    /// below the gradients even for a summed loss near 100 (the second-order difference with
    /// δ = 1e-5 leaves errors of a few 1e-9 in absolute terms, large beside the tiny Whh
    /// gradients of a fresh model). The parameters are restored afterwards.
    public func gradientCheck(inputs: [Int], targets: [Int], hidden: Tensor<Scalar>, delta: Double = 1e-3) -> [GradientCheckRow] {
        let analytic = lossAndGradients(inputs: inputs, targets: targets, hidden: hidden).gradients
        func loss() -> Double { forward(inputs: inputs, targets: targets, hidden: hidden).loss }
        return namedParameters().map { name, parameter in
            let gradient = analytic[name]!.scalars.map { $0.doubleValue }
            var worstError = 0.0, scale = 0.0
            for i in 0..<parameter.count {
                let original = parameter.withUnsafeBufferPointer { $0[i] }
                func shifted(_ steps: Double) -> Double {
                    parameter.withUnsafeMutableBufferPointer { $0[i] = original + Scalar(steps * delta) }
                    return loss()
                }
                let near = shifted(1) - shifted(-1), far = shifted(2) - shifted(-2)
                parameter.withUnsafeMutableBufferPointer { $0[i] = original }
                let numerical = (8 * near - far) / (12 * delta)
                worstError = Swift.max(worstError, Swift.abs(gradient[i] - numerical))
                scale = Swift.max(scale, Swift.abs(gradient[i]), Swift.abs(numerical))
            }
            return GradientCheckRow(name: name, shape: parameter.shape, relativeError: scale > 0 ? worstError / scale : 0)
        }
    }
}
