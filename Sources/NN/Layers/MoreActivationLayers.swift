import Tensor

/// The identity as a layer (`torch.nn.Identity`): returns its input. Shape: unchanged.
public final class Identity<Scalar: TensorFloatingPoint>: Module<Scalar>, Layer {
    /// Creates the layer.
    public override init() { super.init() }

    /// The input itself.
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> { input }
}

/// x · sigmoid(x) as a layer (`torch.nn.SiLU`). Shape: unchanged.
public final class SiLU<Scalar: TensorFloatingPoint>: Module<Scalar>, Layer {
    /// Creates the layer.
    public override init() { super.init() }

    /// silu(x), elementwise.
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> { silu(input) }
}

/// The leaky rectifier as a layer (`torch.nn.LeakyReLU(negative_slope=0.01)`). Shape: unchanged.
public final class LeakyReLU<Scalar: TensorFloatingPoint>: Module<Scalar>, Layer {
    /// The slope for negative inputs (`negative_slope`).
    public let negativeSlope: Scalar

    /// Creates the layer.
    public init(negativeSlope: Scalar = 0.01) {
        self.negativeSlope = negativeSlope
        super.init()
    }

    /// leakyReLU(x), elementwise.
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> { leakyReLU(input, negativeSlope: negativeSlope) }

    /// `negative_slope=0.01`, as PyTorch prints it.
    public override var extraDescription: String { "negative_slope=\(negativeSlope)" }
}

/// The exponential linear unit as a layer (`torch.nn.ELU(alpha=1.0)`). Shape: unchanged.
public final class ELU<Scalar: TensorFloatingPoint>: Module<Scalar>, Layer {
    /// The scale of the negative part (`alpha`).
    public let alpha: Scalar

    /// Creates the layer.
    public init(alpha: Scalar = 1) {
        self.alpha = alpha
        super.init()
    }

    /// elu(x), elementwise.
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> { elu(input, alpha: alpha) }

    /// `alpha=1.0`, as PyTorch prints it.
    public override var extraDescription: String { "alpha=\(alpha)" }
}

/// The smooth rectifier as a layer (`torch.nn.Softplus(beta=1.0, threshold=20.0)`). Shape: unchanged.
public final class Softplus<Scalar: TensorFloatingPoint>: Module<Scalar>, Layer {
    /// The sharpness (`beta`).
    public let beta: Scalar
    /// Above beta · x > threshold the layer is linear (`threshold`).
    public let threshold: Scalar

    /// Creates the layer.
    public init(beta: Scalar = 1, threshold: Scalar = 20) {
        self.beta = beta
        self.threshold = threshold
        super.init()
    }

    /// softplus(x), elementwise.
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> { softplus(input, beta: beta, threshold: threshold) }

    /// `beta=1.0, threshold=20.0`, as PyTorch prints it.
    public override var extraDescription: String { "beta=\(beta), threshold=\(threshold)" }
}

/// Softmax over one axis as a layer (`torch.nn.Softmax(dim)`). Shape: unchanged.
public final class Softmax<Scalar: TensorFloatingPoint>: Module<Scalar>, Layer {
    /// The axis the probabilities sum to 1 over (`dim`).
    public let axis: Int

    /// Creates the layer.
    public init(axis: Int) {
        self.axis = axis
        super.init()
    }

    /// softmax(x) over ``axis``.
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> { input.softmax(axis: axis) }

    /// `dim=1`, as PyTorch prints it.
    public override var extraDescription: String { "dim=\(axis)" }
}

/// Log-softmax over one axis as a layer (`torch.nn.LogSoftmax(dim)`). Shape: unchanged.
public final class LogSoftmax<Scalar: TensorFloatingPoint>: Module<Scalar>, Layer {
    /// The axis normalised over (`dim`).
    public let axis: Int

    /// Creates the layer.
    public init(axis: Int) {
        self.axis = axis
        super.init()
    }

    /// logSoftmax(x) over ``axis``.
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> { input.logSoftmax(axis: axis) }

    /// `dim=1`, as PyTorch prints it.
    public override var extraDescription: String { "dim=\(axis)" }
}
