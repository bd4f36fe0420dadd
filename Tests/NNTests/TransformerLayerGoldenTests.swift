import NN
import Tensor
import Testing

/// One module case of Golden/transformer.json: explicit parameters, inputs, PyTorch's outputs,
/// the upstream gradients u and PyTorch's gradients of Σ output · u.
struct TransformerModuleCase: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let keys: [String]
    let params: [String: GoldenTensor]
    let inputs: [String: GoldenTensor]
    let outputs: [String: GoldenTensor]
    let upstream: [String: GoldenTensor]
    let grads: [String: GoldenTensor]
    let batch_first: Bool
    let heads: Int
    // MultiheadAttention
    let bias: Bool?
    let need_weights: Bool?
    let average: Bool?
    let self_attention: Bool?
    let key_padding_kind: String?
    let attn_mask_kind: String?
    // TransformerEncoderLayer
    let norm_first: Bool?
    let activation: String?
    let feedforward: Int?

    var testDescription: String { name }

    /// The input `key` as a mask of `kind` ("blocked": nonzero is true; "additive").
    func mask(_ key: String, kind: String?) -> MultiheadAttentionMask<Double>? {
        guard let kind, let values = inputs[key] else { return nil }
        return kind == "blocked" ? .blocked(values.double .!= 0) : .additive(values.double)
    }

    /// Loads the parameters into `module`, runs `forward` and checks outputs and gradients.
    func verify(_ module: Module<Double>, forward: ([String: Tensor<Double>]) -> [String: Tensor<Double>]) throws {
        #expect(module.stateDict().keys == keys)
        try module.loadStateDict(StateDict(keys.map { ($0, params[$0]!.double) }))
        var leaves: [String: Tensor<Double>] = [:]
        for (key, value) in inputs where grads["input." + key] != nil { leaves[key] = value.double.requiringGrad() }
        // One tensor passed as query, key and value: PyTorch reports its gradient under each name.
        if self_attention == true { leaves["key"] = leaves["query"]; leaves["value"] = leaves["query"] }
        let results = forward(leaves)
        #expect(Set(results.keys) == Set(outputs.keys))
        var loss = Tensor<Double>(scalar: 0)
        for (key, expected) in outputs {
            expectClose(results[key], expected, "\(name): \(key)")
            if let result = results[key] { loss = loss + (result * upstream[key]!.double).sum() }
        }
        loss.backward()
        let parameters = Dictionary(uniqueKeysWithValues: module.namedParameters().map { ($0.name, $0.parameter) })
        for (key, expected) in grads {
            let actual = key.hasPrefix("input.") ? leaves[String(key.dropFirst(6))]?.grad : parameters[key]?.grad
            expectClose(actual, expected, "\(name): gradient of \(key)")
        }
    }

    struct File: Decodable {
        let multihead: [TransformerModuleCase]
        let encoder_layer: [TransformerModuleCase]
        let `init`: [String: [String: GoldenTensor]]
    }

    static let file: File = Golden.load("transformer.json")
}

/// MultiheadAttention and TransformerEncoderLayer against PyTorch in `Double` (1e-9): keys,
/// outputs, attention weights, every gradient, and the seeded default initialisation.
@Suite("Transformer layers match PyTorch")
struct TransformerLayerGoldenTests {
    @Test("MultiheadAttention: layouts, masks, weights", arguments: TransformerModuleCase.file.multihead)
    func multihead(golden: TransformerModuleCase) throws {
        let layer = MultiheadAttention<Double>(6, golden.heads, bias: golden.bias!, batchFirst: golden.batch_first)
        try golden.verify(layer) { leaves in
            let (output, weights) = layer(
                leaves["query"]!, leaves["key"]!, leaves["value"]!, keyPaddingMask: golden.mask("key_padding_mask", kind: golden.key_padding_kind),
                needWeights: golden.need_weights!, attnMask: golden.mask("attn_mask", kind: golden.attn_mask_kind),
                averageAttnWeights: golden.average!)
            return weights.map { ["output": output, "weights": $0] } ?? ["output": output]
        }
    }

    @Test("TransformerEncoderLayer: post-norm and pre-norm, relu and gelu, masks", arguments: TransformerModuleCase.file.encoder_layer)
    func encoderLayer(golden: TransformerModuleCase) throws {
        let layer = TransformerEncoderLayer<Double>(
            dModel: 6, nhead: golden.heads, dimFeedforward: golden.feedforward!, dropout: 0,
            activation: TransformerActivation(rawValue: golden.activation!)!, batchFirst: golden.batch_first,
            normFirst: golden.norm_first!)
        try golden.verify(layer) { leaves in
            ["output": layer(
                leaves["src"]!, sourceMask: golden.mask("src_mask", kind: golden.inputs["src_mask"] == nil ? nil : "blocked"),
                sourceKeyPaddingMask: golden.mask("src_key_padding_mask", kind: golden.inputs["src_key_padding_mask"] == nil ? nil : "blocked"))]
        }
    }

    @Test("seeded default initialisation: nn.MultiheadAttention(6, 2), nn.TransformerEncoderLayer(6, 2, 10)")
    func initialisation() {
        let expected = TransformerModuleCase.file.`init`
        let mha = MultiheadAttention<Double>(6, 2, generator: Generator(seed: 5))
        for (key, tensor) in mha.stateDict() { expectClose(tensor, expected["multihead"]![key]!, "multihead \(key)") }
        let layer = TransformerEncoderLayer<Double>(dModel: 6, nhead: 2, dimFeedforward: 10, generator: Generator(seed: 6))
        #expect(layer.stateDict().keys.count == expected["encoder_layer"]!.count)
        for (key, tensor) in layer.stateDict() { expectClose(tensor, expected["encoder_layer"]![key]!, "encoder layer \(key)") }
    }

    @Test("gradient checks of MultiheadAttention with and without weights")
    func gradientChecks() {
        let layer = MultiheadAttention<Double>(4, 2, batchFirst: true, generator: Generator(seed: 3))
        let (q, k) = (sample([2, 3, 4], seed: 4), sample([2, 2, 4], seed: 5))
        for needWeights in [false, true] {
            let report = gradientCheck(module: layer, inputs: [q, k]) { x in
                let (output, weights) = layer(x[0], x[1], x[1], needWeights: needWeights)
                return weights.map { output.sum() + ($0 * $0).sum() } ?? output
            }
            #expect(report.passed, "\(report)")
        }
    }
}
