import Foundation
import Optim
import Tensor
import Testing

/// `print(optimizer)` against PyTorch's `repr(optimizer)` (Golden/optimizer_repr.json).
@Suite("Printed optimizers against PyTorch")
struct OptimizerDescriptionTests {
    static let golden: [String: String] = {
        struct File: Decodable { let cases: [String: String] }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/optimizer_repr.json")
        do {
            return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
        } catch {
            fatalError("cannot read \(url.path): \(error); run Golden/make_optimizer_repr_golden.py")
        }
    }()

    @Test("String(describing:) equals PyTorch's repr", arguments: golden.keys.sorted())
    func description(name: String) throws {
        let expected = try #require(Self.golden[name])
        let p = Tensor<Double>.zeros([2], requiresGrad: true), q = Tensor<Double>.zeros([3], requiresGrad: true)
        let optimizer = try #require(try Self.optimizer(name, p, q), "no Swift mirror of case \(name)")
        #expect(String(describing: optimizer) == expected)
    }

    /// The Swift spelling of each case of make_optimizer_repr_golden.py.
    static func optimizer(_ name: String, _ p: Tensor<Double>, _ q: Tensor<Double>) throws -> (any Optimizer<Double>)? {
        switch name {
        case "sgd_default": return try SGD([p, q])
        case "sgd_options_two_groups":
            return try SGD(
                [.init([p]), .init([q]) { $0.lr = 0.01; $0.momentum = 0.5; $0.weightDecay = 0 }],
                lr: 0.1, momentum: 0.9, weightDecay: 5e-4, nesterov: true)
        case "sgd_dampening_maximize": return try SGD([p, q], lr: 12345.678, momentum: 1, dampening: 0.25, maximize: true)
        case "sgd_scheduled":
            let optimizer = try SGD([.init([p]), .init([q]) { $0.lr = 2.5e-05 }], lr: 0.1)
            ExponentialLR(optimizer, gamma: 0.5).step()
            return optimizer
        case "adam_default": return try Adam([p, q])
        case "adam_options_two_groups":
            return try Adam(
                [.init([p]) { $0.betas = (0.5, 0.75) }, .init([q]) { $0.amsgrad = false; $0.eps = 1e-18 }],
                lr: 1e-2, betas: (0.8, 0.99), eps: 1e-10, weightDecay: 0.0001, amsgrad: true, maximize: true)
        case "adam_decoupled": return try Adam([p, q], lr: 3e16, weightDecay: 2, decoupledWeightDecay: true)
        case "adamw_default": return try AdamW([p, q])
        case "adamw_options_two_groups":
            return try AdamW([.init([p]), .init([q]) { $0.weightDecay = 0 }], lr: 0.003, weightDecay: 0.1, amsgrad: true)
        case "adagrad_default": return try Adagrad([p, q])
        case "adagrad_options_two_groups":
            return try Adagrad(
                [.init([p]), .init([q]) { $0.lrDecay = 0.001; $0.initialAccumulatorValue = 0.1 }],
                lr: 0.1, lrDecay: 1, weightDecay: 0.01, initialAccumulatorValue: 2, eps: 1e-06, maximize: true)
        case "rmsprop_default": return try RMSprop([p, q])
        case "rmsprop_options_two_groups":
            return try RMSprop(
                [.init([p]) { $0.centered = false }, .init([q]) { $0.momentum = 0; $0.alpha = 0.9 }],
                lr: 0.4, alpha: 0.5, eps: 1e-18, weightDecay: 0.5, momentum: 0.25, centered: true)
        default: return nil
        }
    }

    @Test("Python's float layout: positional from 1e-4 to below 1e16, scientific outside")
    func floatLayout() throws {
        // Python 3: repr of each value (print(repr(x))).
        let cases: [(Double, String)] = [
            (0.001, "0.001"), (1e-08, "1e-08"), (0.0001, "0.0001"), (0.00012, "0.00012"), (1.2e-05, "1.2e-05"),
            (1, "1.0"), (100, "100.0"), (123.45, "123.45"), (1e15, "1000000000000000.0"), (1e16, "1e+16"),
            (9007199254740992, "9007199254740992.0"), (1.5e300, "1.5e+300"), (.leastNonzeroMagnitude, "5e-324"),
            (0.1 + 0.2, "0.30000000000000004"), (-2.5, "-2.5"), (-0.0, "-0.0"), (.infinity, "inf"), (.nan, "nan"),
        ]
        for (value, python) in cases {
            let optimizer = try SGD([Tensor<Double>.zeros([1], requiresGrad: true)], lr: 0.1)
            optimizer.parameterGroups[0].options.lr = value
            #expect(String(describing: optimizer).contains("    lr: \(python)\n"), "\(value)")
        }
    }

    /// A user-written optimizer's options: printed from their `Codable` encoding.
    struct SignOptions: OptimizerOptions {
        var lr = 0.01
        var bounds = [-1.0, 2.5]
        var nesterov = false
        func validate(optimizer: String) throws(OptimizerError) {}
        var stateNames: (required: [String], optional: [String]) { ([], []) }
        func makeState<S: TensorFloatingPoint>(for parameter: Tensor<S>) -> ParameterState<S> { ParameterState() }
        func update<S: TensorFloatingPoint>(_ parameter: Tensor<S>, gradient: Tensor<S>, state: inout ParameterState<S>) {}
    }

    @Test("options of a user-written optimizer print from their Codable encoding")
    func customOptions() throws {
        let optimizer = try GroupedOptimizer<Double, SignOptions>(
            name: "SignSGD", groups: [ParameterGroupSpec([Tensor<Double>.zeros([1], requiresGrad: true)])], defaults: SignOptions())
        #expect(String(describing: optimizer) == "SignSGD (\nParameter Group 0\n    bounds: (-1.0, 2.5)\n    lr: 0.01\n    nesterov: False\n)")
        #expect(optimizer.momenta == nil)
    }
}
