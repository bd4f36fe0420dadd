import Foundation

/// Multiplies each group's learning rate by `gamma` every epoch
/// (`torch.optim.lr_scheduler.ExponentialLR`).
///
/// ```
/// ηₜ = ηₜ₋₁ · γ     (so ηₜ = η₀ · γᵗ)
/// ```
public final class ExponentialLR: LRScheduler {
    /// The multiplicative factor γ.
    public let gamma: Double

    /// Creates the scheduler; epoch 0 keeps the optimizer's learning rates.
    public init(_ optimizer: any Optimizer, gamma: Double) {
        self.gamma = gamma
        super.init(name: "ExponentialLR", optimizer: optimizer)
    }

    override func learningRates(current: [Double], isInitial: Bool) -> [Double] {
        isInitial ? current : current.map { $0 * gamma }
    }

    override func closedFormLearningRates() -> [Double]? {
        baseLRs.map { $0 * pow(gamma, Double(lastEpoch)) }
    }
}
