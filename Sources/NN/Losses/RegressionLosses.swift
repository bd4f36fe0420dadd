import Tensor

/// The mean absolute error (`torch.nn.L1Loss`): l_n = |input_n - target_n|, reduced by
/// ``reduction``. Shapes: input and target broadcast together; result 0-d, or the broadcast
/// shape with `.none`. Backward: sign(input - target) (0 where equal).
public struct L1Loss<Scalar: TensorFloatingPoint> {
    /// How per-element losses are combined (`reduction`).
    public var reduction: Reduction

    /// Creates the loss (`nn.L1Loss(reduction='mean')`).
    public init(reduction: Reduction = .mean) { self.reduction = reduction }

    /// The loss of `input` against `target`.
    public func callAsFunction(_ input: Tensor<Scalar>, _ target: Tensor<Scalar>) -> Tensor<Scalar> {
        reduction.apply((input - target).abs())
    }
}

/// The smooth L1 loss (`torch.nn.SmoothL1Loss(beta=1.0)`): with d = input - target,
/// l = 0.5 d² / β where |d| < β, else |d| - 0.5 β; β = 0 is the L1 loss. Reduced by ``reduction``.
public struct SmoothL1Loss<Scalar: TensorFloatingPoint> {
    /// How per-element losses are combined (`reduction`).
    public var reduction: Reduction
    /// Where the loss changes from quadratic to linear (`beta`, >= 0).
    public var beta: Scalar

    /// Creates the loss (`nn.SmoothL1Loss(reduction='mean', beta=1.0)`).
    /// - Precondition: `beta >= 0`.
    public init(reduction: Reduction = .mean, beta: Scalar = 1) {
        check(beta >= 0, "SmoothL1Loss: beta must be non-negative, got \(beta)")
        self.reduction = reduction
        self.beta = beta
    }

    /// The loss of `input` against `target`.
    public func callAsFunction(_ input: Tensor<Scalar>, _ target: Tensor<Scalar>) -> Tensor<Scalar> {
        let d = input - target, size = d.abs()
        guard beta > 0 else { return reduction.apply(size) }
        return reduction.apply(Tensor.where(size .< beta, d * d * (0.5 / beta), size - 0.5 * beta))
    }
}

/// The Huber loss (`torch.nn.HuberLoss(delta=1.0)`): with d = input - target,
/// l = 0.5 d² where |d| <= δ, else δ (|d| - 0.5 δ). Reduced by ``reduction``.
public struct HuberLoss<Scalar: TensorFloatingPoint> {
    /// How per-element losses are combined (`reduction`).
    public var reduction: Reduction
    /// Where the loss changes from quadratic to linear (`delta`, > 0).
    public var delta: Scalar

    /// Creates the loss (`nn.HuberLoss(reduction='mean', delta=1.0)`).
    /// - Precondition: `delta > 0`.
    public init(reduction: Reduction = .mean, delta: Scalar = 1) {
        check(delta > 0, "HuberLoss: delta must be positive, got \(delta)")
        self.reduction = reduction
        self.delta = delta
    }

    /// The loss of `input` against `target`.
    public func callAsFunction(_ input: Tensor<Scalar>, _ target: Tensor<Scalar>) -> Tensor<Scalar> {
        let d = input - target, size = d.abs()
        return reduction.apply(Tensor.where(size .<= delta, d * d * 0.5, (size - 0.5 * delta) * delta))
    }
}

/// The binary cross-entropy of probabilities (`torch.nn.BCELoss`): l_n = -w_n (y_n log x_n +
/// (1 - y_n) log(1 - x_n)), each logarithm clamped at -100 as in PyTorch, reduced by
/// ``reduction``. Prefer ``BCEWithLogitsLoss`` on logits.
///
/// Shapes: input (probabilities in [0, 1]) and target of the same shape; `weight` broadcasts to it.
public struct BCELoss<Scalar: TensorFloatingPoint> {
    /// How per-element losses are combined (`reduction`).
    public var reduction: Reduction
    /// Per-element weights (`weight`), or `nil`.
    public var weight: Tensor<Scalar>?

    /// Creates the loss (`nn.BCELoss(weight=None, reduction='mean')`).
    public init(weight: Tensor<Scalar>? = nil, reduction: Reduction = .mean) {
        self.weight = weight
        self.reduction = reduction
    }

    /// The loss of probabilities `input` against `target`.
    /// - Precondition: every input is in [0, 1].
    public func callAsFunction(_ input: Tensor<Scalar>, _ target: Tensor<Scalar>) -> Tensor<Scalar> {
        check(input.shape == target.shape, "BCELoss: target size \(target.shape) must be the same as input size \(input.shape)")
        check(
            input.withUnsafeBufferPointer { $0.allSatisfy { $0 >= 0 && $0 <= 1 } },
            "BCELoss: all elements of input should be between 0 and 1")
        let x = input.detach(), y = target.detach(), w = weight?.detach()
        let logP = x.log().clamp(min: -100), logQ = (1 - x).log().clamp(min: -100)
        var losses = -(y * logP + (1 - y) * logQ)
        if let w { losses = losses * w }
        // PyTorch's backward: dx = w (x - y) / max((1 - x) x, ε) with ε the float 1e-12, and
        // dy = w (log(1 - x) - log x) with the logarithms not clamped.
        losses = losses.recording("BinaryCrossEntropyBackward", [input, target]) { g in
            let weighted = w.map { g * $0 } ?? g
            let denominator = ((1 - x) * x).clamp(min: Scalar(Float(1e-12)))
            return [
                input.requiresGrad ? weighted * (x - y) / denominator : nil,
                target.requiresGrad ? weighted * ((1 - x).log() - x.log()) : nil,
            ]
        }
        return reduction.apply(losses)
    }
}

/// The Kullback-Leibler divergence loss (`torch.nn.KLDivLoss(reduction, log_target)`): the input
/// holds log-probabilities; with `logTarget` false the target holds probabilities and
/// l = y (log y - x) (0 where y = 0), with `logTarget` true it holds log-probabilities and
/// l = eʸ (y - x).
///
/// Reductions: `.mean` averages over every element (PyTorch's default, which does not give the
/// KL divergence), `.batchMean` sums and divides by the batch size `input.shape[0]` (the KL
/// divergence), `.sum`, `.none`.
public struct KLDivLoss<Scalar: TensorFloatingPoint> {
    /// How per-element losses are combined, with PyTorch's `'batchmean'`.
    public enum Reduction: String, Sendable, CaseIterable {
        /// The mean over every element (PyTorch's default).
        case mean
        /// The sum divided by the size of the first dimension (`'batchmean'`).
        case batchMean = "batchmean"
        /// The sum.
        case sum
        /// One loss per element.
        case none
    }

    /// How per-element losses are combined (`reduction`).
    public var reduction: Reduction
    /// Whether the target holds log-probabilities (`log_target`).
    public var logTarget: Bool

    /// Creates the loss (`nn.KLDivLoss(reduction='mean', log_target=False)`).
    public init(reduction: Reduction = .mean, logTarget: Bool = false) {
        self.reduction = reduction
        self.logTarget = logTarget
    }

    /// The loss of log-probabilities `input` against `target`.
    public func callAsFunction(_ input: Tensor<Scalar>, _ target: Tensor<Scalar>) -> Tensor<Scalar> {
        let losses: Tensor<Scalar>
        if logTarget {
            losses = target.exp() * (target - input)
        } else {
            losses = xlogy(target) - target * input
        }
        switch reduction {
        case .mean: return losses.mean()
        case .batchMean: return losses.sum() / Scalar(input.rank == 0 ? 1 : input.shape[0])
        case .sum: return losses.sum()
        case .none: return losses
        }
    }
}

/// y log y elementwise, 0 where y = 0 (PyTorch's `xlogy(y, y)`), with PyTorch's gradient:
/// (log y, or 0 where y = 0) + y / y, which is NaN at y = 0 as in PyTorch.
private func xlogy<Scalar: TensorFloatingPoint>(_ y: Tensor<Scalar>) -> Tensor<Scalar> {
    let values = y.detach()
    let logs = values.maskedFill(values .== 0, 1).log()
    return (values * logs).recording("XlogyBackward", [y]) { g in [g * (logs + values / values)] }
}
