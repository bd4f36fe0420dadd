import Tensor

/// The Gaussian error linear unit x · Φ(x) as a layer (`torch.nn.GELU(approximate=...)`), exact
/// (erf) or with the tanh approximation. Shape: unchanged.
public final class GELU<Scalar: TensorFloatingPoint>: Module<Scalar>, Layer {
    /// How Φ is evaluated.
    public let approximate: GELUApproximation

    /// Creates the layer (`nn.GELU(approximate="none")`).
    public init(approximate: GELUApproximation = .none) {
        self.approximate = approximate
        super.init()
    }

    /// `approximate='none'`, as PyTorch prints it.
    public override var extraDescription: String { "approximate='\(approximate.rawValue)'" }

    /// GELU(x), elementwise.
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> { input.gelu(approximate: approximate) }
}
