import Foundation
import NN
import Tensor
import Testing

// The model of the README section "Writing a model", verbatim (ExamplesTests' README suite checks it).

// readme:model:begin
/// A character-level language model: an RNN over one-hot characters, then a linear read-out.
final class CharRNN<Scalar: TensorFloatingPoint>: Module<Scalar> {
    let rnn: RNN<Scalar>
    let fc: Linear<Scalar>

    init(vocabularySize: Int, hiddenSize: Int, numLayers: Int = 1, generator: Generator = .default) {
        rnn = RNN(vocabularySize, hiddenSize, numLayers: numLayers, batchFirst: true, generator: generator)
        fc = Linear(hiddenSize, vocabularySize, generator: generator)
    }

    /// One-hot characters `[batch, seq, vocabulary]` to next-character logits of the same shape,
    /// and the final hidden state `[numLayers, batch, hidden]`.
    func callAsFunction(_ x: Tensor<Scalar>, _ h: Tensor<Scalar>? = nil) -> (logits: Tensor<Scalar>, hidden: Tensor<Scalar>) {
        let (output, hidden) = rnn(x, h)
        return (fc(output), hidden)
    }
}
// readme:model:end

/// `training.json`: PyTorch's losses for the README's training loop.
private struct TrainingGolden: Decodable {
    let text: String
    let hidden: Int
    let learningRate: Double
    let epochs: Int
    let lossesFloat32: [Double]
    let lossesFloat64: [Double]

    static let file = Golden.load("training.json", as: TrainingGolden.self)
}

@Suite("README: Writing a model")
struct WritingAModelTests {
    /// The README's training snippet, saving into `directory`; returns each epoch's loss.
    private func readmeTraining(savingIn directory: URL) throws -> [Float] {
        var losses: [Float] = []
        let text = Array("Acknowledgement")
        let vocabulary = Array(Set(text)).sorted()
        let ids = text.map { vocabulary.firstIndex(of: $0)! }
        let x = Tensor<Float>.oneHot(Tensor(Array(ids.dropLast())), classes: vocabulary.count).unsqueeze(0)  // [1, 14, 12]
        let y = Tensor(Array(ids.dropFirst()))                                                                // [14]

        let model = CharRNN<Float>(vocabularySize: vocabulary.count, hiddenSize: 15, generator: Generator(seed: 0))
        let criterion = CrossEntropyLoss<Float>()
        for _ in 0..<20 {
            model.zeroGrad()
            let (logits, _) = model(x)
            let loss = criterion(logits.reshape(-1, vocabulary.count), y)
            loss.backward()
            withNoGrad { for p in model.parameters() { p.addInPlace(p.grad!, scaledBy: -0.1) } }  // plain SGD
            losses.append(loss.item)
        }
        try model.save(to: directory.appendingPathComponent("charrnn.safetensors"), metadata: ["vocabulary": String(vocabulary)])
        return losses
    }

    @Test("the README's training loop reproduces PyTorch's float32 losses and saves a loadable checkpoint")
    func readme() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nn-readme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let losses = try readmeTraining(savingIn: directory)
        let golden = TrainingGolden.file
        expectClose(Tensor(losses.map(Double.init)), GoldenTensor(shape: [golden.epochs], values: golden.lossesFloat32),
                    relative: 1e-5, absolute: 0, "float32 losses")
        let reloaded = CharRNN<Float>(vocabularySize: 12, hiddenSize: 15)
        let checkpoint = try reloaded.load(from: directory.appendingPathComponent("charrnn.safetensors"))
        #expect(checkpoint.metadata == ["vocabulary": "Acdegklmnotw"])
    }

    @Test("in Double the same training matches PyTorch's float64 losses to 1e-9")
    func double() {
        let golden = TrainingGolden.file
        let text = Array(golden.text)
        let vocabulary = Array(Set(text)).sorted()
        let ids = text.map { vocabulary.firstIndex(of: $0)! }
        let x = Tensor<Double>.oneHot(Tensor(Array(ids.dropLast())), classes: vocabulary.count).unsqueeze(0)
        let y = Tensor(Array(ids.dropFirst()))
        let model = CharRNN<Double>(vocabularySize: vocabulary.count, hiddenSize: golden.hidden, generator: Generator(seed: 0))
        #expect(model.stateDict().keys == ["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "fc.weight", "fc.bias"])
        var losses: [Double] = []
        for _ in 0..<golden.epochs {
            model.zeroGrad()
            let loss = crossEntropy(model(x).logits.reshape(-1, vocabulary.count), y)
            loss.backward()
            withNoGrad { for p in model.parameters() { p.addInPlace(p.grad!, scaledBy: -golden.learningRate) } }
            losses.append(loss.item)
        }
        expectClose(Tensor(losses), GoldenTensor(shape: [golden.epochs], values: golden.lossesFloat64), "float64 losses")
    }
}
