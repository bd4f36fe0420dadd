import Tensor

/// Adam with decoupled weight decay (`torch.optim.AdamW`, Loshchilov & Hutter).
///
/// The update is ``Adam``'s, except that weight decay shrinks the parameter directly
/// instead of entering the moment estimates:
///
/// ```
/// g  ← −∇f(θ)  if maximize,  else ∇f(θ)
/// θ  ← θ(1 − γλ)                           (decoupled weight decay, default λ = 1e-2)
/// m  ← β₁m + (1 − β₁)g
/// v  ← β₂v + (1 − β₂)g²
/// v̂  ← max(v̂, v)  if amsgrad,  else v
/// θ  ← θ − (γ / (1 − β₁ᵗ)) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
/// ```
///
/// ```swift
/// let optimizer = try AdamW(model.parameters(), lr: 1e-3, weightDecay: 0.05)
/// ```
public final class AdamW<Scalar: TensorFloatingPoint>: GroupedOptimizer<Scalar, AdamOptions> {
    /// Creates AdamW over parameter groups, each starting from these options; PyTorch's defaults.
    ///
    /// - Throws: ``OptimizerError`` for a negative `lr`, `eps` or `weightDecay`, betas outside
    ///   `[0, 1)`, or bad parameters.
    public init(
        _ groups: [ParameterGroupSpec<Scalar, AdamOptions>], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
        eps: Double = 1e-8, weightDecay: Double = 1e-2, amsgrad: Bool = false, maximize: Bool = false
    ) throws(OptimizerError) {
        try super.init(
            name: "AdamW", groups: groups,
            defaults: AdamOptions(
                lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad, maximize: maximize,
                decoupledWeightDecay: true))
    }

    /// Creates AdamW over `parameters` (one group); PyTorch's defaults.
    ///
    /// - Throws: ``OptimizerError`` for a negative `lr`, `eps` or `weightDecay`, betas outside
    ///   `[0, 1)`, or bad parameters.
    public convenience init(
        _ parameters: [Tensor<Scalar>], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
        weightDecay: Double = 1e-2, amsgrad: Bool = false, maximize: Bool = false
    ) throws(OptimizerError) {
        try self.init(
            [ParameterGroupSpec(parameters)], lr: lr, betas: betas, eps: eps, weightDecay: weightDecay,
            amsgrad: amsgrad, maximize: maximize)
    }
}
