import NN
import Tensor
import Testing

/// One case of Golden/transformer.json (make_transformer_golden.py): inputs, PyTorch's output,
/// the upstream gradient u and PyTorch's gradients of sum(output · u).
struct TransformerCase: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let inputs: [String: GoldenTensor]
    let output: GoldenTensor
    let upstream: GoldenTensor
    let grads: [String: GoldenTensor]
    // layer_norm
    let normalized_shape: [Int]?
    let eps: Double?
    // gelu
    let approximate: String?
    // attention
    let is_causal: Bool?
    let scale: Double?
    let mask_kind: String?
    let mask: GoldenTensor?

    var testDescription: String { name }

    /// The inputs as leaves requiring gradients.
    func leaf(_ key: String) -> Tensor<Double>? { inputs[key].map { $0.double.requiringGrad() } }

    /// Checks `output` and the gradients of `leaves` against PyTorch's.
    func verify(_ output: Tensor<Double>, _ leaves: [String: Tensor<Double>], sourceLocation: SourceLocation = #_sourceLocation) {
        expectClose(output, self.output, "\(name): output", sourceLocation: sourceLocation)
        (output * upstream.double).sum().backward()
        for (key, expected) in grads {
            expectClose(leaves[key]?.grad, expected, "\(name): gradient of \(key)", sourceLocation: sourceLocation)
        }
    }

    struct File: Decodable {
        let layer_norm: [TransformerCase]
        let gelu: [TransformerCase]
        let attention: [TransformerCase]
    }

    static let file: File = Golden.load("transformer.json")
}

/// LayerNorm, GELU and scaled dot-product attention against PyTorch in `Double` (1e-9), and their
/// gradients against central differences.
@Suite("Transformer ops match PyTorch")
struct TransformerGoldenTests {
    @Test("layerNorm: output and gradients of input, weight and bias", arguments: TransformerCase.file.layer_norm)
    func layerNormGolden(golden: TransformerCase) {
        var leaves: [String: Tensor<Double>] = [:]
        for key in golden.inputs.keys { leaves[key] = golden.leaf(key) }
        let y = layerNorm(
            leaves["input"]!, normalizedShape: golden.normalized_shape!, weight: leaves["weight"], bias: leaves["bias"],
            eps: golden.eps!)
        golden.verify(y, leaves)
    }

    @Test("the LayerNorm module: keys, initial values, description")
    func layerNormModule() {
        let norm = LayerNorm<Double>(4)
        #expect(norm.namedParameters().map(\.name) == ["weight", "bias"])
        #expect(norm.weight!.scalars == [1, 1, 1, 1] && norm.bias!.scalars == [0, 0, 0, 0])
        #expect(norm.description == "LayerNorm((4,), eps=1e-05, elementwise_affine=True)")
        #expect(LayerNorm<Double>(4, bias: false).namedParameters().map(\.name) == ["weight"])
        #expect(LayerNorm<Double>([2, 3], elementwiseAffine: false).namedParameters().isEmpty)
    }

    @Test("gelu: exact and tanh", arguments: TransformerCase.file.gelu)
    func geluGolden(golden: TransformerCase) {
        let x = golden.leaf("input")!
        let approximate = GELUApproximation(rawValue: golden.approximate!)!
        golden.verify(GELU<Double>(approximate: approximate)(x), ["input": x])
        // Float runs its own vectorised path: values and gradients within Float's precision.
        let xf = golden.inputs["input"]!.float.requiringGrad()
        let floats = gelu(xf, approximate: approximate)
        expectClose(floats.converted(to: Double.self), golden.output, relative: 1e-5, absolute: 1e-6, "\(golden.name) (Float)")
        (floats * golden.upstream.float).sum().backward()
        expectClose(xf.grad?.converted(to: Double.self), golden.grads["input"]!, relative: 1e-5, absolute: 1e-6, "\(golden.name) (Float gradient)")
    }

    @Test("scaledDotProductAttention: masks, causal, scale", arguments: TransformerCase.file.attention)
    func attentionGolden(golden: TransformerCase) {
        let (q, k, v) = (golden.leaf("query")!, golden.leaf("key")!, golden.leaf("value")!)
        let mask: AttentionMask<Double>? = switch golden.mask_kind {
        case "allowed": .allowed(golden.mask!.double .!= 0)
        case "additive": .additive(golden.mask!.double)
        default: nil
        }
        let y = scaledDotProductAttention(q, k, v, mask: mask, isCausal: golden.is_causal!, scale: golden.scale)
        golden.verify(y, ["query": q, "key": k, "value": v])
    }

    @Test("gradient checks: layerNorm, gelu, attention (causal, masked, dropout with a fixed seed)")
    func gradientChecks() {
        let x = sample([3, 5], seed: 1), w = sample([5], seed: 2), b = sample([5], seed: 3)
        var report = gradientCheck(of: { layerNorm($0[0], normalizedShape: [5], weight: $0[1], bias: $0[2]) }, at: [x, w, b])
        #expect(report.passed, "\(report)")
        for approximate in GELUApproximation.allCases {
            report = gradientCheck(of: { gelu($0[0], approximate: approximate) }, at: [sample([4, 4], seed: 4)])
            #expect(report.passed, "\(report)")
        }
        let (q, k, v) = (sample([2, 2, 4, 3], seed: 5), sample([2, 2, 4, 3], seed: 6), sample([2, 2, 4, 5], seed: 7))
        report = gradientCheck(of: { scaledDotProductAttention($0[0], $0[1], $0[2], isCausal: true) }, at: [q, k, v])
        #expect(report.passed, "\(report)")
        let mask = AttentionMask<Double>.additive(sample([4, 4], seed: 8))
        report = gradientCheck(of: { scaledDotProductAttention($0[0], $0[1], $0[2], mask: mask, scale: 0.3) }, at: [q, k, v])
        #expect(report.passed, "\(report)")
        report = gradientCheck(
            of: { scaledDotProductAttention($0[0], $0[1], $0[2], dropoutP: 0.3, generator: Generator(seed: 9)) },
            at: [q, k, v])
        #expect(report.passed, "\(report)")
    }

    @Test("attention dropout keeps the expected fraction and rescales by 1 / (1 - p)")
    func attentionDropout() {
        // One key: every probability is 1, so the output is value · (0 or 1 / (1 - p)).
        let q = Tensor<Double>.ones([1, 2000, 1]), k = Tensor<Double>.ones([1, 1, 1]), v = Tensor<Double>.ones([1, 1, 1])
        let y = scaledDotProductAttention(q, k, v, dropoutP: 0.25, generator: Generator(seed: 3)).scalars
        #expect(Set(y) == [0, 1 / 0.75])
        let kept = Double(y.filter { $0 != 0 }.count) / 2000
        #expect(abs(kept - 0.75) < 0.05)
    }
}
