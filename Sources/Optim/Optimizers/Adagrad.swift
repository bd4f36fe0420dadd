import Tensor

/// Adagrad: per-element learning rates scaled by the accumulated squared gradients
/// (`torch.optim.Adagrad`).
///
/// For each parameter θ with gradient ∇f(θ), step t (from 1) computes
///
/// ```
/// g  ← −∇f(θ)  if maximize,  else ∇f(θ)
/// g  ← g + λθ                              if λ ≠ 0        (weight decay)
/// γ̃  ← γ / (1 + (t − 1)η)                                  (learning-rate decay)
/// s  ← s + g²                              (from s = τ, the initial accumulator value)
/// θ  ← θ − γ̃ · g / (√s + ε)
/// ```
///
/// with learning rate γ (`lr`), `lrDecay` η, `weightDecay` λ and `eps` ε.
///
/// As in PyTorch, the state of every parameter given at construction (step 0 and the sum)
/// is created at construction, from the initialiser's `initialAccumulatorValue`: a group's
/// own `initialAccumulatorValue` override is recorded but, like PyTorch's, not used for
/// those parameters. Groups added later with ``GroupedOptimizer/addParameterGroup(_:)`` start
/// from their own value.
///
/// ```swift
/// let optimizer = try Adagrad(model.parameters(), lr: 0.1)
/// ```
public final class Adagrad<Scalar: TensorFloatingPoint>: GroupedOptimizer<Scalar, AdagradOptions> {
    /// Creates Adagrad over parameter groups, each starting from these options; PyTorch's defaults.
    ///
    /// - Throws: ``OptimizerError`` for a negative `lr`, `lrDecay`, `weightDecay`,
    ///   `initialAccumulatorValue` or `eps`, or bad parameters.
    public init(
        _ groups: [ParameterGroupSpec<Scalar, AdagradOptions>], lr: Double = 1e-2, lrDecay: Double = 0,
        weightDecay: Double = 0, initialAccumulatorValue: Double = 0, eps: Double = 1e-10, maximize: Bool = false
    ) throws(OptimizerError) {
        try super.init(
            name: "Adagrad", groups: groups,
            defaults: AdagradOptions(
                lr: lr, lrDecay: lrDecay, weightDecay: weightDecay, initialAccumulatorValue: initialAccumulatorValue,
                eps: eps, maximize: maximize))
        for group in parameterGroups {
            group.states = group.parameters.map { defaults.makeState(for: $0) }
        }
    }

    /// Creates Adagrad over `parameters` (one group); PyTorch's defaults.
    ///
    /// - Throws: ``OptimizerError`` for a negative `lr`, `lrDecay`, `weightDecay`,
    ///   `initialAccumulatorValue` or `eps`, or bad parameters.
    public convenience init(
        _ parameters: [Tensor<Scalar>], lr: Double = 1e-2, lrDecay: Double = 0, weightDecay: Double = 0,
        initialAccumulatorValue: Double = 0, eps: Double = 1e-10, maximize: Bool = false
    ) throws(OptimizerError) {
        try self.init(
            [ParameterGroupSpec(parameters)], lr: lr, lrDecay: lrDecay, weightDecay: weightDecay,
            initialAccumulatorValue: initialAccumulatorValue, eps: eps, maximize: maximize)
    }
}
