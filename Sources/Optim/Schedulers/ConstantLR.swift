/// Scales each group's learning rate by `factor` for the first `totalIters` epochs, then
/// restores it (`torch.optim.lr_scheduler.ConstantLR`):
///
/// ```
/// η₀ = η · factor,   ηₜ = ηₜ₋₁ / factor at t = totalIters,   else ηₜ = ηₜ₋₁
/// ```
public final class ConstantLR: LRScheduler {
    /// The factor applied until epoch `totalIters`.
    public let factor: Double
    /// The epoch at which the rate is restored.
    public let totalIters: Int

    /// Creates the scheduler and applies the factor (epoch 0).
    ///
    /// - Throws: ``SchedulerError/invalidArgument(scheduler:message:)`` unless 0 <= factor <= 1.
    public init(_ optimizer: any Optimizer, factor: Double = 1.0 / 3, totalIters: Int = 5) throws(SchedulerError) {
        guard factor >= 0 && factor <= 1 else {
            throw .invalidArgument(scheduler: "ConstantLR", message: "Constant multiplicative factor expected to be between 0 and 1.")
        }
        self.factor = factor
        self.totalIters = totalIters
        super.init(name: "ConstantLR", optimizer: optimizer)
    }

    override func learningRates(current: [Double], isInitial: Bool) -> [Double] {
        if lastEpoch == 0 { return current.map { $0 * factor } }
        if lastEpoch != totalIters { return current }
        return current.map { $0 * (1 / factor) }
    }

    override func closedFormLearningRates() -> [Double]? {
        let restored = lastEpoch >= totalIters ? 1 - factor : 0
        return baseLRs.map { $0 * (factor + restored) }
    }
}
