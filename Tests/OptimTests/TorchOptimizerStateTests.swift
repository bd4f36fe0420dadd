import Foundation
import NN
import Optim
import Tensor
import Testing

/// Optimizer state dicts saved by PyTorch (`Tests/NNTests/Golden/Torch/make_torch_golden.py`) load
/// into the optimizers here, and training continues exactly as PyTorch's continuation.
@Suite struct TorchOptimizerStateTests {
    struct Continuation: Decodable {
        let x: [Double]
        let y: [Double]
        let trajectory: [[Double]]
    }

    struct Expected: Decodable {
        let optim: [String: Continuation]
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("NNTests/Golden/Torch")

    static let expected: Expected = {
        do {
            return try JSONDecoder().decode(Expected.self, from: Data(contentsOf: directory.appendingPathComponent("expected.json")))
        } catch {
            fatalError("cannot read expected.json: \(error)")
        }
    }()

    /// The optimizer of configuration `name` over groups [weight], [bias] (lr 0.02), as the generator
    /// builds it (the options are overwritten by the loaded state dict anyway).
    static func optimizer(_ name: String, _ model: Linear<Double>) throws -> any Optimizer {
        let weight = [model.weight], bias = [model.bias!]
        switch name {
        case "sgd", "sgd_momentum", "sgd_nesterov":
            return try SGD([.init(weight), .init(bias) { $0.lr = 0.02 }], lr: 0.05, momentum: name == "sgd" ? 0 : 0.9, nesterov: name == "sgd_nesterov")
        case "adam", "adam_amsgrad":
            return try Adam([.init(weight), .init(bias) { $0.lr = 0.02 }], lr: 0.01, amsgrad: name == "adam_amsgrad")
        case "adamw": return try AdamW([.init(weight), .init(bias) { $0.lr = 0.02 }], lr: 0.01)
        case "adagrad": return try Adagrad([.init(weight), .init(bias) { $0.lr = 0.02 }], lr: 0.1)
        case "rmsprop": return try RMSprop([.init(weight), .init(bias) { $0.lr = 0.02 }], lr: 0.01, momentum: 0.5, centered: true)
        default: fatalError("unknown configuration \(name)")
        }
    }

    /// One step of the generator's problem: loss sum((model(x) - y)²).
    static func step(_ model: Linear<Double>, _ optimizer: any Optimizer, x: Tensor<Double>, y: Tensor<Double>) {
        optimizer.zeroGrad()
        let d = model(x) - y
        (d * d).sum().backward()
        optimizer.step()
    }

    @Test(arguments: ["sgd", "sgd_momentum", "sgd_nesterov", "adam", "adam_amsgrad", "adamw", "adagrad", "rmsprop"])
    func continuesPyTorchTraining(_ name: String) throws {
        let file = try TorchFile(contentsOf: Self.directory.appendingPathComponent("optim_\(name).pt")).value
        let model = Linear<Double>(3, 2)
        try model.loadStateDict(StateDict(torch: try #require(file["model"])))
        let optimizer = try Self.optimizer(name, model)
        switch optimizer {
        case let sgd as SGD<Double>: try sgd.loadStateDict(torch: try #require(file["optimizer"]))
        case let adamW as AdamW<Double>: try adamW.loadStateDict(torch: try #require(file["optimizer"]))
        case let adam as Adam<Double>: try adam.loadStateDict(torch: try #require(file["optimizer"]))
        case let adagrad as Adagrad<Double>: try adagrad.loadStateDict(torch: try #require(file["optimizer"]))
        case let rmsprop as RMSprop<Double>: try rmsprop.loadStateDict(torch: try #require(file["optimizer"]))
        default: Issue.record("unexpected optimizer \(optimizer)")
        }
        let continuation = try #require(Self.expected.optim[name])
        let x = Tensor(shape: [4, 3], scalars: continuation.x), y = Tensor(shape: [4, 2], scalars: continuation.y)
        for (index, expected) in continuation.trajectory.enumerated() {
            Self.step(model, optimizer, x: x, y: y)
            let actual = model.weight.scalars + model.bias!.scalars
            let difference = zip(actual, expected).map { abs($0 - $1) }.max()!
            #expect(difference <= 1e-12, "\(name): step \(index + 1) differs by \(difference)")
            if difference > 1e-12 { break }
        }
        #expect(continuation.trajectory.count == 50)
    }

    @Test func roundTripThroughPyTorchStructure() throws {
        let model = Linear<Double>(3, 2, generator: Generator(seed: 4))
        let adam = try Adam([.init([model.weight]), .init([model.bias!]) { $0.lr = 0.02 }], lr: 0.01, amsgrad: true)
        let x = Tensor<Double>.randn([4, 3], generator: Generator(seed: 5)), y = Tensor<Double>.randn([4, 2], generator: Generator(seed: 6))
        for _ in 0..<3 { Self.step(model, adam, x: x, y: y) }
        let bytes = try TorchFile(value: adam.torchStateDict()).serialized()
        let value = try TorchFile(bytes: bytes).value
        // PyTorch's structure: int keys, float32 0-d step, betas a tuple, params lists.
        let state0 = try #require(value["state"]?.dictionary?[0])
        #expect(state0["step"]?.tensor?.dtype == .float32)
        #expect(state0["step"]?.tensor?.shape == [])
        #expect(state0["exp_avg"]?.tensor?.dtype == .float64)
        guard case .tuple(let betas)? = value["param_groups"]?.elements?.first?["betas"] else {
            Issue.record("betas is not a tuple")
            return
        }
        #expect(betas.map(\.double) == [0.9, 0.999])
        #expect(value["param_groups"]?.elements?[1]["params"]?.elements?.map(\.int) == [1])

        let copy = Linear<Double>(3, 2)
        try copy.loadStateDict(model.stateDict().copied())
        let restored = try Adam([.init([copy.weight]), .init([copy.bias!])], lr: 0.5)
        try restored.loadStateDict(torch: value)
        for _ in 0..<3 {
            Self.step(model, adam, x: x, y: y)
            Self.step(copy, restored, x: x, y: y)
        }
        #expect(copy.weight.scalars == model.weight.scalars)
        #expect(restored.parameterGroups[1].options.lr == 0.02)
    }

    @Test func refusesAnotherOptimizersState() throws {
        let file = try TorchFile(contentsOf: Self.directory.appendingPathComponent("optim_adam.pt")).value
        let model = Linear<Double>(3, 2)
        let sgd = try SGD([.init([model.weight]), .init([model.bias!])], lr: 0.1)
        #expect(throws: OptimizerError.self) { try sgd.loadStateDict(torch: try #require(file["optimizer"])) }
        let single = try Adam(model.parameters(), lr: 0.1)
        #expect(throws: OptimizerError.self) { try single.loadStateDict(torch: try #require(file["optimizer"])) }
    }
}
