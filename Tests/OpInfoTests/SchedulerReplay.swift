import Foundation
import Optim
import Tensor

/// The `schedulers` cases: an SGD optimizer with one or two groups and a chain of schedulers,
/// each attached at its `start` epoch (so some are created mid-training); the learning rates
/// of every group after each of 30 epochs (and at epoch 0).
enum SchedulerReplay {
    static let epochs = 30

    /// The learning-rate lambdas the generator names.
    static let lambdas: [String: @Sendable (Int) -> Double] = [
        "inverse": { 1.0 / (1.0 + 0.3 * Double($0)) },
        "power": { pow(0.95, Double($0)) },
        "warmup": { Swift.min(1.0, Double($0 + 1) / 4) },
    ]

    static func run<S: TensorFloatingPoint>(_ c: OpInfoCase) throws -> Replay<S> {
        let lrs = (c.options["lrs"] as? [Any])?.compactMap { ($0 as? NSNumber)?.doubleValue } ?? []
        let metrics = (c.options["metrics"] as? [Any])?.compactMap { ($0 as? NSNumber)?.doubleValue } ?? []
        guard let chain = c.options["chain"] as? [[String: Any]], !lrs.isEmpty, metrics.count == epochs else {
            throw OpInfoError.malformed("scheduler case")
        }
        let optimizer = try SGD<Double>(lrs.map { lr in .init([Tensor.zeros([1], requiresGrad: true)]) { $0.lr = lr } })
        var steppers: [(Double) -> Void] = []
        var rates: [Double] = []
        for epoch in 0...epochs {
            for spec in chain where (spec["start"] as? NSNumber)?.intValue == epoch {
                let step = try attach(spec, to: optimizer)
                if let plateau = step as? ReduceLROnPlateau {
                    steppers.append { plateau.step($0) }
                } else if let scheduler = step as? LRScheduler {
                    steppers.append { _ in scheduler.step() }
                }
            }
            rates += optimizer.learningRates
            if epoch == epochs { break }
            optimizer.step()
            for stepper in steppers { stepper(metrics[epoch]) }
        }
        return Replay(outputs: [.doubles(shape: [epochs + 1, lrs.count], values: rates)])
    }

    /// The scheduler `spec` describes, attached to `optimizer`.
    private static func attach(_ spec: [String: Any], to optimizer: SGD<Double>) throws -> AnyObject {
        let number = { (key: String) in (spec[key] as? NSNumber)?.doubleValue }
        let int = { (key: String) in (spec[key] as? NSNumber)?.intValue ?? 0 }
        switch spec["type"] as? String {
        case "StepLR": return try StepLR(optimizer, stepSize: int("step_size"), gamma: number("gamma") ?? 0.1)
        case "MultiStepLR":
            let milestones = (spec["milestones"] as? [Any])?.compactMap { ($0 as? NSNumber)?.intValue } ?? []
            return MultiStepLR(optimizer, milestones: milestones, gamma: number("gamma") ?? 0.1)
        case "ExponentialLR": return ExponentialLR(optimizer, gamma: number("gamma") ?? 1)
        case "CosineAnnealingLR": return try CosineAnnealingLR(optimizer, tMax: int("T_max"), etaMin: number("eta_min") ?? 0)
        case "LambdaLR":
            guard let name = spec["lr_lambda"] as? String, let lambda = lambdas[name] else {
                throw OpInfoError.malformed("lr_lambda")
            }
            return LambdaLR(optimizer, lrLambda: lambda)
        case "LinearLR":
            return try LinearLR(
                optimizer, startFactor: number("start_factor") ?? 1.0 / 3, endFactor: number("end_factor") ?? 1,
                totalIters: int("total_iters"))
        case "ConstantLR": return try ConstantLR(optimizer, factor: number("factor") ?? 1.0 / 3, totalIters: int("total_iters"))
        case "MultiplicativeLR":
            guard let name = spec["lr_lambda"] as? String, let lambda = lambdas[name] else {
                throw OpInfoError.malformed("lr_lambda")
            }
            return MultiplicativeLR(optimizer, lrLambda: lambda)
        case "PolynomialLR": return PolynomialLR(optimizer, totalIters: int("total_iters"), power: number("power") ?? 1)
        case "ReduceLROnPlateau":
            return try ReduceLROnPlateau(
                optimizer, mode: ReduceLROnPlateau.Mode(rawValue: spec["mode"] as? String ?? "min") ?? .min,
                factor: number("factor") ?? 0.1, patience: int("patience"), threshold: number("threshold") ?? 1e-4,
                thresholdMode: ReduceLROnPlateau.ThresholdMode(rawValue: spec["threshold_mode"] as? String ?? "rel") ?? .relative,
                cooldown: int("cooldown"), minLR: number("min_lr") ?? 0, eps: number("eps") ?? 1e-8)
        case let other:
            throw OpInfoError.malformed("scheduler \(other ?? "?")")
        }
    }
}
