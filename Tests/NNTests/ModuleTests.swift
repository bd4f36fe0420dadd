import NN
import Tensor
import Testing

/// A module exercising every kind of stored property that reflection looks at.
private class Encoder: Module<Double> {
    let embedding = Embedding<Double>(4, 2, generator: Generator(seed: 1))
    let scale = Tensor<Double>([1, 2], requiresGrad: true)
    let offset: Tensor<Double>? = Tensor<Double>([0], requiresGrad: true)
    let missing: Tensor<Double>? = nil
    let lookup = Tensor<Int>([0, 1])
    let hiddenSize = 2
}

private final class Decoder: Encoder {
    let blocks = [Linear<Double>(2, 2, generator: Generator(seed: 2)), Linear<Double>(2, 2, bias: false, generator: Generator(seed: 3))]
    let head: Linear<Double>? = Linear(2, 1, generator: Generator(seed: 4))
    let absent: Linear<Double>? = nil
    let extra = [Tensor<Double>([1], requiresGrad: true), Tensor<Double>([2], requiresGrad: true)]
    let dropout = Dropout<Double>(p: 0.5)
}

/// Two modules holding the same Linear (weight tying).
private final class Tied: Module<Double> {
    let first: Linear<Double>
    let second: Linear<Double>

    init(_ shared: Linear<Double>) {
        first = shared
        second = shared
    }
}

/// A module whose submodule can be replaced after construction.
private final class Swappable: Module<Double> {
    var layer = Linear<Double>(2, 3, generator: Generator(seed: 5))
}

@Suite("Module: discovery, keys, modes")
struct ModuleTests {
    @Test("parameters are found in declaration order, superclass first, with PyTorch's dotted keys")
    func keys() {
        let model = Decoder()
        #expect(
            model.namedParameters().map(\.name) == [
                "scale", "offset", "extra.0", "extra.1", "embedding.weight", "blocks.0.weight", "blocks.0.bias",
                "blocks.1.weight", "head.weight", "head.bias",
            ])
        #expect(model.namedChildren().map(\.name) == ["embedding", "blocks.0", "blocks.1", "head", "dropout"])
        #expect(
            model.namedModules().map(\.name) == ["", "embedding", "blocks.0", "blocks.1", "head", "dropout"])
        #expect(model.children().count == 5)
        #expect(model.parameterCount == 2 + 1 + 1 + 1 + 8 + 4 + 2 + 4 + 2 + 1)
    }

    @Test("parameters() are the very tensors the layers hold, each requiring a gradient")
    func identity() {
        let model = Decoder()
        #expect(model.parameters()[5] === model.blocks[0].weight)
        #expect(model.parameters().allSatisfy { $0.requiresGrad })
    }

    @Test("a shared module's parameters are listed once but appear under each key in the state dict")
    func sharing() {
        let model = Tied(Linear(3, 2, generator: Generator(seed: 6)))
        #expect(model.namedParameters().map(\.name) == ["first.weight", "first.bias"])
        #expect(model.stateDict().keys == ["first.weight", "first.bias", "second.weight", "second.bias"])
        #expect(model.modules().count == 2)
    }

    @Test("reflection is not cached: a replaced submodule is found")
    func notStale() {
        let model = Swappable()
        let before = model.parameters()[0]
        model.layer = Linear(2, 4, generator: Generator(seed: 7))
        #expect(model.parameters()[0] !== before)
        #expect(model.parameters()[0].shape == [4, 2])
    }

    @Test("Sequential keys its layers by position, as PyTorch does")
    func sequentialKeys() {
        let model = Sequential<Float>(Linear(4, 8), ReLU(), Linear(8, 2), Tanh())
        #expect(model.stateDict().keys == ["0.weight", "0.bias", "2.weight", "2.bias"])
        #expect(model(Tensor.zeros([5, 4])).shape == [5, 2])
    }

    @Test("recurrent layers name their parameters as PyTorch's _flat_weights_names")
    func recurrentKeys() {
        let lstm = LSTM<Float>(3, 4, numLayers: 2, bias: false, bidirectional: true, projectionSize: 2)
        #expect(
            lstm.stateDict().keys == [
                "weight_ih_l0", "weight_hh_l0", "weight_hr_l0", "weight_ih_l0_reverse", "weight_hh_l0_reverse",
                "weight_hr_l0_reverse", "weight_ih_l1", "weight_hh_l1", "weight_hr_l1", "weight_ih_l1_reverse",
                "weight_hh_l1_reverse", "weight_hr_l1_reverse",
            ])
        #expect(lstm.weights[2].weightIH.shape == [16, 4])
        #expect(GRUCell<Float>(3, 5).stateDict().keys == ["weight_ih", "weight_hh", "bias_ih", "bias_hh"])
    }

    @Test("train() and eval() set the mode of every submodule")
    func modes() {
        let model = Decoder()
        #expect(model.modules().allSatisfy { $0.isTraining })
        model.eval()
        #expect(model.modules().allSatisfy { !$0.isTraining })
        model.train()
        #expect(model.dropout.isTraining)
    }

    @Test("zeroGrad clears every gradient")
    func zeroGrad() {
        let model = Decoder()
        let x = Tensor<Double>.ones([3, 2])
        model.head!(model.blocks[1](model.blocks[0](x))).sum().backward()
        #expect(model.head!.weight.grad != nil)
        model.zeroGrad()
        #expect(model.parameters().allSatisfy { $0.grad == nil })
    }

    @Test("Dropout zeroes about p of the elements and rescales the rest in training, and is the identity in eval")
    func dropoutModes() {
        let layer = Dropout<Double>(p: 0.25, generator: Generator(seed: 8))
        let x = Tensor<Double>.ones([10_000])
        let y = layer(x).scalars
        let zeros = y.filter { $0 == 0 }.count
        #expect(abs(Double(zeros) / 10_000 - 0.25) < 0.02)
        #expect(y.allSatisfy { $0 == 0 || abs($0 - 4.0 / 3) < 1e-12 })
        layer.eval()
        #expect(layer(x) === x)
        #expect(dropout(x, p: 1).scalars.allSatisfy { $0 == 0 })
    }

    @Test("RNN dropout acts between layers in training mode only")
    func recurrentDropout() {
        let rnn = RNN<Double>(2, 3, numLayers: 2, dropout: 0.5, generator: Generator(seed: 9))
        let x = sample([4, 1, 2], seed: 10)
        let trained = rnn(x).output
        rnn.eval()
        let evaluated = rnn(x).output
        let withoutDropout = RNN<Double>(2, 3, numLayers: 2, generator: Generator(seed: 9))(x).output
        #expect(evaluated.scalars == withoutDropout.scalars)
        #expect(trained.scalars != evaluated.scalars)
    }

    @Test("Flatten merges dimensions startAxis...endAxis")
    func flatten() {
        #expect(Flatten<Float>()(Tensor.zeros([2, 3, 4, 5])).shape == [2, 60])
        #expect(Flatten<Float>(startAxis: 0, endAxis: 1)(Tensor.zeros([2, 3, 4])).shape == [6, 4])
    }

    @Test("Linear accepts 1-d input and keeps leading dimensions")
    func linearShapes() {
        let layer = Linear<Float>(3, 2)
        #expect(layer(Tensor.zeros([3])).shape == [2])
        #expect(layer(Tensor.zeros([4, 5, 3])).shape == [4, 5, 2])
    }

    @Test("recurrent layers return PyTorch's shapes in every layout")
    func recurrentShapes() {
        let rnn = RNN<Float>(3, 4, numLayers: 2, bidirectional: true)
        let (output, hidden) = rnn(Tensor.zeros([5, 2, 3]))
        #expect(output.shape == [5, 2, 8] && hidden.shape == [4, 2, 4])
        let (unbatched, h) = rnn(Tensor.zeros([5, 3]))
        #expect(unbatched.shape == [5, 8] && h.shape == [4, 4])
        let lstm = LSTM<Float>(3, 4, batchFirst: true, projectionSize: 2)
        let (out, (hn, cn)) = lstm(Tensor.zeros([2, 5, 3]))
        #expect(out.shape == [2, 5, 2] && hn.shape == [1, 2, 2] && cn.shape == [1, 2, 4])
        #expect(LSTMCell<Float>(3, 4)(Tensor.zeros([3])).c.shape == [4])
    }

    @Test("a retained LSTM graph can be back-propagated twice, accumulating gradients")
    func retainedGraph() {
        let lstm = LSTM<Double>(2, 3, generator: Generator(seed: 11))
        let loss = lstm(sample([4, 1, 2], seed: 12)).output.sum()
        loss.backward(retainGraph: true)
        let once = lstm.weights[0].weightHH.grad!.scalars
        loss.backward()
        #expect(zip(lstm.weights[0].weightHH.grad!.scalars, once).allSatisfy { abs($0 - 2 * $1) < 1e-12 })
    }

    @Test("inference under withNoGrad records no graph")
    func noGrad() {
        let gru = GRU<Float>(3, 4)
        let (output, hidden) = withNoGrad { gru(Tensor.ones([2, 1, 3])) }
        #expect(!output.requiresGrad && !hidden.requiresGrad)
        #expect(gru(Tensor.ones([2, 1, 3])).output.requiresGrad)
    }
}

/// A case of `descriptions.json`: PyTorch's `print(model)`.
struct DescriptionCase: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let description: String

    var testDescription: String { name }

    static let all: [DescriptionCase] = {
        struct File: Decodable { let cases: [DescriptionCase] }
        return Golden.load("descriptions.json", as: File.self).cases
    }()
}

@Suite("Module descriptions")
struct ModuleDescriptionTests {
    @Test("print(model) shows what PyTorch's repr shows", arguments: DescriptionCase.all)
    func description(_ c: DescriptionCase) {
        let models: [String: Module<Float>] = [
            "rnn_options": RNN(3, 4, numLayers: 2, nonlinearity: .relu, bias: false, batchFirst: true, dropout: 0.3, bidirectional: true),
            "lstm_projection": LSTM(3, 4, projectionSize: 2),
            "gru": GRU(3, 4),
            "rnn_cell_relu": RNNCell(3, 4, nonlinearity: .relu),
            "lstm_cell_nobias": LSTMCell(3, 4, bias: false),
            "gru_cell": GRUCell(3, 4),
            "sequential": Sequential(Linear(4, 8), ReLU(), Sequential(Tanh(), Dropout()), Flatten(), Sigmoid()),
            "embedding_padding": Embedding(6, 3, paddingIndex: 2),
            "charrnn": CharRNN(vocabularySize: 12, hiddenSize: 15),
        ]
        #expect(models[c.name]?.description == c.description)
    }
}
