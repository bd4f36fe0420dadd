import Foundation

/// Anneals each group's learning rate along a cosine from its base rate to `etaMin` over
/// `tMax` epochs, then back up, periodically (`torch.optim.lr_scheduler.CosineAnnealingLR`).
///
/// The rate follows the closed form of SGDR (without restarts),
///
/// ```
/// ηₜ = η_min + ½(η_base − η_min)(1 + cos(π t / T_max))
/// ```
///
/// but is computed, as in PyTorch, by the recursion
///
/// ```
/// ηₜ = η_min + (ηₜ₋₁ − η_min) · (1 + cos(π t / T_max)) / (1 + cos(π (t − 1) / T_max))
/// ηₜ = ηₜ₋₁ + (η_base − η_min)(1 − cos(π / T_max)) / 2     when (t − 1 − T_max) mod 2T_max = 0
/// ```
///
/// which agrees with the closed form up to rounding and chains with other changes to the rate.
public final class CosineAnnealingLR: LRScheduler {
    /// The number of epochs from the base rate down to `etaMin` (half a period).
    public let tMax: Int
    /// The minimum learning rate η_min.
    public let etaMin: Double

    /// Creates the scheduler; epoch 0 keeps the optimizer's learning rates.
    ///
    /// - Throws: ``SchedulerError/invalidArgument(scheduler:message:)`` if `tMax < 1`.
    public init(_ optimizer: any Optimizer, tMax: Int, etaMin: Double = 0) throws(SchedulerError) {
        guard tMax > 0 else {
            throw .invalidArgument(scheduler: "CosineAnnealingLR", message: "T_max must be positive, got \(tMax)")
        }
        self.tMax = tMax
        self.etaMin = etaMin
        super.init(name: "CosineAnnealingLR", optimizer: optimizer)
    }

    override func learningRates(current: [Double], isInitial: Bool) -> [Double] {
        if isInitial { return current }
        let epoch = Double(lastEpoch), period = Double(tMax)
        if (lastEpoch - 1 - tMax) % (2 * tMax) == 0 {
            return zip(current, baseLRs).map { lr, base in lr + (base - etaMin) * (1 - cos(Double.pi / period)) / 2 }
        }
        let ratio = (1 + cos(Double.pi * epoch / period)) / (1 + cos(Double.pi * (epoch - 1) / period))
        return current.map { lr in ratio * (lr - etaMin) + etaMin }
    }

    override func closedFormLearningRates() -> [Double]? {
        let cosine = 1 + cos(Double.pi * Double(lastEpoch) / Double(tMax))
        return baseLRs.map { etaMin + ($0 - etaMin) * cosine / 2 }
    }
}
