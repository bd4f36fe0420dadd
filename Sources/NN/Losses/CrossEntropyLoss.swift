import Tensor

/// The cross-entropy loss between logits and targets (`torch.nn.CrossEntropyLoss`).
///
/// With log p = ``logSoftmax`` of the input along the class dimension:
///
/// - class-index targets y (`Tensor<Int>`): l_n = (1 - ε) · (-w[y_n] log p[n, y_n])
///   + ε / C · (-Σ_c w[c] log p[n, c]), both terms 0 where y_n == ``ignoreIndex``; `.mean`
///   divides the sum by Σ w[y_n] over the elements not ignored (NaN if all are);
/// - class-probability targets t (same shape as the input): l_n = -Σ_c w[c] t'[n, c] log p[n, c]
///   with t' = (1 - ε) t + ε / C; `.mean` divides by the number of elements N·d1···dk
///   (``ignoreIndex`` does not apply).
///
/// ε is ``labelSmoothing``, w the class ``weight`` (1 when `nil`), C the number of classes.
///
/// Shapes: input `[C]`, `[N, C]` or `[N, C, d1, ..., dk]` (logits, not normalised); index
/// target `[]`, `[N]` or `[N, d1, ..., dk]`; probability target the input's shape; weight
/// `[C]`; result 0-d, or the per-element shape with `.none`.
///
/// ```swift
/// let criterion = CrossEntropyLoss<Float>()
/// let loss = criterion(logits.reshape(-1, vocabularySize), targets)  // [N, V] and [N] -> 0-d
/// ```
public struct CrossEntropyLoss<Scalar: TensorFloatingPoint> {
    /// Per-class weights `[C]` (`weight`); all 1 when `nil`.
    public var weight: Tensor<Scalar>?
    /// The class-index target value whose elements count for nothing (`ignore_index`).
    public var ignoreIndex: Int
    /// How per-element losses are combined (`reduction`).
    public var reduction: Reduction
    /// ε in [0, 1]: how much of the target is replaced by the uniform distribution (`label_smoothing`).
    public var labelSmoothing: Double

    /// Creates the loss (`nn.CrossEntropyLoss(weight=None, ignore_index=-100, reduction='mean',
    /// label_smoothing=0.0)`).
    public init(
        weight: Tensor<Scalar>? = nil, ignoreIndex: Int = -100, reduction: Reduction = .mean, labelSmoothing: Double = 0
    ) {
        self.weight = weight
        self.ignoreIndex = ignoreIndex
        self.reduction = reduction
        self.labelSmoothing = labelSmoothing
    }

    /// The loss of logits `input` against class indices `target`.
    public func callAsFunction(_ input: Tensor<Scalar>, _ target: Tensor<Int>) -> Tensor<Scalar> {
        crossEntropy(
            input, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction, labelSmoothing: labelSmoothing)
    }

    /// The loss of logits `input` against class probabilities `target` (same shape).
    public func callAsFunction(_ input: Tensor<Scalar>, _ target: Tensor<Scalar>) -> Tensor<Scalar> {
        crossEntropy(input, target, weight: weight, reduction: reduction, labelSmoothing: labelSmoothing)
    }
}

/// The cross-entropy loss of logits against class indices (`F.cross_entropy`); see
/// ``CrossEntropyLoss``.
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
public func crossEntropy<Scalar: TensorFloatingPoint>(
    _ input: Tensor<Scalar>, _ target: Tensor<Int>, weight: Tensor<Scalar>? = nil, ignoreIndex: Int = -100,
    reduction: Reduction = .mean, labelSmoothing: Double = 0
) -> Tensor<Scalar> {
    check(labelSmoothing >= 0 && labelSmoothing <= 1, "crossEntropy: labelSmoothing must be between 0.0 and 1.0, got \(labelSmoothing)")
    let (rows, elementShape) = ClassLayout.rows(input, op: "crossEntropy")
    let loss = ClassIndexLoss(
        logProbabilities: rows.logSoftmax(axis: 1), target: target, elementShape: elementShape, inputShape: input.shape,
        weight: weight, ignoreIndex: ignoreIndex, op: "crossEntropy")
    return loss.reduced(reduction, labelSmoothing: labelSmoothing)
}

/// The cross-entropy loss of logits against class probabilities of the same shape
/// (`F.cross_entropy` with a floating-point target); see ``CrossEntropyLoss``.
///
/// Backward: gradients flow to the target as well.
public func crossEntropy<Scalar: TensorFloatingPoint>(
    _ input: Tensor<Scalar>, _ target: Tensor<Scalar>, weight: Tensor<Scalar>? = nil, reduction: Reduction = .mean,
    labelSmoothing: Double = 0
) -> Tensor<Scalar> {
    check(labelSmoothing >= 0 && labelSmoothing <= 1, "crossEntropy: labelSmoothing must be between 0.0 and 1.0, got \(labelSmoothing)")
    check(
        target.shape == input.shape,
        "crossEntropy: expected a probability target of the input's shape \(input.shape), got \(target.shape)")
    let (rows, elementShape) = ClassLayout.rows(input, op: "crossEntropy")
    let classes = rows.shape[1]
    var probabilities = ClassLayout.rows(target, op: "crossEntropy").rows
    if labelSmoothing > 0 {
        probabilities = probabilities * Scalar(1 - labelSmoothing) + Scalar(labelSmoothing / Double(classes))
    }
    var products = rows.logSoftmax(axis: 1) * probabilities
    if let weights = ClassLayout.classWeights(weight, classes: classes, op: "crossEntropy") {
        products = products * Tensor(weights)
    }
    let losses = -products.sum(axis: 1)
    switch reduction {
    case .none: return losses.reshape(elementShape)
    case .sum: return losses.sum()
    case .mean: return losses.sum() / Scalar(rows.shape[0])
    }
}
