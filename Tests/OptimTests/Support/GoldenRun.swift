import Foundation
import Optim
import Tensor
import Testing

/// A golden case rebuilt in Swift: the optimizer, its scheduler and clipping, over a ``TinyModel``.
struct GoldenRun<Scalar: TensorFloatingPoint> {
    let model: TinyModel<Scalar>
    let optimizer: any Optimizer<Scalar>
    /// Each group's hyperparameters as this library resolved them, under PyTorch's names.
    let resolvedGroups: [JSONValue]
    let scheduler: LRScheduler?
    let plateau: ReduceLROnPlateau?
    let goldenCase: GoldenData.Case

    /// The learning-rate lambdas the generator script names.
    static var lambdas: [String: (Int) -> Double] {
        ["inverse": { 1.0 / (1.0 + 0.3 * Double($0)) }, "power": { pow(0.95, Double($0)) }]
    }

    init(_ goldenCase: GoldenData.Case, model: TinyModel<Scalar> = TinyModel()) throws {
        self.goldenCase = goldenCase
        self.model = model
        (optimizer, resolvedGroups) = try Self.makeOptimizer(goldenCase, model: model)
        let spec = goldenCase.scheduler ?? [:]
        let number = { (key: String) in spec[key]?.double }
        switch spec["type"]?.string {
        case nil:
            (scheduler, plateau) = (nil, nil)
        case "StepLR":
            (scheduler, plateau) = (try StepLR(optimizer, stepSize: Int(number("step_size")!), gamma: number("gamma") ?? 0.1), nil)
        case "MultiStepLR":
            let milestones = spec["milestones"]!.array!.map { Int($0.double!) }
            (scheduler, plateau) = (MultiStepLR(optimizer, milestones: milestones, gamma: number("gamma") ?? 0.1), nil)
        case "ExponentialLR":
            (scheduler, plateau) = (ExponentialLR(optimizer, gamma: number("gamma")!), nil)
        case "CosineAnnealingLR":
            (scheduler, plateau) = (try CosineAnnealingLR(optimizer, tMax: Int(number("T_max")!), etaMin: number("eta_min") ?? 0), nil)
        case "LambdaLR":
            if let names = spec["lr_lambda"]!.array {
                (scheduler, plateau) = (try LambdaLR(optimizer, lrLambdas: names.map { Self.lambdas[$0.string!]! }), nil)
            } else {
                (scheduler, plateau) = (LambdaLR(optimizer, lrLambda: Self.lambdas[spec["lr_lambda"]!.string!]!), nil)
            }
        case "ReduceLROnPlateau":
            let groups = optimizer.learningRates.count
            let minLRs = spec["min_lr"]?.array?.map { $0.double! }
                ?? Array(repeating: number("min_lr") ?? 0, count: groups)
            let made = try ReduceLROnPlateau(
                optimizer, mode: ReduceLROnPlateau.Mode(rawValue: spec["mode"]?.string ?? "min")!,
                factor: number("factor") ?? 0.1, patience: Int(number("patience") ?? 10),
                threshold: number("threshold") ?? 1e-4,
                thresholdMode: ReduceLROnPlateau.ThresholdMode(rawValue: spec["threshold_mode"]?.string ?? "rel")!,
                cooldown: Int(number("cooldown") ?? 0), minLRs: minLRs)
            (scheduler, plateau) = (nil, made)
        case let other:
            throw GoldenError.unknown("scheduler \(other ?? "")")
        }
    }

    /// One training step as the generator takes it; returns the clipping norm, if any.
    func step() -> Double? {
        let loss = model.computeGradients(for: optimizer)
        var norm: Double?
        if let clip = goldenCase.clip {
            if clip["type"]?.string == "norm" {
                let normType = clip["norm_type"]!.double ?? (clip["norm_type"]!.string == "inf" ? .infinity : .nan)
                norm = clipGradNorm(model.parameters, maxNorm: Scalar(clip["max_norm"]!.double!), normType: Scalar(normType))
                    .doubleValue
            } else {
                clipGradValue(model.parameters, clipValue: Scalar(clip["clip_value"]!.double!))
            }
        }
        optimizer.step()
        scheduler?.step()
        plateau?.step(loss)
        return norm
    }

    private static func makeOptimizer(_ goldenCase: GoldenData.Case, model: TinyModel<Scalar>) throws
        -> (any Optimizer<Scalar>, [JSONValue])
    {
        let probe = [Tensor<Scalar>.zeros([1], requiresGrad: true)]
        switch goldenCase.optimizer {
        case "SGD":
            let o = try SGDOptions.decoding(try SGD(probe).defaults, overriddenBy: goldenCase.options)
            let optimizer = try SGD(
                try groups(goldenCase, model), lr: o.lr, momentum: o.momentum, dampening: o.dampening,
                weightDecay: o.weightDecay, nesterov: o.nesterov, maximize: o.maximize)
            return (optimizer, try optimizer.parameterGroups.map { try $0.options.jsonValue })
        case "Adam":
            let o = try AdamOptions.decoding(try Adam(probe).defaults, overriddenBy: goldenCase.options)
            let optimizer = try Adam(
                try groups(goldenCase, model), lr: o.lr, betas: o.betas, eps: o.eps, weightDecay: o.weightDecay,
                amsgrad: o.amsgrad, maximize: o.maximize, decoupledWeightDecay: o.decoupledWeightDecay)
            return (optimizer, try optimizer.parameterGroups.map { try $0.options.jsonValue })
        case "AdamW":
            let o = try AdamOptions.decoding(try AdamW(probe).defaults, overriddenBy: goldenCase.options)
            let optimizer = try AdamW(
                try groups(goldenCase, model), lr: o.lr, betas: o.betas, eps: o.eps, weightDecay: o.weightDecay,
                amsgrad: o.amsgrad, maximize: o.maximize)
            return (optimizer, try optimizer.parameterGroups.map { try $0.options.jsonValue })
        case "Adagrad":
            let o = try AdagradOptions.decoding(try Adagrad(probe).defaults, overriddenBy: goldenCase.options)
            let optimizer = try Adagrad(
                try groups(goldenCase, model), lr: o.lr, lrDecay: o.lrDecay, weightDecay: o.weightDecay,
                initialAccumulatorValue: o.initialAccumulatorValue, eps: o.eps, maximize: o.maximize)
            return (optimizer, try optimizer.parameterGroups.map { try $0.options.jsonValue })
        case "RMSprop":
            let o = try RMSpropOptions.decoding(try RMSprop(probe).defaults, overriddenBy: goldenCase.options)
            let optimizer = try RMSprop(
                try groups(goldenCase, model), lr: o.lr, alpha: o.alpha, eps: o.eps, weightDecay: o.weightDecay,
                momentum: o.momentum, centered: o.centered, maximize: o.maximize)
            return (optimizer, try optimizer.parameterGroups.map { try $0.options.jsonValue })
        default:
            throw GoldenError.unknown("optimizer \(goldenCase.optimizer)")
        }
    }

    /// The case's parameter groups (or one group of W, b, v, u) with their overrides.
    private static func groups<Options: OptimizerOptions>(_ goldenCase: GoldenData.Case, _ model: TinyModel<Scalar>)
        throws -> [ParameterGroupSpec<Scalar, Options>]
    {
        guard let groups = goldenCase.groups else { return [ParameterGroupSpec(model.parameters)] }
        return groups.map { group in
            ParameterGroupSpec(group.params.map(model.parameter)) { options in
                do {
                    options = try Options.decoding(options, overriddenBy: group.options ?? [:])
                } catch {
                    Issue.record("cannot apply group options \(group.options ?? [:]): \(error)")
                }
            }
        }
    }
}

enum GoldenError: Error {
    case unknown(String)
}
