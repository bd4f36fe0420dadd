import Tensor

/// Layer normalisation over the trailing dimensions (`torch.nn.LayerNorm`):
/// y = (x - mean) / sqrt(var + eps) · weight + bias, the mean and the biased variance taken
/// over the last `normalizedShape.count` dimensions of each input.
///
/// Shapes: input `[..., *normalizedShape]`, output the same; ``weight`` and ``bias`` are
/// `normalizedShape`. Initialisation (PyTorch's): weight 1, bias 0.
public final class LayerNorm<Scalar: TensorFloatingPoint>: Module<Scalar>, Layer {
    /// The trailing dimensions normalised together (`normalized_shape`).
    public let normalizedShape: [Int]
    /// Added to the variance for stability (`eps`).
    public let eps: Double
    /// The per-element scale, shape `normalizedShape` (key `weight`); `nil` without
    /// `elementwiseAffine`.
    public let weight: Tensor<Scalar>?
    /// The per-element shift, shape `normalizedShape` (key `bias`); `nil` without
    /// `elementwiseAffine` or with `bias: false`.
    public let bias: Tensor<Scalar>?

    /// Creates the layer (`nn.LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=True, bias=True)`).
    public init(_ normalizedShape: [Int], eps: Double = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true) {
        check(normalizedShape.allSatisfy { $0 >= 0 }, "LayerNorm: negative size in \(normalizedShape)")
        self.normalizedShape = normalizedShape
        self.eps = eps
        weight = elementwiseAffine ? Tensor.ones(normalizedShape, requiresGrad: true) : nil
        self.bias = elementwiseAffine && bias ? Tensor.zeros(normalizedShape, requiresGrad: true) : nil
        super.init()
    }

    /// A layer normalising the last dimension of size `size` (`nn.LayerNorm(size)`).
    public convenience init(_ size: Int, eps: Double = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true) {
        self.init([size], eps: eps, elementwiseAffine: elementwiseAffine, bias: bias)
    }

    /// `(128,), eps=1e-05, elementwise_affine=True`, as PyTorch prints it.
    public override var extraDescription: String {
        let shape = normalizedShape.count == 1 ? "(\(normalizedShape[0]),)" : "(\(normalizedShape.map(String.init).joined(separator: ", ")))"
        return "\(shape), eps=\(eps), elementwise_affine=\(pythonBool(weight != nil))"
    }

    /// The normalised input, same shape.
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> {
        layerNorm(input, normalizedShape: normalizedShape, weight: weight, bias: bias, eps: eps)
    }
}

/// Layer normalisation of the trailing `normalizedShape` dimensions
/// (`F.layer_norm(input, normalized_shape, weight, bias, eps)`); see ``LayerNorm``.
///
/// Backward: one operation with its own gradient for the input, weight and bias.
public func layerNorm<Scalar: TensorFloatingPoint>(
    _ input: Tensor<Scalar>, normalizedShape: [Int], weight: Tensor<Scalar>? = nil, bias: Tensor<Scalar>? = nil,
    eps: Double = 1e-5
) -> Tensor<Scalar> {
    input.layerNorm(normalizedShape: normalizedShape, weight: weight, bias: bias, eps: Scalar(eps))
}
