import Tensor

/// The mean squared error (`torch.nn.MSELoss`): l_n = (input_n - target_n)², reduced by
/// ``reduction`` (mean over every element by default).
///
/// Shapes: input and target of the same shape (they are broadcast together, as PyTorch does);
/// result 0-d, or the broadcast shape with `.none`.
public struct MSELoss<Scalar: TensorFloatingPoint> {
    /// How per-element losses are combined (`reduction`).
    public var reduction: Reduction

    /// Creates the loss (`nn.MSELoss(reduction='mean')`).
    public init(reduction: Reduction = .mean) {
        self.reduction = reduction
    }

    /// The loss of `input` against `target`.
    public func callAsFunction(_ input: Tensor<Scalar>, _ target: Tensor<Scalar>) -> Tensor<Scalar> {
        mseLoss(input, target, reduction: reduction)
    }
}

/// The mean squared error (`F.mse_loss`); see ``MSELoss``. Backward: gradients flow to both
/// arguments.
public func mseLoss<Scalar: TensorFloatingPoint>(
    _ input: Tensor<Scalar>, _ target: Tensor<Scalar>, reduction: Reduction = .mean
) -> Tensor<Scalar> {
    reduction.apply((input - target).square())
}
