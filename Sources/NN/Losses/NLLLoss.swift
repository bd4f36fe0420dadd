import Tensor

/// The negative log likelihood loss on log-probabilities (`torch.nn.NLLLoss`): for element n with
/// target class y_n,
///
///     l_n = -w[y_n] · input[n, y_n]     (0 where y_n == ignoreIndex)
///
/// reduced by ``reduction``: `.mean` divides the sum by Σ w[y_n] over the elements not ignored
/// (NaN when every element is ignored, as in PyTorch); `.sum` adds; `.none` keeps `[N, d...]`.
///
/// Shapes: input `[C]`, `[N, C]` or `[N, C, d1, ..., dk]` (usually a ``logSoftmax`` along the
/// class dimension 1); target `Tensor<Int>` of shape `[]`, `[N]` or `[N, d1, ..., dk]` with values
/// in `0..<C` or `ignoreIndex`; weight `[C]`.
public struct NLLLoss<Scalar: TensorFloatingPoint> {
    /// Per-class weights `[C]` (`weight`); all 1 when `nil`.
    public var weight: Tensor<Scalar>?
    /// The target value whose elements count for nothing (`ignore_index`).
    public var ignoreIndex: Int
    /// How per-element losses are combined (`reduction`).
    public var reduction: Reduction

    /// Creates the loss (`nn.NLLLoss(weight=None, ignore_index=-100, reduction='mean')`).
    public init(weight: Tensor<Scalar>? = nil, ignoreIndex: Int = -100, reduction: Reduction = .mean) {
        self.weight = weight
        self.ignoreIndex = ignoreIndex
        self.reduction = reduction
    }

    /// The loss of log-probabilities `input` against class indices `target`.
    public func callAsFunction(_ input: Tensor<Scalar>, _ target: Tensor<Int>) -> Tensor<Scalar> {
        nllLoss(input, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction)
    }
}

/// The negative log likelihood loss (`F.nll_loss`); see ``NLLLoss``.
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
public func nllLoss<Scalar: TensorFloatingPoint>(
    _ input: Tensor<Scalar>, _ target: Tensor<Int>, weight: Tensor<Scalar>? = nil, ignoreIndex: Int = -100,
    reduction: Reduction = .mean
) -> Tensor<Scalar> {
    let (rows, elementShape) = ClassLayout.rows(input, op: "nllLoss")
    let loss = ClassIndexLoss(
        logProbabilities: rows, target: target, elementShape: elementShape, inputShape: input.shape, weight: weight,
        ignoreIndex: ignoreIndex, op: "nllLoss")
    return loss.reduced(reduction, labelSmoothing: 0)
}

/// The class-index losses shared by ``nllLoss(_:_:weight:ignoreIndex:reduction:)`` and
/// ``crossEntropy(_:_:weight:ignoreIndex:reduction:labelSmoothing:)``, on log-probability rows
/// `[M, C]`.
struct ClassIndexLoss<Scalar: TensorFloatingPoint> {
    /// log p, `[M, C]`.
    let logProbabilities: Tensor<Scalar>
    /// The per-element shape (`[]`, `[N]` or `[N, d...]`), the shape of `.none` results.
    let elementShape: [Int]
    /// The class weights, `nil` for all 1.
    let weights: [Scalar]?
    /// w[y_m] for each element, 0 where ignored.
    let elementWeights: [Scalar]
    /// The targets, flattened.
    let targets: [Int]
    /// Whether each element's target is the ignored index.
    let ignored: [Bool]

    init(
        logProbabilities: Tensor<Scalar>, target: Tensor<Int>, elementShape: [Int], inputShape: [Int],
        weight: Tensor<Scalar>?, ignoreIndex: Int, op: String
    ) {
        let classes = logProbabilities.shape[1]
        self.logProbabilities = logProbabilities
        self.elementShape = elementShape
        targets = ClassLayout.indices(target, elementShape: elementShape, inputShape: inputShape, op: op)
        weights = ClassLayout.classWeights(weight, classes: classes, op: op)
        ignored = targets.map { $0 == ignoreIndex }
        elementWeights = targets.map { [weights] y in
            if y == ignoreIndex { return 0 }
            check(y >= 0 && y < classes, "\(op): target \(y) is out of bounds for \(classes) classes")
            return weights?[y] ?? 1
        }
    }

    /// -w[y_m] log p[m, y_m] for each element, `[M]`.
    var negativeLogLikelihoods: Tensor<Scalar> { -logProbabilities.picking(columns: targets, scales: elementWeights) }

    /// -Σ_c w[c] log p[m, c] for each element, 0 where ignored, `[M]`: C times the loss against
    /// the uniform distribution (the label-smoothing term).
    var uniformTargetLosses: Tensor<Scalar> {
        let weighted = weights.map { logProbabilities * Tensor($0) } ?? logProbabilities
        let kept = Tensor<Bool>(shape: [ignored.count], scalars: ignored.map { !$0 })
        return (-weighted.sum(axis: 1)).where(kept, Tensor.zeros([ignored.count]))
    }

    /// The loss reduced as PyTorch reduces it: with smoothing ε, (1 - ε) · nll + smooth · ε / C,
    /// each term reduced on its own, where `.mean` divides both sums by Σ w[y_m]. For `[C]` and
    /// `[N, C]` inputs the likelihood sum and Σ w[y_m] are added in `nll_loss`'s order
    /// (``CascadeSum``), as PyTorch does; PyTorch reduces larger inputs in `nll_loss2d`, whose
    /// order is not reproduced.
    func reduced(_ reduction: Reduction, labelSmoothing: Double) -> Tensor<Scalar> {
        let smoothing = Scalar(labelSmoothing), classes = Scalar(logProbabilities.shape[1])
        if reduction == .none {
            let losses = negativeLogLikelihoods
            let smoothed = labelSmoothing > 0 ? (1 - smoothing) * losses + uniformTargetLosses * (smoothing / classes) : losses
            return smoothed.reshape(elementShape)
        }
        let inOrder = elementShape.count <= 1
        let nll = inOrder ? negativeLogLikelihoods.cascadeSum(skipping: ignored) : negativeLogLikelihoods.sum()
        let weightSum = inOrder
            ? CascadeSum.sum(count: elementWeights.count, skipped: { ignored[$0] }) { elementWeights[$0] }
            : elementWeights.reduce(0, +)
        let nllReduced = reduction == .mean ? nll / weightSum : nll
        guard labelSmoothing > 0 else { return nllReduced }
        let smooth = uniformTargetLosses.sum()
        let smoothReduced = reduction == .mean ? smooth / elementWeights.reduce(0, +) : smooth
        return (1 - smoothing) * nllReduced + smoothReduced * (smoothing / classes)
    }
}
