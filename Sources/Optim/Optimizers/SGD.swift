import Tensor

/// Stochastic gradient descent, optionally with momentum, Nesterov momentum, weight decay
/// (`torch.optim.SGD`).
///
/// For each parameter θ with gradient ∇f(θ), step t computes
///
/// ```
/// g  ← −∇f(θ)  if maximize,  else ∇f(θ)
/// g  ← g + λθ                              if λ ≠ 0        (weight decay)
/// if μ ≠ 0:                                                 (momentum)
///     b ← g                                if t = 1        (no dampening on the first step)
///     b ← μb + (1 − τ)g                    if t > 1
///     g ← g + μb  if nesterov,  else b
/// θ  ← θ − γg
/// ```
///
/// with learning rate γ (`lr`), momentum μ, dampening τ and weight decay λ. As in PyTorch,
/// the learning rate multiplies the whole step rather than the gradient inside the momentum
/// buffer, so changing `lr` mid-training takes effect at once.
///
/// ```swift
/// let optimizer = try SGD(model.parameters(), lr: 0.1, momentum: 0.9)
/// ```
public final class SGD<Scalar: TensorFloatingPoint>: GroupedOptimizer<Scalar, SGDOptions> {
    /// Creates SGD over parameter groups, each starting from these options; PyTorch's defaults.
    ///
    /// - Throws: ``OptimizerError`` for a negative `lr`, `momentum` or `weightDecay`, for
    ///   `nesterov` without momentum or with dampening, or for bad parameters.
    public init(
        _ groups: [ParameterGroupSpec<Scalar, SGDOptions>], lr: Double = 1e-3, momentum: Double = 0,
        dampening: Double = 0, weightDecay: Double = 0, nesterov: Bool = false, maximize: Bool = false
    ) throws(OptimizerError) {
        try super.init(
            name: "SGD", groups: groups,
            defaults: SGDOptions(
                lr: lr, momentum: momentum, dampening: dampening, weightDecay: weightDecay, nesterov: nesterov,
                maximize: maximize))
    }

    /// Creates SGD over `parameters` (one group); PyTorch's defaults.
    ///
    /// - Throws: ``OptimizerError`` for a negative `lr`, `momentum` or `weightDecay`, for
    ///   `nesterov` without momentum or with dampening, or for bad parameters.
    public convenience init(
        _ parameters: [Tensor<Scalar>], lr: Double = 1e-3, momentum: Double = 0, dampening: Double = 0,
        weightDecay: Double = 0, nesterov: Bool = false, maximize: Bool = false
    ) throws(OptimizerError) {
        try self.init(
            [ParameterGroupSpec(parameters)], lr: lr, momentum: momentum, dampening: dampening,
            weightDecay: weightDecay, nesterov: nesterov, maximize: maximize)
    }
}
