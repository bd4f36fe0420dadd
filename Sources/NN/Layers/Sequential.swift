import Tensor

/// Layers applied one after another (`torch.nn.Sequential`).
///
/// Keys are the positions: `Sequential(Linear(4, 8), ReLU(), Linear(8, 2))` has parameters
/// `0.weight`, `0.bias`, `2.weight`, `2.bias`, as in PyTorch.
///
/// ```swift
/// let mlp = Sequential<Float>(Linear(4, 8), ReLU(), Linear(8, 2))
/// let y = mlp(x)  // [batch, 4] -> [batch, 2]
/// ```
public final class Sequential<Scalar: TensorFloatingPoint>: Module<Scalar>, Layer {
    /// The layers, in order.
    public let layers: [any Layer<Scalar>]

    /// Chains `layers`.
    ///
    /// - Precondition: every layer is a ``Module`` (so that its parameters are found).
    public init(_ layers: [any Layer<Scalar>]) {
        for (index, layer) in layers.enumerated() {
            check(layer is Module<Scalar>, "Sequential: layer \(index) (\(type(of: layer))) is not a Module")
        }
        self.layers = layers
        super.init()
    }

    /// Chains the given layers.
    public convenience init(_ layers: any Layer<Scalar>...) { self.init(layers) }

    /// The layers keyed `"0"`, `"1"`, ... as in PyTorch.
    public override func namedOwnChildren() -> [(name: String, module: Module<Scalar>)] {
        layers.enumerated().compactMap { index, layer in (layer as? Module<Scalar>).map { ("\(index)", $0) } }
    }

    /// The input passed through every layer in order.
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> {
        layers.reduce(input) { $1($0) }
    }
}
