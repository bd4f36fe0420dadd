import Foundation
import Optim
import Tensor

/// The `optimizer` cases: parameters p `[n]` and q `[2, 2]` (q in a second group, optionally
/// with its own learning rate) trained for 30 steps on the generator's objective
/// `Σ(½ c p² − p) + Σ(e q³)/3 + (Σp)(Σq)/4` by an optimizer with random options.
enum OptimizerReplay {
    static let steps = 30

    static func run<S: TensorFloatingPoint>(_ c: OpInfoCase, _ x: [Tensor<S>]) throws -> Replay<S> {
        let p = x[0].copy().requiringGrad(), q = x[1].copy().requiringGrad()
        let (coefficients, cubic) = (x[2].detach(), x[3].detach())
        guard let o = c.options["options"] as? [String: Any] else { throw OpInfoError.malformed("optimizer options") }
        let number = { (key: String) in (o[key] as? NSNumber)?.doubleValue ?? 0 }
        let flag = { (key: String) in o[key] as? Bool ?? false }
        let secondLR = c.optionalDouble("secondGroupLR")
        let optimizer: any Optimizer<S>
        switch try c.string("kind") {
        case "SGD":
            optimizer = try SGD(
                [.init([p]), .init([q]) { if let secondLR { $0.lr = secondLR } }], lr: number("lr"),
                momentum: number("momentum"), dampening: number("dampening"), weightDecay: number("weight_decay"),
                nesterov: flag("nesterov"), maximize: flag("maximize"))
        case "Adam", "AdamW":
            let betas = (o["betas"] as? [Any])?.compactMap { ($0 as? NSNumber)?.doubleValue } ?? []
            guard betas.count == 2 else { throw OpInfoError.malformed("betas") }
            if try c.string("kind") == "Adam" {
                optimizer = try Adam(
                    [.init([p]), .init([q]) { if let secondLR { $0.lr = secondLR } }], lr: number("lr"),
                    betas: (betas[0], betas[1]), eps: number("eps"), weightDecay: number("weight_decay"),
                    amsgrad: flag("amsgrad"), maximize: flag("maximize"), decoupledWeightDecay: flag("decoupled_weight_decay"))
            } else {
                optimizer = try AdamW(
                    [.init([p]), .init([q]) { if let secondLR { $0.lr = secondLR } }], lr: number("lr"),
                    betas: (betas[0], betas[1]), eps: number("eps"), weightDecay: number("weight_decay"),
                    amsgrad: flag("amsgrad"), maximize: flag("maximize"))
            }
        case "Adagrad":
            optimizer = try Adagrad(
                [.init([p]), .init([q]) { if let secondLR { $0.lr = secondLR } }], lr: number("lr"),
                lrDecay: number("lr_decay"), weightDecay: number("weight_decay"),
                initialAccumulatorValue: number("initial_accumulator_value"), eps: number("eps"), maximize: flag("maximize"))
        default:
            optimizer = try RMSprop(
                [.init([p]), .init([q]) { if let secondLR { $0.lr = secondLR } }], lr: number("lr"), alpha: number("alpha"),
                eps: number("eps"), weightDecay: number("weight_decay"), momentum: number("momentum"),
                centered: flag("centered"), maximize: flag("maximize"))
        }
        for _ in 0..<steps {
            optimizer.zeroGrad()
            let loss = (S(0.5) * coefficients * p * p - p).sum() + (cubic * q * q * q).sum() / 3 + (p.sum() * q.sum()) / 4
            loss.backward()
            optimizer.step()
        }
        return Replay([p.detach(), q.detach()])
    }
}
