import Foundation

/// Multiplies each group's learning rate by `gamma` every `stepSize` epochs
/// (`torch.optim.lr_scheduler.StepLR`).
///
/// ```
/// ηₜ = ηₜ₋₁ · γ   if t > 0 and t mod stepSize = 0,   else ηₜ₋₁
/// ```
///
/// so with base rate η₀ the rate at epoch t is `η₀ · γ^⌊t / stepSize⌋`.
public final class StepLR: LRScheduler {
    /// The period of the decay, in epochs.
    public let stepSize: Int
    /// The multiplicative factor γ.
    public let gamma: Double

    /// Creates the scheduler and sets epoch 0's learning rates (unchanged).
    ///
    /// - Throws: ``SchedulerError/invalidArgument(scheduler:message:)`` if `stepSize < 1`.
    public init(_ optimizer: any Optimizer, stepSize: Int, gamma: Double = 0.1) throws(SchedulerError) {
        guard stepSize > 0 else {
            throw .invalidArgument(scheduler: "StepLR", message: "step_size must be positive, got \(stepSize)")
        }
        self.stepSize = stepSize
        self.gamma = gamma
        super.init(name: "StepLR", optimizer: optimizer)
    }

    override func learningRates(current: [Double], isInitial: Bool) -> [Double] {
        lastEpoch == 0 || lastEpoch % stepSize != 0 ? current : current.map { $0 * gamma }
    }

    override func closedFormLearningRates() -> [Double]? {
        baseLRs.map { $0 * pow(gamma, Double(lastEpoch / stepSize)) }
    }
}
