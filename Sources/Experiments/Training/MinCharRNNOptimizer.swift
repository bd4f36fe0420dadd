import Tensor

/// The update rules of the NumPy coursework (min-char-rnn and its variants), which are not
/// PyTorch's: eps sits inside the square root, and there is no bias correction or step count.
///
/// For each parameter p with gradient g (already clipped) and memory m (from 0):
///
///     sgd:      p ← p + (−lr g)
///     adagrad:  m ← m + g ⊙ g;                        p ← p + (−lr g) / √(m + eps)
///     rmsprop:  m ← decay m + ((1 − decay) g) ⊙ g;    p ← p + (−lr g) / √(m + eps)
///
/// written in NumPy's order of operations (`param += -learning_rate * dparam / np.sqrt(mem + 1e-8)`).
/// PyTorch's `Adagrad` and `RMSprop` add eps after the square root instead.
public struct MinCharRNNOptimizer<Scalar: TensorFloatingPoint> {
    /// Which update rule.
    public enum Rule: String, CaseIterable, Sendable {
        case sgd, adagrad, rmsprop
    }

    /// The update rule.
    public var rule: Rule
    /// The learning rate.
    public var lr: Double
    /// The constant added to the memory inside the square root (adagrad, rmsprop).
    public var eps: Double
    /// RMSprop's decay rate of the memory.
    public var decay: Double
    /// The memory m of each parameter, by key (created at the first step).
    public private(set) var memory: [String: Tensor<Scalar>] = [:]

    /// An optimizer with these settings and empty memory.
    public init(_ rule: Rule, lr: Double, eps: Double = 1e-8, decay: Double = 0.9) {
        self.rule = rule
        self.lr = lr
        self.eps = eps
        self.decay = decay
    }

    /// Updates `parameter` (keyed `key`) in place with `gradient`.
    ///
    /// - Precondition: the shapes are equal.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public mutating func update(_ parameter: Tensor<Scalar>, key: String, gradient g: Tensor<Scalar>) {
        check(parameter.shape == g.shape, "MinCharRNNOptimizer: parameter \(key) has shape \(parameter.shape), gradient \(g.shape)")
        withNoGrad {
            let step = g * Scalar(-lr)
            switch rule {
            case .sgd:
                parameter.addInPlace(step)
            case .adagrad, .rmsprop:
                let m = memory[key] ?? Tensor.zeros(parameter.shape)
                let updated = rule == .adagrad ? m + g * g : m * Scalar(decay) + g * Scalar(1 - decay) * g
                memory[key] = updated
                parameter.addInPlace(step / (updated + Scalar(eps)).sqrt())
            }
        }
    }
}
