import NN
import Tensor
import Testing

/// A loss case of `losses.json`: PyTorch's value and the gradients of Σ loss ⊙ upstream.
struct LossCase: Decodable, Sendable, CustomTestStringConvertible {
    struct Options: Decodable, Sendable {
        var reduction: String
        var ignoreIndex: Int?
        var labelSmoothing: Double?
    }

    let name: String
    let loss: String
    let options: Options
    let input: GoldenTensor
    let target: GoldenTensor
    let targetIsIndex: Bool
    let output: GoldenTensor
    let upstream: GoldenTensor
    let gradInput: GoldenTensor
    let gradTarget: GoldenTensor?
    let weight: GoldenTensor?
    let posWeight: GoldenTensor?

    var testDescription: String { name }

    static let all: [LossCase] = {
        struct File: Decodable { let cases: [LossCase] }
        return Golden.load("losses.json", as: File.self).cases
    }()

    static func of(_ loss: String) -> [LossCase] { all.filter { $0.loss == loss } }

    var reduction: Reduction { Reduction(rawValue: options.reduction)! }

    /// Runs `compute` on leaves holding the input (and a floating-point target), then compares
    /// the value and the gradients with PyTorch's.
    func check(_ compute: (Tensor<Double>, Tensor<Double>?) -> Tensor<Double>) {
        let x = input.double.requiringGrad()
        let t = targetIsIndex ? nil : target.double.requiringGrad()
        let value = compute(x, t)
        expectClose(value, output, "\(name) value")
        (value * upstream.double).sum().backward()
        expectClose(x.grad, gradInput, "\(name) input gradient")
        if let gradTarget { expectClose(t?.grad, gradTarget, "\(name) target gradient") }
    }
}

@Suite("Losses against PyTorch (float64, 1e-9)")
struct LossGoldenTests {
    @Test("CrossEntropyLoss: index and probability targets, weights, ignoreIndex, smoothing, reductions", arguments: LossCase.of("cross_entropy"))
    func crossEntropyLoss(_ c: LossCase) {
        let criterion = CrossEntropyLoss(
            weight: c.weight?.double, ignoreIndex: c.options.ignoreIndex!, reduction: c.reduction,
            labelSmoothing: c.options.labelSmoothing!)
        c.check { x, t in t.map { criterion(x, $0) } ?? criterion(x, c.target.int) }
    }

    @Test("NLLLoss", arguments: LossCase.of("nll"))
    func nllLossCases(_ c: LossCase) {
        let criterion = NLLLoss(weight: c.weight?.double, ignoreIndex: c.options.ignoreIndex!, reduction: c.reduction)
        c.check { x, _ in criterion(x, c.target.int) }
    }

    /// PyTorch adds `nll_loss`'s terms in a cascade of partial sums; so does `nllLoss`, so over
    /// hundreds of rows of far-apart magnitudes the value is PyTorch's to the last bit (a plain
    /// running sum differs from it in these cases).
    @Test("NLLLoss adds its terms in PyTorch's order: the value is bit-identical",
          arguments: LossCase.of("nll").filter { $0.name.hasPrefix("nll_cascade") })
    func nllLossBitIdentical(_ c: LossCase) {
        let criterion = NLLLoss(weight: c.weight?.double, ignoreIndex: c.options.ignoreIndex!, reduction: c.reduction)
        #expect(criterion(c.input.double, c.target.int).item == c.output.values[0])
    }

    @Test("MSELoss", arguments: LossCase.of("mse"))
    func mse(_ c: LossCase) {
        let criterion = MSELoss<Double>(reduction: c.reduction)
        c.check { x, t in criterion(x, t!) }
    }

    @Test("BCEWithLogitsLoss", arguments: LossCase.of("bce_with_logits"))
    func bceWithLogits(_ c: LossCase) {
        let criterion = BCEWithLogitsLoss(weight: c.weight?.double, reduction: c.reduction, posWeight: c.posWeight?.double)
        c.check { x, t in criterion(x, t!) }
    }

    @Test("The functional forms equal the modules")
    func functionalForms() {
        let logits = Tensor<Double>.uniform([4, 3], lower: -2, upper: 2, generator: Generator(seed: 5))
        let targets = Tensor<Int>([0, 2, 1, 2])
        let weight = Tensor<Double>([0.5, 1, 2])
        #expect(
            crossEntropy(logits, targets, weight: weight, labelSmoothing: 0.1).item
                == CrossEntropyLoss(weight: weight, labelSmoothing: 0.1)(logits, targets).item)
        #expect(nllLoss(logits.logSoftmax(axis: 1), targets).item == crossEntropy(logits, targets).item)
        #expect(mseLoss(logits, logits * 2, reduction: .sum).item == MSELoss(reduction: .sum)(logits, logits * 2).item)
    }
}
