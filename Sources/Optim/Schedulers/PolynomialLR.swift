import Foundation

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
