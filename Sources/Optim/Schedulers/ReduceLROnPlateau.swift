/// Reduces each group's learning rate by `factor` when a monitored metric stops improving
/// for more than `patience` epochs (`torch.optim.lr_scheduler.ReduceLROnPlateau`).
///
/// Each ``step(_:)`` takes the epoch's metric (e.g. the validation loss). A value is an
/// improvement on the best so far if, in `.min` mode, it is below `best · (1 − threshold)`
/// (`.relative`) or `best − threshold` (`.absolute`), and in `.max` mode above
/// `best · (1 + threshold)` or `best + threshold`. After more than `patience` epochs without
/// improvement each group's rate becomes `max(η · factor, minLR)` — unless that changes it by
/// no more than `eps` — and the count restarts after `cooldown` epochs in which bad epochs
/// are ignored.
///
/// ```swift
/// let plateau = try ReduceLROnPlateau(optimizer, factor: 0.5, patience: 2)
/// for epoch in 0..<epochs {
///     train(epoch)
///     plateau.step(validationLoss())
/// }
/// ```
public final class ReduceLROnPlateau {
    /// Whether the metric should decrease (a loss) or increase (an accuracy).
    public enum Mode: String, Sendable {
        /// Lower is better.
        case min
        /// Higher is better.
        case max
    }

    /// How `threshold` defines a significant improvement.
    public enum ThresholdMode: String, Sendable {
        /// Relative to the best value (PyTorch's `"rel"`).
        case relative = "rel"
        /// In the metric's units (PyTorch's `"abs"`).
        case absolute = "abs"
    }

    /// The optimizer whose learning rates this scheduler reduces.
    public let optimizer: any Optimizer
    /// Whether lower or higher metric values are better.
    public let mode: Mode
    /// The factor by which rates are multiplied on a plateau (below 1).
    public let factor: Double
    /// The number of epochs without improvement tolerated before reducing.
    public let patience: Int
    /// The smallest change that counts as an improvement.
    public let threshold: Double
    /// Whether `threshold` is relative or absolute.
    public let thresholdMode: ThresholdMode
    /// The number of epochs after a reduction during which bad epochs are not counted.
    public let cooldown: Int
    /// The lower bound of each group's learning rate.
    public let minLRs: [Double]
    /// The smallest reduction that is applied; smaller ones are skipped.
    public let eps: Double

    /// The best metric seen so far (`+∞` in `.min` mode before any step, `−∞` in `.max`).
    public private(set) var best: Double
    /// The number of consecutive epochs without improvement.
    public private(set) var numBadEpochs = 0
    /// The number of cooldown epochs left.
    public private(set) var cooldownCounter = 0
    /// The number of ``step(_:)`` calls so far.
    public private(set) var lastEpoch = 0
    /// The learning rates after the last step, one per group (`get_last_lr()`).
    public private(set) var lastLR: [Double]

    /// Creates the scheduler with one lower bound for every group; PyTorch's defaults.
    ///
    /// - Throws: ``SchedulerError/invalidArgument(scheduler:message:)`` if `factor ≥ 1`.
    public convenience init(
        _ optimizer: any Optimizer, mode: Mode = .min, factor: Double = 0.1, patience: Int = 10,
        threshold: Double = 1e-4, thresholdMode: ThresholdMode = .relative, cooldown: Int = 0, minLR: Double = 0,
        eps: Double = 1e-8
    ) throws(SchedulerError) {
        try self.init(
            optimizer, mode: mode, factor: factor, patience: patience, threshold: threshold,
            thresholdMode: thresholdMode, cooldown: cooldown,
            minLRs: Array(repeating: minLR, count: optimizer.learningRates.count), eps: eps)
    }

    /// Creates the scheduler with a lower bound per group; PyTorch's defaults.
    ///
    /// - Throws: ``SchedulerError/invalidArgument(scheduler:message:)`` if `factor ≥ 1` or
    ///   `minLRs` does not have one value per parameter group.
    public init(
        _ optimizer: any Optimizer, mode: Mode = .min, factor: Double = 0.1, patience: Int = 10,
        threshold: Double = 1e-4, thresholdMode: ThresholdMode = .relative, cooldown: Int = 0, minLRs: [Double],
        eps: Double = 1e-8
    ) throws(SchedulerError) {
        guard factor < 1 else {
            throw .invalidArgument(scheduler: "ReduceLROnPlateau", message: "factor should be < 1.0, got \(factor)")
        }
        let groups = optimizer.learningRates.count
        guard minLRs.count == groups else {
            throw .invalidArgument(
                scheduler: "ReduceLROnPlateau", message: "expected \(groups) min_lrs, got \(minLRs.count)")
        }
        self.optimizer = optimizer
        self.mode = mode
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.thresholdMode = thresholdMode
        self.cooldown = cooldown
        self.minLRs = minLRs
        self.eps = eps
        best = mode == .min ? .infinity : -.infinity
        lastLR = optimizer.learningRates
    }

    /// Records one epoch's metric and reduces the learning rates if it has plateaued.
    public func step(_ metric: Double) {
        lastEpoch += 1
        if isBetter(metric) {
            best = metric
            numBadEpochs = 0
        } else {
            numBadEpochs += 1
        }
        if cooldownCounter > 0 {
            cooldownCounter -= 1
            numBadEpochs = 0
        }
        if numBadEpochs > patience {
            reduceLearningRates()
            cooldownCounter = cooldown
            numBadEpochs = 0
        }
        lastLR = optimizer.learningRates
    }

    private func isBetter(_ metric: Double) -> Bool {
        switch (mode, thresholdMode) {
        case (.min, .relative): metric < best * (1 - threshold)
        case (.min, .absolute): metric < best - threshold
        case (.max, .relative): metric > best * (threshold + 1)
        case (.max, .absolute): metric > best + threshold
        }
    }

    private func reduceLearningRates() {
        optimizer.learningRates = zip(optimizer.learningRates, minLRs).map { old, minimum in
            let new = Swift.max(old * factor, minimum)
            return old - new > eps ? new : old
        }
    }

    /// The scheduler's progress (`scheduler.state_dict()`): `best`, `num_bad_epochs`,
    /// `cooldown_counter`, `last_epoch` and `last_lr.<group>`, as strings in shortest
    /// round-trip form (`inf` for an infinite best), ready to be stored as file metadata.
    public func stateDict() -> [String: String] {
        var state = [
            "best": String(best), "num_bad_epochs": String(numBadEpochs), "cooldown_counter": String(cooldownCounter),
            "last_epoch": String(lastEpoch),
        ]
        for (group, lr) in lastLR.enumerated() { state["last_lr.\(group)"] = String(lr) }
        return state
    }

    /// Restores progress saved by ``stateDict()`` (`scheduler.load_state_dict`).
    ///
    /// - Throws: ``SchedulerError/invalidStateDict(scheduler:message:)`` if an entry is
    ///   missing or malformed, or the number of groups differs.
    public func loadStateDict(_ state: [String: String]) throws(SchedulerError) {
        func parse<T: LosslessStringConvertible>(_ key: String, as: T.Type) throws(SchedulerError) -> T {
            guard let text = state[key], let value = T(text) else {
                throw .invalidStateDict(scheduler: "ReduceLROnPlateau", message: "missing or malformed '\(key)'")
            }
            return value
        }
        let groups = lastLR.count
        guard state.count == 4 + groups else {
            throw .invalidStateDict(
                scheduler: "ReduceLROnPlateau", message: "expected entries for \(groups) groups, got keys \(state.keys.sorted())")
        }
        let loadedBest = try parse("best", as: Double.self)
        let loadedBad = try parse("num_bad_epochs", as: Int.self)
        let loadedCooldown = try parse("cooldown_counter", as: Int.self)
        let loadedEpoch = try parse("last_epoch", as: Int.self)
        var loadedLR: [Double] = []
        for group in 0..<groups { loadedLR.append(try parse("last_lr.\(group)", as: Double.self)) }
        best = loadedBest
        numBadEpochs = loadedBad
        cooldownCounter = loadedCooldown
        lastEpoch = loadedEpoch
        lastLR = loadedLR
    }
}
