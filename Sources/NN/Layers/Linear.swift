import Tensor

/// A fully connected layer y = x Wᵀ + b (`torch.nn.Linear`).
///
/// Shapes: input `[..., inputSize]` (any number of leading dimensions, or none), output
/// `[..., outputSize]`; ``weight`` is `[outputSize, inputSize]`, ``bias`` `[outputSize]`.
///
/// Initialisation (PyTorch's): weight from kaiming-uniform with a = sqrt(5), that is
/// U(-1/sqrt(inputSize), 1/sqrt(inputSize)), then bias from the same interval.
public final class Linear<Scalar: TensorFloatingPoint>: Module<Scalar>, Layer {
    /// The number of input features (`in_features`).
    public let inputSize: Int
    /// The number of output features (`out_features`).
    public let outputSize: Int
    /// The weight W, shape `[outputSize, inputSize]` (key `weight`).
    public let weight: Tensor<Scalar>
    /// The bias b, shape `[outputSize]` (key `bias`), or `nil` when built with `bias: false`.
    public let bias: Tensor<Scalar>?

    /// Creates a layer mapping `inputSize` features to `outputSize`
    /// (`nn.Linear(in_features, out_features, bias=True)`), initialised from `generator`.
    public init(_ inputSize: Int, _ outputSize: Int, bias: Bool = true, generator: Generator = .default) {
        check(inputSize >= 0 && outputSize >= 0, "Linear: negative size (\(inputSize), \(outputSize))")
        self.inputSize = inputSize
        self.outputSize = outputSize
        weight = Tensor.zeros([outputSize, inputSize], requiresGrad: true)
        self.bias = bias ? Tensor.zeros([outputSize], requiresGrad: true) : nil
        super.init()
        resetParameters(generator: generator)
    }

    /// A layer over existing tensors, which it shares rather than copies: weight tying, as
    /// nanoGPT's `lm_head.weight = transformer.wte.weight`. A tensor shared by two modules is
    /// listed once by ``Module/parameters()`` and under both keys by ``Module/stateDict()``.
    ///
    /// - Precondition: `weight` is `[outputSize, inputSize]` and `bias`, if any, `[outputSize]`.
    public init(weight: Tensor<Scalar>, bias: Tensor<Scalar>? = nil) {
        check(weight.rank == 2, "Linear: weight must be 2-d, got shape \(weight.shape)")
        check(bias == nil || bias!.shape == [weight.shape[0]], "Linear: bias of shape \(bias!.shape) does not fit weight \(weight.shape)")
        outputSize = weight.shape[0]
        inputSize = weight.shape[1]
        self.weight = weight
        self.bias = bias
        super.init()
    }

    /// Re-initialises the parameters as PyTorch does (`linear.reset_parameters()`), drawing in
    /// `Float` (see ``Init``): the weight, then the bias.
    public func resetParameters(generator: Generator = .default) {
        Init.inFloat32(weight) { Init.kaimingUniform($0, a: 5.0.squareRoot(), generator: generator) }
        if let bias {
            let fanIn = inputSize
            let bound = fanIn > 0 ? 1 / Double(fanIn).squareRoot() : 0
            Init.inFloat32(bias) { Init.uniform($0, lower: -bound, upper: bound, generator: generator) }
        }
    }

    /// `in_features=..., out_features=..., bias=...`, as PyTorch prints it.
    public override var extraDescription: String {
        "in_features=\(inputSize), out_features=\(outputSize), bias=\(pythonBool(bias != nil))"
    }

    /// x Wᵀ + b: `[..., inputSize]` to `[..., outputSize]`.
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> {
        linear(input, weight: weight, bias: bias)
    }
}

/// The affine map y = x Wᵀ + b (`F.linear(input, weight, bias)`).
///
/// Shapes: `input` `[..., in]`, `weight` `[out, in]`, `bias` `[out]`; result `[..., out]`.
///
/// When `input` is an embedding's output whose table has at most half as many rows, the
/// table's rows are multiplied instead and the products looked up (same values; see
/// `linearOfLookedUpRows`): its gradient name is then `EmbeddingLinearBackward`.
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
public func linear<Scalar: TensorFloatingPoint>(
    _ input: Tensor<Scalar>, weight: Tensor<Scalar>, bias: Tensor<Scalar>? = nil
) -> Tensor<Scalar> {
    check(
        weight.rank == 2 && input.rank >= 1 && input.shape[input.rank - 1] == weight.shape[1],
        "linear: input of shape \(input.shape) does not match weight of shape \(weight.shape)")
    // An embedding's output with a small table: the table's rows are multiplied instead.
    if let folded = input.linearOfLookedUpRows(weight: weight, bias: bias) { return folded }
    // The row count spelled out, not -1: with in = 0 there are no elements to infer it from.
    let rows = input.rank == 2 ? input : input.reshape([input.shape.dropLast().reduce(1, *), weight.shape[1]])
    let output = rows.linear(weight: weight, bias: bias)
    return input.rank == 2 ? output : output.reshape(Array(input.shape.dropLast()) + [weight.shape[0]])
}
