import Foundation

/// Cycles each group's learning rate between `baseLR` and `maxLR`, and its momentum inversely
/// between `maxMomentum` and `baseMomentum` (`torch.optim.lr_scheduler.CyclicLR`, the cyclical
/// learning rates of Smith, 2017). Call ``step()`` after every batch.
///
/// With `up` = `stepSizeUp`, `down` = `stepSizeDown` (default `up`), T = up + down, r = up / T
/// and t = ``lastEpoch`` (batches so far):
///
/// ```
/// cycle = ⌊1 + t / T⌋,   x = 1 + t / T − cycle                (position in the cycle, 0 ≤ x < 1)
/// s     = x / r  if x ≤ r,  else (x − 1) / (r − 1)             (0 → 1 → 0 over a cycle)
/// ηₜ    = base + (max − base) · s · f(k)
/// mₜ    = maxMomentum − (maxMomentum − baseMomentum) · s · f(k)
/// ```
///
/// where the scale f(k) is evaluated on k = cycle (`scaleMode` `.cycle`) or k = t
/// (`.iterations`): `.triangular` f = 1, `.triangular2` f(k) = 1 / 2^(k−1) (amplitude halved each
/// cycle), `.expRange` f(k) = γ^k on iterations; or a custom `scaleFn`, which overrides `mode`.
///
/// Creating the scheduler sets each group's learning rate to `baseLR` and, with
/// `cycleMomentum`, its momentum (SGD, RMSprop) or β₁ (Adam, AdamW) to `maxMomentum`. Not
/// chainable: each step sets the rates from the formula.
///
/// ```swift
/// let scheduler = try CyclicLR(optimizer, baseLR: 0.01, maxLR: 0.1, stepSizeUp: 10)
/// for batch in batches {
///     train(batch)
///     scheduler.step()
/// }
/// ```
public final class CyclicLR: LRScheduler {
    /// The built-in scale policies.
    public enum Mode: String, Sendable {
        /// f = 1: every cycle has the full amplitude.
        case triangular
        /// f(cycle) = 1 / 2^(cycle − 1): the amplitude halves every cycle.
        case triangular2
        /// f(t) = γ^t over iterations.
        case expRange = "exp_range"
    }

    /// What the scale function is evaluated on.
    public enum ScaleMode: String, Sendable {
        /// The cycle number, from 1.
        case cycle
        /// The number of batches since the start (``lastEpoch``).
        case iterations
    }

    /// The upper learning rate of each group (the peak of the first cycle).
    public let maxLRs: [Double]
    /// The number of batches in one cycle, T = up + down.
    public let totalSize: Double
    /// The fraction r of a cycle spent increasing.
    public let stepRatio: Double
    /// The built-in policy (ignored when `scaleFn` was given).
    public let mode: Mode
    /// The base γ of `.expRange`.
    public let gamma: Double
    /// What the scale function is evaluated on.
    public let scaleMode: ScaleMode
    /// Whether momentum is cycled inversely to the learning rate.
    public let cycleMomentum: Bool
    /// The lower momentum of each group (reached at the learning rate's peak).
    public let baseMomentums: [Double]
    /// The upper momentum of each group (at the start of a cycle).
    public let maxMomentums: [Double]
    private let scale: (Int) -> Double

    /// Creates the scheduler, sets the learning rates to `baseLR` and, with `cycleMomentum`,
    /// the momenta to `maxMomentum`; PyTorch's defaults.
    ///
    /// - Parameters:
    ///   - scaleFn: a custom scale f(k) with 0 ≤ f(k) ≤ 1, replacing `mode`; evaluated per
    ///     `scaleMode`.
    /// - Throws: ``SchedulerError/invalidArgument(scheduler:message:)`` if a list does not have
    ///   one value per group, `stepSizeUp < 1` or `stepSizeDown < 0` (PyTorch divides by zero
    ///   or runs backwards), or `cycleMomentum` is set for an optimizer without momentum.
    public init(
        _ optimizer: any Optimizer, baseLR: PerGroup, maxLR: PerGroup, stepSizeUp: Int = 2000,
        stepSizeDown: Int? = nil, mode: Mode = .triangular, gamma: Double = 1, scaleFn: ((Int) -> Double)? = nil,
        scaleMode: ScaleMode = .cycle, cycleMomentum: Bool = true, baseMomentum: PerGroup = 0.8,
        maxMomentum: PerGroup = 0.9
    ) throws(SchedulerError) {
        let groups = optimizer.learningRates.count
        let bases = try baseLR.resolved("base_lr", groups: groups, scheduler: "CyclicLR")
        maxLRs = try maxLR.resolved("max_lr", groups: groups, scheduler: "CyclicLR")
        let down = stepSizeDown ?? stepSizeUp
        guard stepSizeUp > 0 && down >= 0 else {
            throw .invalidArgument(
                scheduler: "CyclicLR", message: "expected step_size_up >= 1 and step_size_down >= 0, got \(stepSizeUp) and \(down)")
        }
        totalSize = Double(stepSizeUp) + Double(down)
        stepRatio = Double(stepSizeUp) / totalSize
        self.mode = mode
        self.gamma = gamma
        if let scaleFn {
            scale = scaleFn
            self.scaleMode = scaleMode
        } else {
            switch mode {
            case .triangular: scale = { _ in 1 }
            case .triangular2: scale = { 1 / pow(2.0, Double($0 - 1)) }
            case .expRange: scale = { pow(gamma, Double($0)) }
            }
            self.scaleMode = mode == .expRange ? .iterations : .cycle
        }
        self.cycleMomentum = cycleMomentum
        if cycleMomentum {
            guard optimizer.momenta != nil else {
                throw .invalidArgument(
                    scheduler: "CyclicLR", message: "optimizer must support momentum or beta1 with `cycle_momentum` option enabled")
            }
            baseMomentums = try baseMomentum.resolved("base_momentum", groups: groups, scheduler: "CyclicLR")
            maxMomentums = try maxMomentum.resolved("max_momentum", groups: groups, scheduler: "CyclicLR")
            optimizer.momenta = maxMomentums
        } else {
            baseMomentums = []
            maxMomentums = []
        }
        optimizer.learningRates = bases
        super.init(name: "CyclicLR", optimizer: optimizer)
        // As in PyTorch, the initial step used the groups' `initial_lr`; from now on the cycle
        // starts from `baseLR`.
        baseLRs = bases
    }

    override func learningRates(current: [Double], isInitial: Bool) -> [Double] {
        let t = Double(lastEpoch)
        let cycle = Int(floor(1 + t / totalSize))
        let x = 1.0 + t / totalSize - Double(cycle)
        let s = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1)
        let f = scale(scaleMode == .cycle ? cycle : lastEpoch)
        if cycleMomentum {
            optimizer.momenta = zip(baseMomentums, maxMomentums).map { base, max in max - (max - base) * s * f }
        }
        return zip(baseLRs, maxLRs).map { base, max in base + (max - base) * s * f }
    }
}
