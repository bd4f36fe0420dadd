import NN
import Tensor
import Testing

/// Analytic gradients of every layer and loss against central differences, in `Double`.
@Suite("Gradient checks (Double)")
struct GradientCheckTests {
    @Test("Linear, with and without bias, any leading dimensions", arguments: [true, false])
    func linear(bias: Bool) {
        let layer = Linear<Double>(3, 4, bias: bias, generator: Generator(seed: 1))
        let report = gradientCheck(module: layer, inputs: [sample([2, 2, 3], seed: 2)]) { layer($0[0]) }
        #expect(report.passed, "\(report)")
    }

    @Test("Embedding (the padding row's zero gradient is deliberate and checked against PyTorch instead)")
    func embedding() {
        let layer = Embedding<Double>(5, 3, generator: Generator(seed: 1))
        let indices = Tensor<Int>(shape: [2, 3], scalars: [0, 1, 3, 3, 4, 1])
        let report = gradientCheck(module: layer, inputs: []) { _ in layer(indices) }
        #expect(report.passed, "\(report)")
    }

    @Test("Dropout: a fixed mask is differentiated as a product")
    func dropoutLayer() {
        let report = gradientCheck(of: { x in dropout(x[0], p: 0.4, generator: Generator(seed: 3)) }, at: [sample([4, 5], seed: 4)])
        #expect(report.passed, "\(report)")
    }

    @Test(
        "RNN: layers, nonlinearity, bias, layout, directions, h0",
        arguments: [
            (1, RecurrentActivation.tanh, true, true, false),
            (2, .tanh, false, false, true),
            (2, .relu, true, true, true),
        ])
    func rnn(layers: Int, activation: RecurrentActivation, bias: Bool, batchFirst: Bool, bidirectional: Bool) {
        let rnn = RNN<Double>(
            3, 4, numLayers: layers, nonlinearity: activation, bias: bias, batchFirst: batchFirst,
            bidirectional: bidirectional, generator: Generator(seed: 5))
        let directions = bidirectional ? 2 : 1
        let input = sample(batchFirst ? [2, 3, 3] : [3, 2, 3], seed: 6)
        let report = gradientCheck(module: rnn, inputs: [input, sample([layers * directions, 2, 4], seed: 7)]) {
            let (output, hidden) = rnn($0[0], $0[1])
            return Tensor.cat([output.flatten(), hidden.flatten()])
        }
        #expect(report.passed, "\(report)")
    }

    @Test("LSTM: two bidirectional layers; one projected bidirectional layer", arguments: [(2, 2, 0), (1, 3, 2)])
    func lstm(layers: Int, hidden: Int, projection: Int) {
        let lstm = LSTM<Double>(
            2, hidden, numLayers: layers, bidirectional: true, projectionSize: projection, generator: Generator(seed: 8))
        let hSize = projection > 0 ? projection : hidden
        let inputs = [sample([2, 2, 2], seed: 9), sample([2 * layers, 2, hSize], seed: 10), sample([2 * layers, 2, hidden], seed: 11)]
        let report = gradientCheck(module: lstm, inputs: inputs) {
            let (output, (h, c)) = lstm($0[0], ($0[1], $0[2]))
            return Tensor.cat([output.flatten(), h.flatten(), c.flatten()])
        }
        #expect(report.passed, "\(report)")
    }

    @Test("GRU: two bidirectional layers")
    func gru() {
        let gru = GRU<Double>(2, 2, numLayers: 2, batchFirst: true, bidirectional: true, generator: Generator(seed: 12))
        let report = gradientCheck(module: gru, inputs: [sample([2, 2, 2], seed: 13), sample([4, 2, 2], seed: 14)]) {
            let (output, hidden) = gru($0[0], $0[1])
            return Tensor.cat([output.flatten(), hidden.flatten()])
        }
        #expect(report.passed, "\(report)")
    }

    @Test("RNNCell, LSTMCell, GRUCell")
    func cells() {
        let rnnCell = RNNCell<Double>(3, 4, generator: Generator(seed: 15))
        let lstmCell = LSTMCell<Double>(3, 4, generator: Generator(seed: 16))
        let gruCell = GRUCell<Double>(3, 4, generator: Generator(seed: 17))
        let x = sample([2, 3], seed: 18), h = sample([2, 4], seed: 19), c = sample([2, 4], seed: 20)
        let reports = [
            gradientCheck(module: rnnCell, inputs: [x, h]) { rnnCell($0[0], $0[1]) },
            gradientCheck(module: lstmCell, inputs: [x, h, c]) {
                let (h, c) = lstmCell($0[0], ($0[1], $0[2]))
                return Tensor.cat([h, c], axis: 1)
            },
            gradientCheck(module: gruCell, inputs: [x, h]) { gruCell($0[0], $0[1]) },
        ]
        for report in reports { #expect(report.passed, "\(report)") }
    }

    @Test("Sequential of Linear, Tanh, ReLU, Sigmoid, Flatten")
    func sequential() {
        let model = Sequential<Double>(
            Flatten(), Linear(6, 5, generator: Generator(seed: 21)), Tanh(), Linear(5, 4, generator: Generator(seed: 22)),
            Sigmoid(), Linear(4, 3, generator: Generator(seed: 23)), ReLU())
        let report = gradientCheck(module: model, inputs: [sample([2, 2, 3], seed: 24)]) { model($0[0]) }
        #expect(report.passed, "\(report)")
    }

    @Test("Cross-entropy (index and probability targets), NLL, MSE, BCE-with-logits", arguments: Reduction.allCases)
    func losses(reduction: Reduction) {
        let logits = sample([2, 4, 3], seed: 25, lower: -3, upper: 3)
        let targets = Tensor<Int>(shape: [2, 3], scalars: [0, 3, -100, 2, 1, 1])
        let weight = Tensor<Double>([0.5, 1.5, 1, 2])
        let probabilities = sample([2, 4, 3], seed: 26, lower: 0, upper: 1)
        let binaryTargets = sample([2, 4, 3], seed: 27, lower: 0, upper: 1)
        let reports = [
            gradientCheck(of: { crossEntropy($0[0], targets, weight: weight, reduction: reduction, labelSmoothing: 0.2) }, at: [logits]),
            gradientCheck(of: { crossEntropy($0[0], $0[1], weight: weight, reduction: reduction, labelSmoothing: 0.1) }, at: [logits, probabilities]),
            gradientCheck(of: { nllLoss($0[0].logSoftmax(axis: 1), targets, weight: weight, reduction: reduction) }, at: [logits]),
            gradientCheck(of: { mseLoss($0[0], $0[1], reduction: reduction) }, at: [logits, probabilities]),
            gradientCheck(
                of: {
                    binaryCrossEntropyWithLogits(
                        $0[0], $0[1], weight: Tensor([2, 0.5, 1]), reduction: reduction, posWeight: Tensor([1.5, 0.7, 3]))
                }, at: [logits, binaryTargets]),
        ]
        for report in reports { #expect(report.passed, "\(report)") }
    }

    @Test("Functional activations")
    func activations() {
        let x = sample([3, 4], seed: 28, lower: -3, upper: 3)
        for f in [logSigmoid, { softmax($0, axis: 1) }, { logSoftmax($0, axis: 0) }, tanh, sigmoid] as [(Tensor<Double>) -> Tensor<Double>] {
            let report = gradientCheck(of: { f($0[0]) }, at: [x])
            #expect(report.passed, "\(report)")
        }
    }
}
