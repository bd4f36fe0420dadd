import Tensor

/// The hyperbolic tangent as a layer (`torch.nn.Tanh`). Shape: unchanged.
public final class Tanh<Scalar: TensorFloatingPoint>: Module<Scalar>, Layer {
    /// Creates the layer.
    public override init() { super.init() }

    /// tanh(x), elementwise.
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> { input.tanh() }
}

/// The rectifier max(x, 0) as a layer (`torch.nn.ReLU`). Shape: unchanged.
public final class ReLU<Scalar: TensorFloatingPoint>: Module<Scalar>, Layer {
    /// Creates the layer.
    public override init() { super.init() }

    /// max(x, 0), elementwise.
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> { input.relu() }
}

/// The logistic sigmoid 1 / (1 + e^-x) as a layer (`torch.nn.Sigmoid`). Shape: unchanged.
public final class Sigmoid<Scalar: TensorFloatingPoint>: Module<Scalar>, Layer {
    /// Creates the layer.
    public override init() { super.init() }

    /// sigmoid(x), elementwise.
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> { input.sigmoid() }
}
