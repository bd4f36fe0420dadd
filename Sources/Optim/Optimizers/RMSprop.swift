import Tensor

/// RMSprop: gradients divided by a running root mean square, optionally centered and with
/// momentum (`torch.optim.RMSprop`).
///
/// For each parameter θ with gradient ∇f(θ), step t computes
///
/// ```
/// g  ← −∇f(θ)  if maximize,  else ∇f(θ)
/// g  ← g + λθ                              if λ ≠ 0        (weight decay)
/// v  ← αv + (1 − α)g²                      (from v = 0)
/// if centered:
///     ḡ ← αḡ + (1 − α)g                    (from ḡ = 0)
///     d ← √(v − ḡ²) + ε
/// else:
///     d ← √v + ε                           (ε outside the square root)
/// if μ > 0:
///     b ← μb + g / d                       (from b = 0)
///     θ ← θ − γb
/// else:
///     θ ← θ − γ · g / d
/// ```
///
/// with learning rate γ (`lr`), smoothing constant α (`alpha`), `eps` ε, `weightDecay` λ
/// and `momentum` μ. Tuned settings such as `lr: 0.4, alpha: 0.5, eps: 1e-18` follow
/// PyTorch to rounding.
///
/// ```swift
/// let optimizer = try RMSprop(model.parameters(), lr: 0.01)
/// ```
public final class RMSprop<Scalar: TensorFloatingPoint>: GroupedOptimizer<Scalar, RMSpropOptions> {
    /// Creates RMSprop over parameter groups, each starting from these options; PyTorch's defaults.
    ///
    /// - Throws: ``OptimizerError`` for a negative `lr`, `alpha`, `eps`, `weightDecay` or
    ///   `momentum`, or bad parameters.
    public init(
        _ groups: [ParameterGroupSpec<Scalar, RMSpropOptions>], lr: Double = 1e-2, alpha: Double = 0.99,
        eps: Double = 1e-8, weightDecay: Double = 0, momentum: Double = 0, centered: Bool = false,
        maximize: Bool = false
    ) throws(OptimizerError) {
        try super.init(
            name: "RMSprop", groups: groups,
            defaults: RMSpropOptions(
                lr: lr, alpha: alpha, eps: eps, weightDecay: weightDecay, momentum: momentum, centered: centered,
                maximize: maximize))
    }

    /// Creates RMSprop over `parameters` (one group); PyTorch's defaults.
    ///
    /// - Throws: ``OptimizerError`` for a negative `lr`, `alpha`, `eps`, `weightDecay` or
    ///   `momentum`, or bad parameters.
    public convenience init(
        _ parameters: [Tensor<Scalar>], lr: Double = 1e-2, alpha: Double = 0.99, eps: Double = 1e-8,
        weightDecay: Double = 0, momentum: Double = 0, centered: Bool = false, maximize: Bool = false
    ) throws(OptimizerError) {
        try self.init(
            [ParameterGroupSpec(parameters)], lr: lr, alpha: alpha, eps: eps, weightDecay: weightDecay,
            momentum: momentum, centered: centered, maximize: maximize)
    }
}
