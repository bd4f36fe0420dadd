import Foundation

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

/// Multiplies each group's learning rate by `lrLambda(t)` at every epoch t > 0
/// (`torch.optim.lr_scheduler.MultiplicativeLR`): ηₜ = ηₜ₋₁ · λ(t).
public final class MultiplicativeLR: LRScheduler {
    /// The factor function of each group.
    public let lrLambdas: [(Int) -> Double]

    /// Creates the scheduler with one factor function for every group; epoch 0 keeps the rates.
    public init(_ optimizer: any Optimizer, lrLambda: @escaping (Int) -> Double) {
        lrLambdas = Array(repeating: lrLambda, count: optimizer.learningRates.count)
        super.init(name: "MultiplicativeLR", optimizer: optimizer)
    }

    override func learningRates(current: [Double], isInitial: Bool) -> [Double] {
        lastEpoch > 0 ? zip(current, lrLambdas).map { $0 * $1(lastEpoch) } : current
    }
}

/// Decays each group's learning rate polynomially to 0 over `totalIters` epochs
/// (`torch.optim.lr_scheduler.PolynomialLR`), in PyTorch's chainable form:
///
/// ```
/// ηₜ = ηₜ₋₁ · ((1 - t / T) / (1 - (t - 1) / T))^power   for 0 < t <= T,   else ηₜ₋₁
/// ```
///
/// so ηₜ = η₀ (1 - t / T)^power.
public final class PolynomialLR: LRScheduler {
    /// The number of epochs T of the decay.
    public let totalIters: Int
    /// The power of the polynomial.
    public let power: Double

    /// Creates the scheduler; epoch 0 keeps the rates.
    public init(_ optimizer: any Optimizer, totalIters: Int = 5, power: Double = 1) {
        self.totalIters = totalIters
        self.power = power
        super.init(name: "PolynomialLR", optimizer: optimizer)
    }

    override func learningRates(current: [Double], isInitial: Bool) -> [Double] {
        if lastEpoch == 0 || lastEpoch > totalIters { return current }
        let t = Double(lastEpoch), total = Double(totalIters)
        let factor = Foundation.pow((1 - t / total) / (1 - (t - 1) / total), power)
        return current.map { $0 * factor }
    }

    override func closedFormLearningRates() -> [Double]? {
        let factor = Foundation.pow(1 - Double(min(totalIters, lastEpoch)) / Double(totalIters), power)
        return baseLRs.map { $0 * factor }
    }
}
