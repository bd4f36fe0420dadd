import Tensor

/// Adam: adaptive moment estimation, optionally AMSGrad (`torch.optim.Adam`).
///
/// For each parameter θ with gradient ∇f(θ), step t (from 1) computes
///
/// ```
/// g  ← −∇f(θ)  if maximize,  else ∇f(θ)
/// θ  ← θ(1 − γλ)                           if λ ≠ 0 and decoupledWeightDecay (AdamW)
/// g  ← g + λθ                              if λ ≠ 0 otherwise
/// m  ← β₁m + (1 − β₁)g                     (first moment, from m = 0)
/// v  ← β₂v + (1 − β₂)g²                    (second moment, from v = 0)
/// v̂  ← max(v̂, v)  if amsgrad,  else v      (from v̂ = 0)
/// θ  ← θ − (γ / (1 − β₁ᵗ)) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
/// ```
///
/// with learning rate γ (`lr`), `betas` (β₁, β₂), `eps` ε and weight decay λ. The bias
/// corrections `1 − βᵗ` are computed in `Double` and ε is added after dividing by
/// `√(1 − β₂ᵗ)`, exactly as in PyTorch, so trajectories agree with PyTorch's to rounding.
///
/// ```swift
/// let optimizer = try Adam(model.parameters(), lr: 1e-3)
/// ```
public final class Adam<Scalar: TensorFloatingPoint>: GroupedOptimizer<Scalar, AdamOptions> {
    /// Creates Adam over parameter groups, each starting from these options; PyTorch's defaults.
    ///
    /// - Throws: ``OptimizerError`` for a negative `lr`, `eps` or `weightDecay`, betas outside
    ///   `[0, 1)`, or bad parameters.
    public init(
        _ groups: [ParameterGroupSpec<Scalar, AdamOptions>], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
        eps: Double = 1e-8, weightDecay: Double = 0, amsgrad: Bool = false, maximize: Bool = false,
        decoupledWeightDecay: Bool = false
    ) throws(OptimizerError) {
        try super.init(
            name: "Adam", groups: groups,
            defaults: AdamOptions(
                lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad, maximize: maximize,
                decoupledWeightDecay: decoupledWeightDecay))
    }

    /// Creates Adam over `parameters` (one group); PyTorch's defaults.
    ///
    /// - Throws: ``OptimizerError`` for a negative `lr`, `eps` or `weightDecay`, betas outside
    ///   `[0, 1)`, or bad parameters.
    public convenience init(
        _ parameters: [Tensor<Scalar>], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
        weightDecay: Double = 0, amsgrad: Bool = false, maximize: Bool = false, decoupledWeightDecay: Bool = false
    ) throws(OptimizerError) {
        try self.init(
            [ParameterGroupSpec(parameters)], lr: lr, betas: betas, eps: eps, weightDecay: weightDecay,
            amsgrad: amsgrad, maximize: maximize, decoupledWeightDecay: decoupledWeightDecay)
    }
}
