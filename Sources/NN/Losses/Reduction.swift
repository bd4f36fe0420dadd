import Tensor

/// How a loss combines its per-element values (`reduction='mean'|'sum'|'none'`).
public enum Reduction: String, Sendable, CaseIterable {
    /// The (possibly weighted) mean, a 0-d tensor. PyTorch's default.
    case mean
    /// The sum, a 0-d tensor.
    case sum
    /// No reduction: one loss per element.
    case none
}

extension Reduction {
    /// `losses` reduced: their mean, their sum, or themselves.
    func apply<Scalar: TensorFloatingPoint>(_ losses: Tensor<Scalar>) -> Tensor<Scalar> {
        switch self {
        case .mean: losses.mean()
        case .sum: losses.sum()
        case .none: losses
        }
    }
}
