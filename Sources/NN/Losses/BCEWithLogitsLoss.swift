import Tensor

/// Binary cross-entropy on logits, computed stably (`torch.nn.BCEWithLogitsLoss`):
///
///     l_n = -w_n [p · y_n · log σ(x_n) + (1 - y_n) · log(1 - σ(x_n))]
///         = w_n [(1 - y_n) x_n - (1 + (p - 1) y_n) · log σ(x_n)]
///
/// with w the ``weight`` and p the ``posWeight`` (1 when `nil`), reduced by ``reduction``.
///
/// Shapes: input x and target y of the same shape; weight broadcast to it; posWeight
/// broadcast along the last dimension (one weight per class, `[C]`); result 0-d, or the input's
/// shape with `.none`.
public struct BCEWithLogitsLoss<Scalar: TensorFloatingPoint> {
    /// A rescaling weight broadcast to the input (`weight`); 1 when `nil`.
    public var weight: Tensor<Scalar>?
    /// How per-element losses are combined (`reduction`).
    public var reduction: Reduction
    /// The weight of positive examples, per class (`pos_weight`); 1 when `nil`.
    public var posWeight: Tensor<Scalar>?

    /// Creates the loss (`nn.BCEWithLogitsLoss(weight=None, reduction='mean', pos_weight=None)`).
    public init(weight: Tensor<Scalar>? = nil, reduction: Reduction = .mean, posWeight: Tensor<Scalar>? = nil) {
        self.weight = weight
        self.reduction = reduction
        self.posWeight = posWeight
    }

    /// The loss of logits `input` against targets `target` in [0, 1].
    public func callAsFunction(_ input: Tensor<Scalar>, _ target: Tensor<Scalar>) -> Tensor<Scalar> {
        binaryCrossEntropyWithLogits(input, target, weight: weight, reduction: reduction, posWeight: posWeight)
    }
}

/// Binary cross-entropy on logits (`F.binary_cross_entropy_with_logits`); see
/// ``BCEWithLogitsLoss``. Backward: gradients flow to the input and the target.
public func binaryCrossEntropyWithLogits<Scalar: TensorFloatingPoint>(
    _ input: Tensor<Scalar>, _ target: Tensor<Scalar>, weight: Tensor<Scalar>? = nil, reduction: Reduction = .mean,
    posWeight: Tensor<Scalar>? = nil
) -> Tensor<Scalar> {
    check(
        target.shape == input.shape,
        "binaryCrossEntropyWithLogits: target size \(target.shape) must be the same as input size \(input.shape)")
    var logSigmoid = input.logSigmoid()
    if let posWeight { logSigmoid = logSigmoid * ((posWeight - 1) * target + 1) }
    var losses = (1 - target) * input - logSigmoid
    if let weight { losses = losses * weight }
    return reduction.apply(losses)
}
