import Foundation
import Tensor

/// The 1cycle policy (`torch.optim.lr_scheduler.OneCycleLR`, Smith & Topin, 2017): each group's
/// learning rate rises from `maxLR / divFactor` to `maxLR`, then anneals far below the start,
/// while the momentum moves inversely between `maxMomentum` and `baseMomentum`. Call ``step()``
/// after every batch, `totalSteps` times at most.
///
/// With N = `totalSteps` (or `epochs · stepsPerEpoch`), p = `pctStart`, η₀ = maxLR / divFactor
/// and η_min = η₀ / finalDivFactor, the phases end at these steps:
///
/// ```
/// two phases (default):  η₀ → maxLR until pN − 1,  maxLR → η_min until N − 1
///                        (momentum maxMomentum → baseMomentum → maxMomentum)
/// threePhase:            η₀ → maxLR until pN − 1,  maxLR → η₀ until 2pN − 2,  η₀ → η_min until N − 1
///                        (momentum max → base → max, then constant)
/// ```
///
/// At step t, in the first phase whose end e ≥ t (or the last phase), starting where the
/// previous one ended (s, from 0), the value goes from `start` to `end` with pct = (t − s) / (e − s):
///
/// ```
/// cos:     end + (start − end) / 2 · (cos(π · pct) + 1)
/// linear:  (end − start) · pct + start
/// ```
///
/// Creating the scheduler sets each group's `initial_lr` (``Optimizer/initialLearningRates``) to
/// η₀ and, with `cycleMomentum`, its momentum (SGD, RMSprop) or β₁ (Adam, AdamW). Not chainable.
///
/// ```swift
/// let scheduler = try OneCycleLR(optimizer, maxLR: 0.01, epochs: 10, stepsPerEpoch: batches.count)
/// ```
public final class OneCycleLR: LRScheduler {
    /// How the learning rate moves within a phase.
    public enum AnnealStrategy: String, Sendable {
        /// Along half a cosine.
        case cos
        /// Along a straight line.
        case linear
    }

    /// The end points a phase moves between.
    private enum Point { case initial, max, min }
    private struct Phase {
        let endStep: Double
        let startLR: Point, endLR: Point
        let startMomentumIsMax: Bool, endMomentumIsMax: Bool
    }

    /// The number of steps N in the cycle.
    public let totalSteps: Int
    /// How values move within a phase.
    public let annealStrategy: AnnealStrategy
    /// Whether momentum is cycled inversely to the learning rate.
    public let cycleMomentum: Bool
    /// The starting learning rate η₀ = maxLR / divFactor of each group.
    public let initialLRs: [Double]
    /// The peak learning rate of each group.
    public let maxLRs: [Double]
    /// The final learning rate η₀ / finalDivFactor of each group.
    public let minLRs: [Double]
    /// The lowest momentum of each group (at the learning rate's peak).
    public let baseMomentums: [Double]
    /// The highest momentum of each group (at the start and end).
    public let maxMomentums: [Double]
    private let phases: [Phase]

    /// Creates the scheduler and sets epoch 0's learning rates (η₀) and momenta (`maxMomentum`);
    /// PyTorch's defaults. Give `totalSteps`, or `epochs` and `stepsPerEpoch`.
    ///
    /// - Throws: ``SchedulerError/invalidArgument(scheduler:message:)`` with PyTorch's wording
    ///   if the number of steps is missing or not positive, `pctStart` is outside [0, 1], a list
    ///   does not have one value per group, `cycleMomentum` is set for an optimizer without
    ///   momentum, or the first phase is empty (PyTorch divides by zero).
    public init(
        _ optimizer: any Optimizer, maxLR: PerGroup, totalSteps: Int? = nil, epochs: Int? = nil,
        stepsPerEpoch: Int? = nil, pctStart: Double = 0.3, annealStrategy: AnnealStrategy = .cos,
        cycleMomentum: Bool = true, baseMomentum: PerGroup = 0.85, maxMomentum: PerGroup = 0.95,
        divFactor: Double = 25, finalDivFactor: Double = 1e4, threePhase: Bool = false
    ) throws(SchedulerError) {
        func invalid(_ message: String) -> SchedulerError { .invalidArgument(scheduler: "OneCycleLR", message: message) }
        if let totalSteps {
            guard totalSteps > 0 else { throw invalid("Expected positive integer total_steps, but got \(totalSteps)") }
            self.totalSteps = totalSteps
        } else if let epochs, let stepsPerEpoch {
            guard epochs > 0 else { throw invalid("Expected positive integer epochs, but got \(epochs)") }
            guard stepsPerEpoch > 0 else {
                throw invalid("Expected positive integer steps_per_epoch, but got \(stepsPerEpoch)")
            }
            self.totalSteps = epochs * stepsPerEpoch
        } else {
            throw invalid("You must define either total_steps OR (epochs AND steps_per_epoch)")
        }
        let n = Double(self.totalSteps)
        if threePhase {
            phases = [
                Phase(endStep: pctStart * n - 1, startLR: .initial, endLR: .max, startMomentumIsMax: true, endMomentumIsMax: false),
                Phase(endStep: 2 * pctStart * n - 2, startLR: .max, endLR: .initial, startMomentumIsMax: false, endMomentumIsMax: true),
                Phase(endStep: n - 1, startLR: .initial, endLR: .min, startMomentumIsMax: true, endMomentumIsMax: true),
            ]
        } else {
            phases = [
                Phase(endStep: pctStart * n - 1, startLR: .initial, endLR: .max, startMomentumIsMax: true, endMomentumIsMax: false),
                Phase(endStep: n - 1, startLR: .max, endLR: .min, startMomentumIsMax: false, endMomentumIsMax: true),
            ]
        }
        guard pctStart >= 0 && pctStart <= 1 else {
            throw invalid("Expected float between 0 and 1 pct_start, but got \(pctStart)")
        }
        self.annealStrategy = annealStrategy
        let groups = optimizer.learningRates.count
        maxLRs = try maxLR.resolved("max_lr", groups: groups, scheduler: "OneCycleLR")
        initialLRs = maxLRs.map { $0 / divFactor }
        minLRs = initialLRs.map { $0 / finalDivFactor }
        self.cycleMomentum = cycleMomentum
        if cycleMomentum {
            guard optimizer.momenta != nil else {
                throw invalid("optimizer must support momentum or beta1 with `cycle_momentum` option enabled")
            }
            maxMomentums = try maxMomentum.resolved("max_momentum", groups: groups, scheduler: "OneCycleLR")
            baseMomentums = try baseMomentum.resolved("base_momentum", groups: groups, scheduler: "OneCycleLR")
        } else {
            maxMomentums = []
            baseMomentums = []
        }
        guard Self.locate(0, in: phases).length != 0 else {
            throw invalid("the first phase of the cycle is empty (pct_start · total_steps = 1)")
        }
        optimizer.initialLearningRates = initialLRs
        if cycleMomentum { optimizer.momenta = maxMomentums }
        super.init(name: "OneCycleLR", optimizer: optimizer)
    }

    /// The phase of step `t`, where it starts, and its length.
    private static func locate(_ t: Int, in phases: [Phase]) -> (phase: Phase, start: Double, length: Double) {
        var start = 0.0
        for (index, phase) in phases.enumerated() {
            if Double(t) <= phase.endStep || index == phases.count - 1 {
                return (phase, start, phase.endStep - start)
            }
            start = phase.endStep
        }
        fatalError("OneCycleLR: no phases")
    }

    private func anneal(_ start: Double, _ end: Double, _ pct: Double) -> Double {
        switch annealStrategy {
        case .cos: end + (start - end) / 2.0 * (cos(Double.pi * pct) + 1)
        case .linear: (end - start) * pct + start
        }
    }

    override func learningRates(current: [Double], isInitial: Bool) -> [Double] {
        check(
            lastEpoch <= totalSteps,
            "OneCycleLR.step: Tried to step \(lastEpoch) times. The specified number of total steps is \(totalSteps)")
        let (phase, start, length) = Self.locate(lastEpoch, in: phases)
        check(length != 0, "OneCycleLR.step: step \(lastEpoch) falls in an empty phase (PyTorch divides by zero)")
        let pct = (Double(lastEpoch) - start) / length
        if cycleMomentum {
            optimizer.momenta = zip(baseMomentums, maxMomentums).map { base, max in
                anneal(phase.startMomentumIsMax ? max : base, phase.endMomentumIsMax ? max : base, pct)
            }
        }
        return (0..<initialLRs.count).map { group in
            func value(_ point: Point) -> Double {
                switch point {
                case .initial: initialLRs[group]
                case .max: maxLRs[group]
                case .min: minLRs[group]
                }
            }
            return anneal(value(phase.startLR), value(phase.endLR), pct)
        }
    }
}
