import Foundation
import Optim
import Tensor
import Testing

/// Learning-rate schedulers beyond the golden trajectories: closed forms, errors, state.
@Suite("Learning-rate schedulers")
struct SchedulerTests {
    private static func optimizer(lrs: [Double] = [1]) throws -> SGD<Double> {
        try SGD(lrs.map { lr in ParameterGroupSpec([Tensor<Double>.zeros([1], requiresGrad: true)]) { $0.lr = lr } })
    }

    /// The learning rates after each of `epochs` scheduler steps.
    private static func schedule(_ scheduler: LRScheduler, epochs: Int) -> [[Double]] {
        (0..<epochs).map { _ in
            scheduler.step()
            return scheduler.lastLR
        }
    }

    @Test("StepLR, MultiStepLR and ExponentialLR follow their closed forms")
    func closedForms() throws {
        let step = try StepLR(try Self.optimizer(lrs: [1, 0.5]), stepSize: 3, gamma: 0.5)
        #expect(step.lastEpoch == 0 && step.lastLR == [1, 0.5])
        for (epoch, lrs) in Self.schedule(step, epochs: 10).enumerated() {
            let factor = pow(0.5, Double((epoch + 1) / 3))
            #expect(lrs == [factor, 0.5 * factor])
        }
        let multi = MultiStepLR(try Self.optimizer(), milestones: [2, 5, 5], gamma: 0.1)
        let lrs = Self.schedule(multi, epochs: 6).map { $0[0] }
        #expect(worstRelativeError(lrs, [1, 0.1, 0.1, 0.1, 1e-3, 1e-3]) < 1e-15)
        let exponential = ExponentialLR(try Self.optimizer(), gamma: 0.9)
        #expect(exponential.lastLR == [1])
        let exponentialLRs = Self.schedule(exponential, epochs: 30).map { $0[0] }
        #expect(worstRelativeError(exponentialLRs, (1...30).map { pow(0.9, Double($0)) }) < 1e-14)
    }

    @Test("CosineAnnealingLR's recursion tracks the closed form over several periods")
    func cosineClosedForm() throws {
        let scheduler = try CosineAnnealingLR(try Self.optimizer(lrs: [0.2]), tMax: 5, etaMin: 0.01)
        for (index, lrs) in Self.schedule(scheduler, epochs: 23).enumerated() {
            let epoch = Double(index + 1)
            let closed = 0.01 + (0.2 - 0.01) * (1 + cos(Double.pi * epoch / 5)) / 2
            #expect(Swift.abs(lrs[0] - closed) < 1e-12, "epoch \(index + 1)")
        }
    }

    @Test("LambdaLR sets the first rate at creation and each group follows its own function")
    func lambdaPerGroup() throws {
        let optimizer = try Self.optimizer(lrs: [1, 2])
        let scheduler = try LambdaLR(optimizer, lrLambdas: [{ _ in 0.5 }, { Double($0 + 1) }])
        #expect(optimizer.learningRates == [0.5, 2])
        scheduler.step()
        scheduler.step()
        #expect(optimizer.learningRates == [0.5, 6])
        #expect(scheduler.baseLRs == [1, 2])
    }

    @Test("schedulers chain: each rescales the rate the other left")
    func chaining() throws {
        let optimizer = try Self.optimizer()
        let exponential = ExponentialLR(optimizer, gamma: 0.5)
        let step = try StepLR(optimizer, stepSize: 2, gamma: 0.1)
        exponential.step()
        step.step()
        #expect(optimizer.learningRates == [0.5])
        exponential.step()
        step.step()
        #expect(worstRelativeError(optimizer.learningRates, [0.025]) < 1e-15)
    }

    /// PyTorch 2.15 (checked there): after ExponentialLR(0.5) has stepped twice (lr 0.25), a
    /// LambdaLR and then a CosineAnnealingLR take `initial_lr` = 1 as their base, not 0.25.
    @Test("a scheduler created later takes its base rate from the group's initial_lr")
    func baseFromInitialLR() throws {
        let optimizer = try Self.optimizer()
        #expect(optimizer.initialLearningRates == [nil])
        let exponential = ExponentialLR(optimizer, gamma: 0.5)
        #expect(optimizer.initialLearningRates == [1])
        exponential.step()
        exponential.step()
        #expect(optimizer.learningRates == [0.25])
        let lambda = LambdaLR(optimizer) { Double($0 + 1) }
        #expect(lambda.baseLRs == [1] && optimizer.learningRates == [1])
        let cosine = try CosineAnnealingLR(optimizer, tMax: 2)
        #expect(cosine.baseLRs == [1] && optimizer.initialLearningRates == [1])
        let rates = Self.schedule(cosine, epochs: 4).map { $0[0] }
        #expect(rates == [0.5, 0, 0.49999999999999994, 1])
        let saved = optimizer.stateDict()
        #expect(saved.metadata["param_groups"]!.contains("\"initial_lr\":1"))
        let fresh = try Self.optimizer()
        try fresh.loadStateDict(saved)
        #expect(fresh.initialLearningRates == [1])
    }

    @Test("ReduceLROnPlateau waits `patience` bad epochs, respects minLR and eps, then cools down")
    func plateau() throws {
        let optimizer = try Self.optimizer(lrs: [1, 0.02])
        let scheduler = try ReduceLROnPlateau(optimizer, factor: 0.5, patience: 1, cooldown: 1, minLRs: [0, 0.015], eps: 0.001)
        scheduler.step(10)
        scheduler.step(10)
        #expect(optimizer.learningRates == [1, 0.02], "one bad epoch is within patience")
        scheduler.step(10)
        #expect(optimizer.learningRates == [0.5, 0.015], "reduced by the factor, the second clamped to its minimum")
        scheduler.step(10)
        scheduler.step(10)
        #expect(optimizer.learningRates == [0.5, 0.015], "cooldown, then one bad epoch")
        scheduler.step(10)
        #expect(optimizer.learningRates == [0.25, 0.015], "a change of 0 ≤ eps is skipped")
        scheduler.step(9)
        #expect(scheduler.best == 9 && scheduler.numBadEpochs == 0)
        #expect(scheduler.lastLR == optimizer.learningRates)
    }

    @Test("ReduceLROnPlateau in max mode with an absolute threshold")
    func plateauMaxAbsolute() throws {
        let optimizer = try Self.optimizer()
        let scheduler = try ReduceLROnPlateau(optimizer, mode: .max, factor: 0.1, patience: 0, threshold: 0.5, thresholdMode: .absolute)
        scheduler.step(1)
        scheduler.step(1.4)
        #expect(optimizer.learningRates == [0.1], "an increase of 0.4 < threshold is not an improvement")
        scheduler.step(2)
        #expect(optimizer.learningRates == [0.1])
        #expect(scheduler.best == 2)
    }

    @Test("invalid scheduler arguments are rejected")
    func rejectsInvalidArguments() throws {
        let optimizer = try Self.optimizer(lrs: [1, 1])
        #expect(throws: SchedulerError.invalidArgument(scheduler: "StepLR", message: "step_size must be positive, got 0")) {
            try StepLR(optimizer, stepSize: 0)
        }
        #expect(throws: SchedulerError.invalidArgument(scheduler: "CosineAnnealingLR", message: "T_max must be positive, got 0")) {
            try CosineAnnealingLR(optimizer, tMax: 0)
        }
        #expect(throws: SchedulerError.invalidArgument(scheduler: "LambdaLR", message: "expected 2 lr_lambdas, but got 1")) {
            try LambdaLR(optimizer, lrLambdas: [{ _ in 1 }])
        }
        #expect(throws: SchedulerError.invalidArgument(scheduler: "ReduceLROnPlateau", message: "factor should be < 1.0, got 1.0")) {
            try ReduceLROnPlateau(optimizer, factor: 1)
        }
        #expect(throws: SchedulerError.invalidArgument(scheduler: "ReduceLROnPlateau", message: "expected 2 min_lrs, got 3")) {
            try ReduceLROnPlateau(optimizer, minLRs: [0, 0, 0])
        }
        #expect(optimizer.learningRates == [1, 1], "a rejected scheduler must not touch the optimizer")
    }

    @Test("a scheduler's state dict restores its progress")
    func stateDictRoundTrip() throws {
        let original = try CosineAnnealingLR(try Self.optimizer(lrs: [0.3, 0.1]), tMax: 4)
        _ = Self.schedule(original, epochs: 3)
        let restoredOptimizer = try Self.optimizer(lrs: [0.3, 0.1])
        let restored = try CosineAnnealingLR(restoredOptimizer, tMax: 4)
        try restored.loadStateDict(original.stateDict())
        restoredOptimizer.learningRates = original.optimizer.learningRates
        #expect(restored.lastEpoch == 3)
        #expect(Self.schedule(restored, epochs: 6) == Self.schedule(original, epochs: 6))
        #expect(throws: SchedulerError.invalidStateDict(scheduler: "CosineAnnealingLR", message: "missing or malformed 'last_epoch'")) {
            try restored.loadStateDict(["base_lrs.0": "1"])
        }

        let plateau = try ReduceLROnPlateau(try Self.optimizer(), patience: 3)
        #expect(plateau.stateDict()["best"] == "inf")
        plateau.step(2)
        plateau.step(3)
        let plateauCopy = try ReduceLROnPlateau(try Self.optimizer(), patience: 3)
        try plateauCopy.loadStateDict(plateau.stateDict())
        #expect(plateauCopy.best == 2 && plateauCopy.numBadEpochs == 1 && plateauCopy.lastEpoch == 2)
        #expect(throws: SchedulerError.self) { try plateauCopy.loadStateDict(["best": "x"]) }
    }
}
