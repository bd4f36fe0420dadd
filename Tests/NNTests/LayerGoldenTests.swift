import Foundation
import NN
import Tensor
import Testing

/// A layer case of `layers.json`: explicit float64 weights, inputs, PyTorch's outputs and the
/// gradients of L = Σ_k Σ output_k ⊙ upstream_k.
struct LayerCase: Decodable, Sendable, CustomTestStringConvertible {
    struct Config: Decodable, Sendable {
        var input: Int?
        var output: Int?
        var hidden: Int?
        var layers: Int?
        var nonlinearity: String?
        var bias: Bool?
        var batchFirst: Bool?
        var bidirectional: Bool?
        var dropout: Double?
        var eval: Bool?
        var projection: Int?
        var count: Int?
        var size: Int?
        var padding: Int?
    }

    let name: String
    let kind: String
    let config: Config
    let keys: [String]
    let params: [String: GoldenTensor]
    let inputs: [String: GoldenTensor]
    let outputs: [String: GoldenTensor]
    let upstream: [String: GoldenTensor]
    let grads: [String: GoldenTensor]

    var testDescription: String { name }

    static let all: [LayerCase] = {
        struct File: Decodable { let cases: [LayerCase] }
        return Golden.load("layers.json", as: File.self).cases
    }()

    static func of(_ kinds: String...) -> [LayerCase] { all.filter { kinds.contains($0.kind) } }

    var nonlinearity: RecurrentActivation { config.nonlinearity == "relu" ? .relu : .tanh }

    /// The input tensor (or initial state) `key` as a leaf requiring a gradient.
    func leaf(_ key: String) -> Tensor<Double>? { inputs[key]?.double.requiringGrad() }

    /// Loads the case's weights into `module` (strictly: the keys must be PyTorch's), runs
    /// `forward`, back-propagates the upstream gradients and compares everything with PyTorch.
    func check(_ module: Module<Double>, leaves: [String: Tensor<Double>], forward: () -> [String: Tensor<Double>]) throws {
        var state = StateDict<Double>()
        for (key, value) in params { state[key] = value.double }
        try module.loadStateDict(state)
        #expect(module.namedParameters().map(\.name) == keys, "PyTorch's keys in PyTorch's order")
        let results = forward()
        #expect(Set(results.keys) == Set(outputs.keys))
        var loss = Tensor<Double>(scalar: 0)
        for (key, expected) in outputs {
            expectClose(results[key], expected, "\(name) \(key)")
            if let result = results[key] { loss = loss + (result * upstream[key]!.double).sum() }
        }
        loss.backward()
        for (key, parameter) in module.namedParameters() {
            expectClose(parameter.grad, grads[key]!, "\(name) grad \(key)")
        }
        for (key, leaf) in leaves {
            expectClose(leaf.grad, grads[key]!, "\(name) grad \(key)")
        }
    }
}

@Suite("Layers against PyTorch (float64, 1e-9)")
struct LayerGoldenTests {
    @Test("Linear", arguments: LayerCase.of("linear"))
    func linear(_ c: LayerCase) throws {
        let layer = Linear<Double>(c.config.input!, c.config.output!, bias: c.config.bias!)
        let input = c.leaf("input")!
        try c.check(layer, leaves: ["input": input]) { ["output": layer(input)] }
    }

    @Test("Embedding", arguments: LayerCase.of("embedding"))
    func embedding(_ c: LayerCase) throws {
        let layer = Embedding<Double>(c.config.count!, c.config.size!, paddingIndex: c.config.padding)
        let indices = c.inputs["indices"]!.int
        try c.check(layer, leaves: [:]) { ["output": layer(indices)] }
    }

    @Test("RNN", arguments: LayerCase.of("rnn"))
    func rnn(_ c: LayerCase) throws {
        let config = c.config
        let layer = RNN<Double>(
            config.input!, config.hidden!, numLayers: config.layers!, nonlinearity: c.nonlinearity, bias: config.bias!,
            batchFirst: config.batchFirst!, dropout: config.dropout!, bidirectional: config.bidirectional!)
        if config.eval == true { layer.eval() }
        let input = c.leaf("input")!, h0 = c.leaf("h0")
        var leaves = ["input": input]
        leaves["h0"] = h0
        try c.check(layer, leaves: leaves) {
            let (output, hidden) = layer(input, h0)
            return ["output": output, "h_n": hidden]
        }
    }

    @Test("LSTM", arguments: LayerCase.of("lstm"))
    func lstm(_ c: LayerCase) throws {
        let config = c.config
        let layer = LSTM<Double>(
            config.input!, config.hidden!, numLayers: config.layers!, bias: config.bias!, batchFirst: config.batchFirst!,
            bidirectional: config.bidirectional!, projectionSize: config.projection!)
        let input = c.leaf("input")!, h0 = c.leaf("h0"), c0 = c.leaf("c0")
        var leaves = ["input": input]
        leaves["h0"] = h0
        leaves["c0"] = c0
        try c.check(layer, leaves: leaves) {
            let (output, (h, cell)) = layer(input, h0.flatMap { h0 in c0.map { (h0, $0) } })
            return ["output": output, "h_n": h, "c_n": cell]
        }
    }

    @Test("GRU", arguments: LayerCase.of("gru"))
    func gru(_ c: LayerCase) throws {
        let config = c.config
        let layer = GRU<Double>(
            config.input!, config.hidden!, numLayers: config.layers!, bias: config.bias!, batchFirst: config.batchFirst!,
            bidirectional: config.bidirectional!)
        let input = c.leaf("input")!, h0 = c.leaf("h0")
        var leaves = ["input": input]
        leaves["h0"] = h0
        try c.check(layer, leaves: leaves) {
            let (output, hidden) = layer(input, h0)
            return ["output": output, "h_n": hidden]
        }
    }

    @Test("RNNCell, LSTMCell, GRUCell", arguments: LayerCase.of("rnn_cell", "lstm_cell", "gru_cell"))
    func cells(_ c: LayerCase) throws {
        let config = c.config
        let input = c.leaf("input")!, h0 = c.leaf("h0"), c0 = c.leaf("c0")
        var leaves = ["input": input]
        leaves["h0"] = h0
        leaves["c0"] = c0
        switch c.kind {
        case "rnn_cell":
            let cell = RNNCell<Double>(config.input!, config.hidden!, bias: config.bias!, nonlinearity: c.nonlinearity)
            try c.check(cell, leaves: leaves) { ["h_n": cell(input, h0)] }
        case "lstm_cell":
            let cell = LSTMCell<Double>(config.input!, config.hidden!, bias: config.bias!)
            try c.check(cell, leaves: leaves) {
                let (h, state) = cell(input, h0.flatMap { h0 in c0.map { (h0, $0) } })
                return ["h_n": h, "c_n": state]
            }
        default:
            let cell = GRUCell<Double>(config.input!, config.hidden!, bias: config.bias!)
            try c.check(cell, leaves: leaves) { ["h_n": cell(input, h0)] }
        }
    }
}
