/// Scales each group's learning rate by a factor changing linearly from `startFactor` to
/// `endFactor` over the first `totalIters` epochs, then keeps it (`torch.optim.lr_scheduler.LinearLR`),
/// in PyTorch's chainable form:
///
/// ```
/// η₀ = η · startFactor
/// ηₜ = ηₜ₋₁ · (1 + (end - start) / (totalIters · start + (t - 1)(end - start)))   for 0 < t <= totalIters
/// ηₜ = ηₜ₋₁                                                                      afterwards
/// ```
public final class LinearLR: LRScheduler {
    /// The factor at epoch 0.
    public let startFactor: Double
    /// The factor from epoch `totalIters` on.
    public let endFactor: Double
    /// The number of epochs the factor changes over.
    public let totalIters: Int

    /// Creates the scheduler and applies the start factor (epoch 0).
    ///
    /// - Throws: ``SchedulerError/invalidArgument(scheduler:message:)`` unless 0 < startFactor <= 1
    ///   and 0 <= endFactor <= 1.
    public init(_ optimizer: any Optimizer, startFactor: Double = 1.0 / 3, endFactor: Double = 1, totalIters: Int = 5)
        throws(SchedulerError)
    {
        guard startFactor > 0 && startFactor <= 1 else {
            throw .invalidArgument(scheduler: "LinearLR", message: "Starting multiplicative factor expected to be greater than 0 and less or equal to 1.")
        }
        guard endFactor >= 0 && endFactor <= 1 else {
            throw .invalidArgument(scheduler: "LinearLR", message: "Ending multiplicative factor expected to be between 0 and 1.")
        }
        self.startFactor = startFactor
        self.endFactor = endFactor
        self.totalIters = totalIters
        super.init(name: "LinearLR", optimizer: optimizer)
    }

    override func learningRates(current: [Double], isInitial: Bool) -> [Double] {
        if lastEpoch == 0 { return current.map { $0 * startFactor } }
        if lastEpoch > totalIters { return current }
        let change = endFactor - startFactor
        let factor = 1 + change / (Double(totalIters) * startFactor + Double(lastEpoch - 1) * change)
        return current.map { $0 * factor }
    }

    override func closedFormLearningRates() -> [Double]? {
        let factor = startFactor + (endFactor - startFactor) * Double(min(totalIters, lastEpoch)) / Double(totalIters)
        return baseLRs.map { $0 * factor }
    }
}
