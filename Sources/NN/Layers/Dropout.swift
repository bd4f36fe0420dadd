import Tensor

/// Randomly zeroes elements during training (`torch.nn.Dropout`).
///
/// In training mode each element is kept with probability 1 - p and scaled by 1 / (1 - p), so
/// the expected output equals the input; in evaluation mode (``Module/eval()``) the input
/// passes through unchanged. Shape: unchanged.
///
/// The mask is drawn from ``generator`` (the same distribution as PyTorch's, not the same stream).
public final class Dropout<Scalar: TensorFloatingPoint>: Module<Scalar>, Layer {
    /// The probability of zeroing an element.
    public let p: Double
    /// The source of the masks.
    public let generator: Generator

    /// Creates a dropout layer (`nn.Dropout(p=0.5)`).
    ///
    /// - Precondition: `0 <= p <= 1`.
    public init(p: Double = 0.5, generator: Generator = .default) {
        check(p >= 0 && p <= 1, "Dropout: probability has to be between 0 and 1, but got \(p)")
        self.p = p
        self.generator = generator
        super.init()
    }

    /// `p=..., inplace=False`, as PyTorch prints it.
    public override var extraDescription: String { "p=\(p), inplace=False" }

    /// The input with dropout applied when training; the input itself otherwise.
    public func callAsFunction(_ input: Tensor<Scalar>) -> Tensor<Scalar> {
        input.droppingOut(p: p, training: isTraining, generator: generator)
    }
}

/// Zeroes each element with probability `p` and scales the rest by 1 / (1 - p) when `training`
/// (`F.dropout(input, p, training)`); returns `input` unchanged otherwise.
///
/// Backward: the gradient through the same mask and scale.
public func dropout<Scalar: TensorFloatingPoint>(
    _ input: Tensor<Scalar>, p: Double = 0.5, training: Bool = true, generator: Generator = .default
) -> Tensor<Scalar> {
    input.droppingOut(p: p, training: training, generator: generator)
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// ``dropout(_:p:training:generator:)`` of this tensor (a method, for layers whose `dropout`
    /// property hides the function).
    func droppingOut(p: Double, training: Bool, generator: Generator) -> Tensor {
        check(p >= 0 && p <= 1, "dropout: probability has to be between 0 and 1, but got \(p)")
        guard training, p > 0 else { return self }
        if p == 1 { return self * Tensor.zeros(shape) }
        let keep = 1 - p
        let scale = Scalar(1 / keep)
        let draws = Tensor<Double>.uniform(shape, generator: generator).scalars
        return self * Tensor(shape: shape, scalars: draws.map { $0 < keep ? scale : 0 })
    }
}
