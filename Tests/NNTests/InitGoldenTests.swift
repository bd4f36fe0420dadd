import NN
import Tensor
import Testing

/// `init.json`: the float32 parameters PyTorch's default initialisation draws after
/// `torch.manual_seed(seed)`, and the `nn.init` functions' draws.
struct InitGolden: Decodable, Sendable {
    struct Model: Decodable, Sendable, CustomTestStringConvertible {
        struct Config: Decodable, Sendable {
            var vocabulary: Int?
            var hidden: Int?
            var layers: Int?
            var bias: Bool?
            var nonlinearity: String?
        }

        let seed: UInt64
        let kind: String
        let config: Config
        let keys: [String]
        let params: [String: GoldenTensor]

        var testDescription: String { "\(kind) seed \(seed)" }

        /// The same model built here from `Generator(seed:)`.
        func build<Scalar: TensorFloatingPoint>(_ type: Scalar.Type) -> Module<Scalar> {
            let g = Generator(seed: seed)
            switch kind {
            case "charrnn":
                return TorchTrainCharRNN(
                    vocabulary: config.vocabulary!, hidden: config.hidden!, layers: config.layers!, bias: config.bias!,
                    nonlinearity: config.nonlinearity == "relu" ? .relu : .tanh, generator: g)
            case "linear": return Linear(5, 3, generator: g)
            case "lstm": return LSTM(3, 4, numLayers: 2, bidirectional: true, projectionSize: 2, generator: g)
            case "gru": return GRU(3, 4, numLayers: 2, bias: false, generator: g)
            case "rnn_bidirectional": return RNN(3, 4, numLayers: 2, bidirectional: true, generator: g)
            case "embedding": return Embedding(6, 3, paddingIndex: 2, generator: g)
            case "embedding_large": return Embedding(9, 4, generator: g)
            case "rnn_cell": return RNNCell(3, 4, generator: g)
            case "lstm_cell": return LSTMCell(3, 4, generator: g)
            case "gru_cell": return GRUCell(3, 4, bias: false, generator: g)
            default: fatalError("unknown model kind \(kind)")
            }
        }
    }

    struct Function: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let seed: UInt64
        let dtype: String
        let value: GoldenTensor

        var testDescription: String { "\(name) \(dtype) seed \(seed)" }

        /// The same draw made here.
        func draw<Scalar: TensorFloatingPoint>(into t: Tensor<Scalar>) {
            let g = Generator(seed: seed)
            switch name {
            case "uniform": Init.uniform(t, lower: -0.3, upper: 0.7, generator: g)
            case "normal": Init.normal(t, mean: 0.5, std: 2, generator: g)
            case "xavierUniform": Init.xavierUniform(t, gain: 1.5, generator: g)
            case "xavierNormal": Init.xavierNormal(t, generator: g)
            case "kaimingUniform": Init.kaimingUniform(t, a: 0.1, mode: .fanOut, nonlinearity: .leakyReLU, generator: g)
            case "kaimingUniformRelu": Init.kaimingUniform(t, nonlinearity: .relu, generator: g)
            case "kaimingNormal": Init.kaimingNormal(t, mode: .fanIn, nonlinearity: .relu, generator: g)
            case "xavierUniformTanh": Init.xavierUniform(t, gain: Init.calculateGain(.tanh), generator: g)
            default: fatalError("unknown init function \(name)")
            }
        }
    }

    let models: [Model]
    let functions: [Function]

    static let file = Golden.load("init.json", as: InitGolden.self)
}

@Suite("Default initialisation against PyTorch's seeded draws")
struct InitGoldenTests {
    @Test("Float models hold PyTorch's float32 parameters bit for bit, keys in PyTorch's order", arguments: InitGolden.file.models)
    func floatModel(_ model: InitGolden.Model) {
        let module = model.build(Float.self)
        #expect(module.stateDict().keys == model.keys)
        for (key, value) in module.stateDict() {
            expectIdentical(value, model.params[key]!, "\(model.testDescription) \(key)")
        }
    }

    @Test("Double models hold the same float32 draws, widened (as `.to(torch.float64)`)", arguments: InitGolden.file.models)
    func doubleModel(_ model: InitGolden.Model) {
        let module = model.build(Double.self)
        #expect(module.stateDict().keys == model.keys)
        for (key, value) in module.stateDict() {
            expectClose(value, model.params[key]!, relative: 0, absolute: 0, "\(model.testDescription) \(key)")
        }
    }

    @Test("Init functions draw PyTorch's numbers", arguments: InitGolden.file.functions)
    func function(_ function: InitGolden.Function) {
        if function.dtype == "float32" {
            let t = Tensor<Float>.zeros(function.value.shape)
            function.draw(into: t)
            expectIdentical(t, function.value, function.testDescription)
        } else {
            let t = Tensor<Double>.zeros(function.value.shape)
            function.draw(into: t)
            expectClose(t, function.value, relative: 1e-15, absolute: 0, function.testDescription)
        }
    }

    @Test("calculateGain and fans follow PyTorch")
    func gains() {
        #expect(Init.calculateGain(.linear) == 1)
        #expect(Init.calculateGain(.tanh) == 5.0 / 3)
        #expect(Init.calculateGain(.relu) == 2.0.squareRoot())
        #expect(Init.calculateGain(.leakyReLU) == (2.0 / (1 + 0.01 * 0.01)).squareRoot())
        #expect(Init.calculateGain(.selu) == 0.75)
        #expect(Init.fans(of: [4, 3, 2, 5]) == (fanIn: 30, fanOut: 40))
    }
}
