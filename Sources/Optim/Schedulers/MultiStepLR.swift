import Foundation

/// Multiplies each group's learning rate by `gamma` at each milestone epoch
/// (`torch.optim.lr_scheduler.MultiStepLR`).
///
/// ```
/// ηₜ = ηₜ₋₁ · γᵏ   where k is the number of times t appears in milestones
/// ```
public final class MultiStepLR: LRScheduler {
    /// How many times each milestone epoch was given (a repeated milestone decays repeatedly).
    public let milestones: [Int: Int]
    /// The multiplicative factor γ.
    public let gamma: Double

    /// Creates the scheduler and sets epoch 0's learning rates.
    public init(_ optimizer: any Optimizer, milestones: [Int], gamma: Double = 0.1) {
        self.milestones = milestones.reduce(into: [:]) { counts, epoch in counts[epoch, default: 0] += 1 }
        self.gamma = gamma
        super.init(name: "MultiStepLR", optimizer: optimizer)
    }

    override func learningRates(current: [Double], isInitial: Bool) -> [Double] {
        guard let count = milestones[lastEpoch] else { return current }
        return current.map { $0 * pow(gamma, Double(count)) }
    }

    override func closedFormLearningRates() -> [Double]? {
        let passed = milestones.reduce(0) { count, milestone in milestone.key <= lastEpoch ? count + milestone.value : count }
        return baseLRs.map { $0 * pow(gamma, Double(passed)) }
    }
}
