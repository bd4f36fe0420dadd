import Tensor

/// Weight initialisation (`torch.nn.init`): functions that overwrite a tensor in place, outside
/// the autograd graph, and return it.
///
/// Bounds and standard deviations are computed in `Double` as PyTorch computes them in Python,
/// then the tensor is filled as `tensor.uniform_(...)`/`normal_(...)` fills it, in the tensor's
/// own element type, from `generator`: the same seed gives PyTorch's numbers.
///
/// ```swift
/// let w = Tensor<Float>.zeros([64, 32])
/// Init.xavierUniform(w, generator: Generator(seed: 0))  // == torch.nn.init.xavier_uniform_ after manual_seed(0)
/// ```
public enum Init {
    /// Fills `tensor` from U(lower, upper) (`init.uniform_(tensor, a, b)`).
    @discardableResult
    public static func uniform<Scalar: TensorFloatingPoint>(
        _ tensor: Tensor<Scalar>, lower: Double = 0, upper: Double = 1, generator: Generator = .default
    ) -> Tensor<Scalar> {
        tensor.assign(Tensor.uniform(tensor.shape, lower: Scalar(lower), upper: Scalar(upper), generator: generator))
        return tensor
    }

    /// Fills `tensor` from N(mean, std²) (`init.normal_(tensor, mean, std)`).
    @discardableResult
    public static func normal<Scalar: TensorFloatingPoint>(
        _ tensor: Tensor<Scalar>, mean: Double = 0, std: Double = 1, generator: Generator = .default
    ) -> Tensor<Scalar> {
        tensor.assign(Tensor.normal(tensor.shape, mean: Scalar(mean), std: Scalar(std), generator: generator))
        return tensor
    }

    /// Fills `tensor` with `value` (`init.constant_(tensor, val)`).
    @discardableResult
    public static func constant<Scalar: TensorFloatingPoint>(_ tensor: Tensor<Scalar>, _ value: Double) -> Tensor<Scalar> {
        tensor.assign(Tensor.full(tensor.shape, Scalar(value)))
        return tensor
    }

    /// Fills `tensor` with zeros (`init.zeros_(tensor)`).
    @discardableResult
    public static func zeros<Scalar: TensorFloatingPoint>(_ tensor: Tensor<Scalar>) -> Tensor<Scalar> {
        constant(tensor, 0)
    }

    /// Fills `tensor` with ones (`init.ones_(tensor)`).
    @discardableResult
    public static func ones<Scalar: TensorFloatingPoint>(_ tensor: Tensor<Scalar>) -> Tensor<Scalar> {
        constant(tensor, 1)
    }

    /// Fills the matrix `tensor` with the identity, ones on the main diagonal (`init.eye_(tensor)`).
    ///
    /// - Precondition: `tensor` is 2-d.
    @discardableResult
    public static func eye<Scalar: TensorFloatingPoint>(_ tensor: Tensor<Scalar>) -> Tensor<Scalar> {
        check(tensor.rank == 2, "Init.eye: only 2-d tensors are supported, got shape \(tensor.shape)")
        tensor.assign(Tensor.eye(tensor.shape[0], tensor.shape[1]))
        return tensor
    }

    /// Glorot initialisation from U(-a, a), a = gain · sqrt(6 / (fanIn + fanOut))
    /// (`init.xavier_uniform_(tensor, gain)`).
    ///
    /// - Precondition: `tensor` has at least 2 dimensions (see ``fans(of:)``).
    @discardableResult
    public static func xavierUniform<Scalar: TensorFloatingPoint>(
        _ tensor: Tensor<Scalar>, gain: Double = 1, generator: Generator = .default
    ) -> Tensor<Scalar> {
        let (fanIn, fanOut) = fans(of: tensor.shape)
        let std = gain * (2.0 / Double(fanIn + fanOut)).squareRoot()
        let bound = 3.0.squareRoot() * std
        return uniform(tensor, lower: -bound, upper: bound, generator: generator)
    }

    /// Glorot initialisation from N(0, std²), std = gain · sqrt(2 / (fanIn + fanOut))
    /// (`init.xavier_normal_(tensor, gain)`).
    @discardableResult
    public static func xavierNormal<Scalar: TensorFloatingPoint>(
        _ tensor: Tensor<Scalar>, gain: Double = 1, generator: Generator = .default
    ) -> Tensor<Scalar> {
        let (fanIn, fanOut) = fans(of: tensor.shape)
        let std = gain * (2.0 / Double(fanIn + fanOut)).squareRoot()
        return normal(tensor, mean: 0, std: std, generator: generator)
    }

    /// He initialisation from U(-bound, bound), bound = gain · sqrt(3 / fan), with
    /// gain = ``calculateGain(_:parameter:)`` of `nonlinearity` and `a`
    /// (`init.kaiming_uniform_(tensor, a, mode, nonlinearity)`).
    ///
    /// `a` is the negative slope of the leaky ReLU that follows; PyTorch's ``Linear`` uses
    /// `a = sqrt(5)`, which gives U(-1/sqrt(fanIn), 1/sqrt(fanIn)).
    @discardableResult
    public static func kaimingUniform<Scalar: TensorFloatingPoint>(
        _ tensor: Tensor<Scalar>, a: Double = 0, mode: FanMode = .fanIn, nonlinearity: Nonlinearity = .leakyReLU,
        generator: Generator = .default
    ) -> Tensor<Scalar> {
        guard tensor.count > 0 else { return tensor }
        let std = calculateGain(nonlinearity, parameter: a) / Double(fan(of: tensor.shape, mode: mode)).squareRoot()
        let bound = 3.0.squareRoot() * std
        return uniform(tensor, lower: -bound, upper: bound, generator: generator)
    }

    /// He initialisation from N(0, std²), std = gain / sqrt(fan)
    /// (`init.kaiming_normal_(tensor, a, mode, nonlinearity)`).
    @discardableResult
    public static func kaimingNormal<Scalar: TensorFloatingPoint>(
        _ tensor: Tensor<Scalar>, a: Double = 0, mode: FanMode = .fanIn, nonlinearity: Nonlinearity = .leakyReLU,
        generator: Generator = .default
    ) -> Tensor<Scalar> {
        guard tensor.count > 0 else { return tensor }
        let std = calculateGain(nonlinearity, parameter: a) / Double(fan(of: tensor.shape, mode: mode)).squareRoot()
        return normal(tensor, mean: 0, std: std, generator: generator)
    }

    /// Fills `tensor` as `body` fills a `Float` tensor of the same shape, then converts.
    ///
    /// Layers initialise through this: PyTorch builds models in float32 and converts them with
    /// `.to(torch.float64)`, so a `Double` model drawn in `Float` holds the same numbers as the
    /// PyTorch model after `torch.manual_seed(s)` and `.double()`.
    static func inFloat32<Scalar: TensorFloatingPoint>(_ tensor: Tensor<Scalar>, _ body: (Tensor<Float>) -> Void) {
        let values = Tensor<Float>.zeros(tensor.shape)
        body(values)
        tensor.assign(values.converted(to: Scalar.self))
    }
}
