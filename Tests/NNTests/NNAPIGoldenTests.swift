import NN
import Tensor
import Testing

/// The activation layers (`SiLU`, `LeakyReLU`, `ELU`, `Softplus`, `Softmax`, `LogSoftmax`,
/// `Identity`), the losses `L1Loss`, `SmoothL1Loss`, `HuberLoss`, `KLDivLoss`, `BCELoss`, and
/// `Embedding`'s `maxNorm` and `fromPretrained` against PyTorch (Golden/api_nn.json, float64, 1e-9).
@Suite("Activation layers, more losses and Embedding options against PyTorch")
struct NNAPIGoldenTests {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let inputs: [GoldenTensor]
        let outputs: [GoldenTensor]
        let upstreams: [GoldenTensor]
        let grads: [GoldenTensor?]
        var testDescription: String { name }
    }

    struct EmbeddingCase: Decodable, Sendable {
        let weight: GoldenTensor
        let indices: [Int]
        let indexShape: [Int]
        let output: GoldenTensor
        let upstream: GoldenTensor
        let weightAfter: GoldenTensor
        let grad: GoldenTensor
        let outputInf: GoldenTensor
        let weightAfterInf: GoldenTensor
        let frozenRequiresGrad: Bool
    }

    struct File: Decodable, Sendable {
        let cases: [Case]
        let embedding: EmbeddingCase
    }

    static let golden = Golden.load("api_nn.json", as: File.self)

    @Test("outputs and gradients match PyTorch", arguments: golden.cases)
    func layerOrLoss(golden: Case) throws {
        let leaves = golden.inputs.map { $0.double.requiringGrad() }
        let outputs = try #require(Self.outputs(golden.name, leaves), "no Swift mirror of case \(golden.name)")
        #expect(outputs.count == golden.outputs.count)
        var total = Tensor<Double>(scalar: 0)
        for (i, (output, expected)) in zip(outputs, golden.outputs).enumerated() {
            expectClose(output, expected, "\(golden.name) output \(i)")
            total = total + (output * golden.upstreams[i].double).sum()
        }
        total.backward()
        for (i, (leaf, expected)) in zip(leaves, golden.grads).enumerated() {
            if let expected { expectClose(leaf.grad, expected, "\(golden.name) gradient \(i)") }
        }
    }

    /// The Swift spelling of each case of `CASES` in make_api_nn_golden.py.
    static func outputs(_ name: String, _ x: [Tensor<Double>]) -> [Tensor<Double>]? {
        let a = x[0]
        switch name {
        case "silu": return [SiLU()(a)]
        case "leaky_relu": return [LeakyReLU(negativeSlope: 0.2)(a)]
        case "leaky_relu_default": return [LeakyReLU()(a)]
        case "elu": return [ELU(alpha: 0.7)(a)]
        case "softplus", "softplus_extremes": return [Softplus()(a)]
        case "softplus_beta_threshold": return [Softplus(beta: 2, threshold: 5)(a)]
        case "softmax_module": return [Softmax(axis: 1)(a)]
        case "log_softmax_module": return [LogSoftmax(axis: -1)(a)]
        case "identity": return [Identity()(a)]
        case "l1_mean": return [L1Loss()(a, x[1])]
        case "l1_sum_none": return [L1Loss(reduction: .sum)(a, x[1]), L1Loss(reduction: .none)(a, x[1])]
        case "smooth_l1":
            return [SmoothL1Loss()(a, x[1]), SmoothL1Loss(reduction: .none, beta: 0.5)(a, x[1]), SmoothL1Loss(reduction: .sum, beta: 0)(a, x[1])]
        case "huber":
            return [HuberLoss()(a, x[1]), HuberLoss(reduction: .none, delta: 0.8)(a, x[1]), HuberLoss(reduction: .sum, delta: 2.5)(a, x[1])]
        case "kl_div":
            return [KLDivLoss(reduction: .batchMean)(a, x[1]), KLDivLoss()(a, x[1]), KLDivLoss(reduction: .sum)(a, x[1]),
                    KLDivLoss(reduction: .none)(a, x[1])]
        case "kl_div_log_target":
            return [KLDivLoss(reduction: .batchMean, logTarget: true)(a, x[1]), KLDivLoss(reduction: .none, logTarget: true)(a, x[1])]
        case "bce":
            return [BCELoss()(a, x[1]), BCELoss(weight: x[2].detach(), reduction: .sum)(a, x[1]), BCELoss(reduction: .none)(a, x[1])]
        case "bce_extremes": return [BCELoss(reduction: .none)(a, x[1])]
        default: return nil
        }
    }

    @Test("maxNorm renormalises the looked-up rows in place; fromPretrained copies and freezes")
    func embeddingOptions() {
        let golden = Self.golden.embedding
        let indices = Tensor<Int>(shape: golden.indexShape, scalars: golden.indices)
        let layer = Embedding.fromPretrained(golden.weight.double, freeze: false, maxNorm: 1)
        let output = layer(indices)
        expectClose(output, golden.output, "max_norm output")
        (output * golden.upstream.double).sum().backward()
        expectClose(layer.weight, golden.weightAfter, "max_norm weight after the lookup")
        expectClose(layer.weight.grad, golden.grad, "max_norm weight gradient")
        let infinity = Embedding.fromPretrained(golden.weight.double, maxNorm: 0.5, normType: .infinity)
        expectClose(infinity(indices), golden.outputInf, "max_norm (inf) output")
        expectClose(infinity.weight, golden.weightAfterInf, "max_norm (inf) weight after the lookup")
        #expect(Embedding.fromPretrained(golden.weight.double).weight.requiresGrad == golden.frozenRequiresGrad)
        #expect("\(infinity)" == "Embedding(5, 3, max_norm=0.5)")
    }

    @Test("apply visits children first, freezing stops gradients, and parameters are counted")
    func moduleUtilities() {
        let model = Sequential<Double>(Linear(3, 4), SiLU(), Linear(4, 2))
        var visited: [String] = []
        model.apply { visited.append(String(describing: type(of: $0)).components(separatedBy: "<")[0]) }
        #expect(visited == ["Linear", "SiLU", "Linear", "Sequential"])
        #expect(model.parameterCount == 3 * 4 + 4 + 4 * 2 + 2)
        model.children()[0].requiringGrad(false)
        #expect(model.trainableParameterCount == 4 * 2 + 2)
        model(Tensor<Double>.ones([5, 3])).sum().backward()
        let grads = model.parameters().map { $0.grad != nil }
        #expect(grads == [false, false, true, true])
        #expect(model.namedModules().map(\.name) == ["", "0", "1", "2"])
        #expect("\(LeakyReLU<Double>(negativeSlope: 0.2))" == "LeakyReLU(negative_slope=0.2)")
    }

    @Test("the activations and losses pass the gradient check")
    func gradientChecks() {
        let x = Tensor<Double>.uniform([3, 4], lower: -2, upper: 2, generator: Generator(seed: 61))
        let y = Tensor<Double>.uniform([3, 4], lower: -2, upper: 2, generator: Generator(seed: 62))
        let p = Tensor<Double>.uniform([3, 4], lower: 0.1, upper: 0.9, generator: Generator(seed: 63))
        let q = Tensor<Double>.uniform([3, 4], lower: 0.1, upper: 0.9, generator: Generator(seed: 64))
        let functions: [(String, [Tensor<Double>], ([Tensor<Double>]) -> Tensor<Double>)] = [
            ("activations", [x], { v in
                Tensor.cat([silu(v[0]), leakyReLU(v[0], negativeSlope: 0.2), elu(v[0], alpha: 0.7), softplus(v[0], beta: 2, threshold: 3)])
            }),
            ("regression losses", [x, y], { v in
                Tensor.cat([L1Loss(reduction: .none)(v[0], v[1]), SmoothL1Loss(reduction: .none, beta: 0.5)(v[0], v[1]),
                            HuberLoss(reduction: .none, delta: 0.8)(v[0], v[1])])
            }),
            ("kl and bce", [x, p, q], { v in
                Tensor.cat([KLDivLoss(reduction: .none)(v[0], v[1]), KLDivLoss(reduction: .none, logTarget: true)(v[0], v[0] * 0.5),
                            BCELoss(reduction: .none)(v[1], v[2])])
            }),
        ]
        for (name, inputs, function) in functions {
            let report = gradientCheck(of: function, at: inputs)
            #expect(report.passed, "\(name):\n\(report)")
        }
    }
}
