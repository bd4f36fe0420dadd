import Optim
import Tensor

/// An optimizer described by name and options, as the `train` command's flags give it; options
/// left `nil` take PyTorch's defaults (the same rule as `torch_train.py`).
public struct OptimizerSpec: Equatable, Sendable {
    /// The optimizer families the examples know.
    public enum Kind: String, CaseIterable, Sendable {
        case sgd, adam, adamw, adagrad, rmsprop
    }

    /// Which optimizer.
    public var kind: Kind
    /// Learning rate (SGD: 1e-3, Adam/AdamW: 1e-3, Adagrad/RMSprop: 1e-2 by default).
    public var lr: Double?
    /// SGD and RMSprop momentum.
    public var momentum: Double?
    /// SGD dampening.
    public var dampening: Double?
    /// SGD Nesterov momentum.
    public var nesterov = false
    /// Adam/AdamW (beta1, beta2).
    public var betas: [Double]?
    /// Adam/AdamW AMSGrad.
    public var amsgrad = false
    /// RMSprop smoothing constant.
    public var alpha: Double?
    /// RMSprop centred variant.
    public var centered = false
    /// The denominator's epsilon (every optimizer but SGD).
    public var eps: Double?
    /// L2 penalty (decoupled for AdamW, default 1e-2 there).
    public var weightDecay: Double?
    /// Adagrad learning-rate decay.
    public var lrDecay: Double?
    /// Adagrad initial accumulator value.
    public var initialAccumulator: Double?

    /// An optimizer of this kind with every option at PyTorch's default.
    public init(_ kind: Kind, lr: Double? = nil) {
        self.kind = kind
        self.lr = lr
    }

    /// PyTorch's default learning rate of `kind`.
    public static func defaultLR(_ kind: Kind) -> Double {
        switch kind {
        case .sgd, .adam, .adamw: 1e-3
        case .adagrad, .rmsprop: 1e-2
        }
    }

    /// Builds the optimizer over `parameters`.
    ///
    /// - Throws: ``OptimizerError`` when an option is out of range (PyTorch's checks).
    public func make<Scalar: TensorFloatingPoint>(_ parameters: [Tensor<Scalar>]) throws(OptimizerError) -> any Optimizer<Scalar> {
        let wd = weightDecay ?? 0
        switch kind {
        case .sgd:
            return try SGD(
                parameters, lr: lr ?? Self.defaultLR(kind), momentum: momentum ?? 0, dampening: dampening ?? 0, weightDecay: wd,
                nesterov: nesterov)
        case .adam, .adamw:
            let betas = (self.betas?.first ?? 0.9, self.betas?.last ?? 0.999)
            if kind == .adam {
                return try Adam(parameters, lr: lr ?? Self.defaultLR(kind), betas: betas, eps: eps ?? 1e-8, weightDecay: wd, amsgrad: amsgrad)
            }
            return try AdamW(
                parameters, lr: lr ?? Self.defaultLR(kind), betas: betas, eps: eps ?? 1e-8, weightDecay: weightDecay ?? 1e-2, amsgrad: amsgrad)
        case .adagrad:
            return try Adagrad(
                parameters, lr: lr ?? Self.defaultLR(kind), lrDecay: lrDecay ?? 0, weightDecay: wd,
                initialAccumulatorValue: initialAccumulator ?? 0, eps: eps ?? 1e-10)
        case .rmsprop:
            return try RMSprop(
                parameters, lr: lr ?? Self.defaultLR(kind), alpha: alpha ?? 0.99, eps: eps ?? 1e-8, weightDecay: wd,
                momentum: momentum ?? 0, centered: centered)
        }
    }
}
