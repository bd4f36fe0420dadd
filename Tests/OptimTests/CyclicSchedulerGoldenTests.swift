import Foundation
import Optim
import Tensor
import Testing

/// OneCycleLR, CyclicLR, CosineAnnealingWarmRestarts (with fractional epochs), SequentialLR and
/// ChainedScheduler against PyTorch's learning rates and momenta (Golden/schedulers.json `runs`,
/// 1e-12 relative), over SGD, Adam, RMSprop and Adagrad with two groups (lr 0.1 and 0.02).
@Suite("Cyclic and composite schedulers against PyTorch")
struct CyclicSchedulerGoldenTests {
    struct Run: Decodable {
        let optimizer: String
        let steps: [Double?]
        let lr: [[Double]]
        let momentum: [[Double]]?
    }

    static let runs: [String: Run] = {
        struct File: Decodable { let runs: [String: Run] }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/schedulers.json")
        do {
            return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).runs
        } catch {
            fatalError("cannot read \(url.path): \(error); run Golden/make_scheduler_golden.py")
        }
    }()

    /// The optimizers of make_scheduler_golden.py's OPTIMIZERS over two groups.
    static func optimizer(_ name: String) throws -> any Optimizer<Double> {
        let parameters = [Tensor<Double>.zeros([1], requiresGrad: true), Tensor<Double>.zeros([1], requiresGrad: true)]
        switch name {
        case "sgd": return try SGD([.init([parameters[0]]) { $0.lr = 0.1 }, .init([parameters[1]]) { $0.lr = 0.02 }], momentum: 0.9)
        case "adam": return try Adam([.init([parameters[0]]) { $0.lr = 0.1 }, .init([parameters[1]]) { $0.lr = 0.02 }])
        case "rmsprop": return try RMSprop([.init([parameters[0]]) { $0.lr = 0.1 }, .init([parameters[1]]) { $0.lr = 0.02 }], momentum: 0.5)
        case "adagrad": return try Adagrad([.init([parameters[0]]) { $0.lr = 0.1 }, .init([parameters[1]]) { $0.lr = 0.02 }])
        default: fatalError("unknown optimizer \(name)")
        }
    }

    @Test("learning rates and momenta match PyTorch step by step", arguments: runs.keys.sorted())
    func rates(name: String) throws {
        let run = try #require(Self.runs[name])
        let optimizer = try Self.optimizer(run.optimizer)
        let scheduler = try #require(try Self.scheduler(name, optimizer), "no Swift mirror of case \(name)")
        var rates = [optimizer.learningRates], momenta = [optimizer.momenta ?? []]
        for epoch in run.steps {
            if let epoch {
                let restarts = try #require(scheduler as? CosineAnnealingWarmRestarts)
                restarts.step(epoch: epoch)
            } else {
                scheduler.step()
            }
            rates.append(optimizer.learningRates)
            momenta.append(optimizer.momenta ?? [])
        }
        #expect(worstRelativeError(rates.flatMap { $0 }, run.lr.flatMap { $0 }) < 1e-12, "\(name) lr: \(rates) vs \(run.lr)")
        #expect(scheduler.lastLR == optimizer.learningRates)
        if let expected = run.momentum {
            #expect(worstRelativeError(momenta.flatMap { $0 }, expected.flatMap { $0 }) < 1e-12, "\(name) momentum: \(momenta) vs \(expected)")
        }
        if let adam = optimizer as? Adam<Double> {
            #expect(adam.parameterGroups.allSatisfy { $0.options.betas.1 == 0.999 }, "β₂ is kept")
        }
    }

    /// The Swift spelling of each run of make_scheduler_golden.py.
    static func scheduler(_ name: String, _ o: any Optimizer<Double>) throws -> LRScheduler? {
        switch name {
        case "onecycle_default": return try OneCycleLR(o, maxLR: 0.1, totalSteps: 20)
        case "onecycle_three_phase_linear":
            return try OneCycleLR(
                o, maxLR: [0.5, 0.05], epochs: 3, stepsPerEpoch: 5, pctStart: 0.4, annealStrategy: .linear,
                baseMomentum: [0.8, 0.7], maxMomentum: 0.9, divFactor: 10, finalDivFactor: 100, threePhase: true)
        case "onecycle_three_phase_cos": return try OneCycleLR(o, maxLR: 0.3, totalSteps: 17, pctStart: 0.25, threePhase: true)
        case "onecycle_no_momentum": return try OneCycleLR(o, maxLR: [0.2, 0.1], totalSteps: 10, pctStart: 0.25, cycleMomentum: false)
        case "cyclic_triangular": return try CyclicLR(o, baseLR: 0.01, maxLR: 0.1, stepSizeUp: 4)
        case "cyclic_triangular2":
            return try CyclicLR(o, baseLR: [0.01, 0.001], maxLR: [0.1, 0.05], stepSizeUp: 3, stepSizeDown: 5, mode: .triangular2)
        case "cyclic_exp_range":
            return try CyclicLR(
                o, baseLR: 0.01, maxLR: 0.1, stepSizeUp: 2, mode: .expRange, gamma: 0.9, baseMomentum: 0.7, maxMomentum: 0.95)
        case "cyclic_scale_fn_cycle":
            return try CyclicLR(o, baseLR: 0.001, maxLR: 0.01, stepSizeUp: 3, scaleFn: { pow(0.5, Double($0)) })
        case "cyclic_scale_fn_iterations":
            return try CyclicLR(
                o, baseLR: 0.001, maxLR: 0.01, stepSizeUp: 2, stepSizeDown: 3, scaleFn: { 1 / (1 + 0.1 * Double($0)) },
                scaleMode: .iterations)
        case "cyclic_no_momentum":
            return try CyclicLR(o, baseLR: 0.05, maxLR: 0.2, stepSizeUp: 5, stepSizeDown: 1, cycleMomentum: false)
        case "warm_restarts": return try CosineAnnealingWarmRestarts(o, t0: 5)
        case "warm_restarts_mult": return try CosineAnnealingWarmRestarts(o, t0: 3, tMult: 2, etaMin: 0.001)
        case "warm_restarts_fractional": return try CosineAnnealingWarmRestarts(o, t0: 4, tMult: 2, etaMin: 0.0005)
        case "warm_restarts_fractional_mult1": return try CosineAnnealingWarmRestarts(o, t0: 3)
        case "warm_restarts_jumps": return try CosineAnnealingWarmRestarts(o, t0: 2, tMult: 3)
        case "sequential_constant_exponential":
            return try SequentialLR(o, schedulers: [try ConstantLR(o, factor: 0.1, totalIters: 3), ExponentialLR(o, gamma: 0.9)], milestones: [3])
        case "sequential_three":
            return try SequentialLR(
                o,
                schedulers: [
                    try LinearLR(o, startFactor: 0.25, totalIters: 4), try CosineAnnealingLR(o, tMax: 5, etaMin: 0.001),
                    try StepLR(o, stepSize: 2, gamma: 0.5),
                ], milestones: [4, 9])
        case "sequential_warm_restarts":
            return try SequentialLR(o, schedulers: [try LinearLR(o, totalIters: 2), try CosineAnnealingWarmRestarts(o, t0: 3)], milestones: [2])
        case "sequential_multistep_polynomial":
            return try SequentialLR(
                o, schedulers: [MultiStepLR(o, milestones: [1, 3], gamma: 0.5), PolynomialLR(o, totalIters: 4, power: 2)], milestones: [5])
        case "sequential_milestone_zero":
            return try SequentialLR(o, schedulers: [ExponentialLR(o, gamma: 0.5), try StepLR(o, stepSize: 3, gamma: 0.1)], milestones: [0])
        case "sequential_chained_first":
            let chain = try ChainedScheduler([try ConstantLR(o, factor: 0.5, totalIters: 2), ExponentialLR(o, gamma: 0.9)])
            return try SequentialLR(o, schedulers: [chain, try LinearLR(o, startFactor: 0.5, totalIters: 3)], milestones: [4])
        case "sequential_linear_cyclic":
            return try SequentialLR(
                o, schedulers: [try LinearLR(o, totalIters: 3), try CyclicLR(o, baseLR: 0.01, maxLR: 0.05, stepSizeUp: 2)],
                milestones: [3])
        case "chained_constant_exponential":
            return try ChainedScheduler([try ConstantLR(o, factor: 0.1, totalIters: 4), ExponentialLR(o, gamma: 0.9)])
        case "chained_three":
            return try ChainedScheduler(
                [try LinearLR(o, startFactor: 0.5, totalIters: 3), try StepLR(o, stepSize: 4, gamma: 0.5), try CosineAnnealingLR(o, tMax: 6)],
                optimizer: o)
        case "chained_warm_restarts_multistep":
            return try ChainedScheduler([try CosineAnnealingWarmRestarts(o, t0: 4), MultiStepLR(o, milestones: [2, 5], gamma: 0.5)])
        default: return nil
        }
    }

    @Test("bad arguments are refused with PyTorch's wording")
    func invalidArguments() throws {
        let sgd = try Self.optimizer("sgd"), adagrad = try Self.optimizer("adagrad"), other = try Self.optimizer("sgd")
        #expect(throws: SchedulerError.invalidArgument(
            scheduler: "OneCycleLR", message: "You must define either total_steps OR (epochs AND steps_per_epoch)")) {
            try OneCycleLR(sgd, maxLR: 0.1)
        }
        #expect(throws: SchedulerError.self) { try OneCycleLR(sgd, maxLR: 0.1, totalSteps: 10, pctStart: 1.5) }
        #expect(throws: SchedulerError.self) { try OneCycleLR(sgd, maxLR: [0.1, 0.2, 0.3], totalSteps: 10) }
        #expect(throws: SchedulerError.invalidArgument(
            scheduler: "CyclicLR", message: "optimizer must support momentum or beta1 with `cycle_momentum` option enabled")) {
            try CyclicLR(adagrad, baseLR: 0.01, maxLR: 0.1)
        }
        #expect(throws: SchedulerError.self) { try CyclicLR(sgd, baseLR: 0.01, maxLR: 0.1, stepSizeUp: 0) }
        #expect(throws: SchedulerError.self) { try CosineAnnealingWarmRestarts(sgd, t0: 0) }
        #expect(throws: SchedulerError.self) { try CosineAnnealingWarmRestarts(sgd, t0: 2, tMult: 0) }
        let exponential = ExponentialLR(sgd, gamma: 0.9), foreign = ExponentialLR(other, gamma: 0.9)
        #expect(throws: SchedulerError.self) { try SequentialLR(sgd, schedulers: [], milestones: []) }
        #expect(throws: SchedulerError.self) { try SequentialLR(sgd, schedulers: [exponential], milestones: [2]) }
        #expect(throws: SchedulerError.self) { try SequentialLR(sgd, schedulers: [exponential, foreign], milestones: [2]) }
        #expect(throws: SchedulerError.self) { try ChainedScheduler([]) }
        #expect(throws: SchedulerError.self) { try ChainedScheduler([exponential, foreign]) }
    }

    @Test("a composite's state dict restores its schedulers' progress")
    func compositeStateDict() throws {
        func make(_ o: any Optimizer<Double>) throws -> SequentialLR {
            try SequentialLR(
                o, schedulers: [try LinearLR(o, totalIters: 2), try CosineAnnealingWarmRestarts(o, t0: 3, tMult: 2)], milestones: [2])
        }
        let first = try Self.optimizer("sgd"), second = try Self.optimizer("sgd")
        let original = try make(first), restored = try make(second)
        for _ in 0..<6 { original.step() }
        try restored.loadStateDict(original.stateDict())
        second.learningRates = first.learningRates
        for _ in 0..<7 {
            original.step()
            restored.step()
            #expect(first.learningRates == second.learningRates)
        }
        var broken = original.stateDict()
        broken["_schedulers.1.T_i"] = "x"
        #expect(throws: SchedulerError.self) { try restored.loadStateDict(broken) }
    }

    @Test("OneCycleLR and CyclicLR resume from their state dicts with the optimizer's", arguments: ["onecycle_default", "cyclic_exp_range"])
    func resume(name: String) throws {
        let run = try #require(Self.runs[name])
        let first = try Self.optimizer(run.optimizer), second = try Self.optimizer(run.optimizer)
        let original = try #require(try Self.scheduler(name, first)), restored = try #require(try Self.scheduler(name, second))
        for _ in 0..<7 { original.step() }
        try restored.loadStateDict(original.stateDict())
        second.learningRates = first.learningRates
        second.momenta = first.momenta
        for _ in 0..<10 {
            original.step()
            restored.step()
            #expect(first.learningRates == second.learningRates && first.momenta == second.momenta)
        }
        #expect(second.learningRates == run.lr[17] && second.momenta == run.momentum?[17])
    }

    @Test("stepping OneCycleLR past its total steps, or CosineAnnealingWarmRestarts to a negative epoch, traps with PyTorch's message")
    func misuseTraps() async {
        let overstep = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let optimizer = try SGD([Tensor<Double>.zeros([1], requiresGrad: true)], lr: 0.1, momentum: 0.9)
            let scheduler = try OneCycleLR(optimizer, maxLR: 0.1, totalSteps: 3)
            for _ in 0..<4 { scheduler.step() }
        }
        let output = String(decoding: overstep?.standardErrorContent ?? [], as: UTF8.self)
        #expect(output.contains("OneCycleLR.step: Tried to step 4 times. The specified number of total steps is 3"), "\(output)")
        let negative = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let optimizer = try SGD([Tensor<Double>.zeros([1], requiresGrad: true)], lr: 0.1)
            try CosineAnnealingWarmRestarts(optimizer, t0: 2).step(epoch: -1)
        }
        let message = String(decoding: negative?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("Expected non-negative epoch, but got -1.0"), "\(message)")
    }
}
