import Experiments
import Foundation
import NN
import Optim
import Tensor

/// The batched language-model workloads of `torch_baseline.py`: `lstm_batched`, `gru_batched`
/// (`recurrent_lm`) and `gpt_char`.
extension BenchCommand {
    /// `recurrent_lm`: Embedding(V, 128) → 2-layer LSTM or GRU of 256 (batch-first) → Linear(256, V),
    /// Adam lr 2e-3, gradient norm clipped to 1, on 32 parallel streams of 64-character chunks
    /// with the state carried (detached) from chunk to chunk.
    static func recurrentLM(lstm: Bool, _ corpus: String, iterations: Int) throws(ExamplesError) -> JSONValue {
        let (batch, sequence, embedSize, hiddenSize, layers) = (32, 64, 128, 256, 2)
        let (vocabulary, data) = Vocabulary.indexing(corpus)
        let classes = vocabulary.count
        let generator = Generator(seed: 0)
        let embed = Embedding<Float>(classes, embedSize, generator: generator)
        let lstmLayer = lstm ? LSTM<Float>(embedSize, hiddenSize, numLayers: layers, batchFirst: true, generator: generator) : nil
        let gruLayer = lstm ? nil : GRU<Float>(embedSize, hiddenSize, numLayers: layers, batchFirst: true, generator: generator)
        let fc = Linear<Float>(hiddenSize, classes, generator: generator)
        let parameters = embed.parameters() + (lstmLayer?.parameters() ?? gruLayer!.parameters()) + fc.parameters()
        let optimizer: Adam<Float>
        do { optimizer = try Adam(parameters, lr: 2e-3) } catch { throw .runtime(error.description) }
        let stride = (data.count - 1) / batch
        var position = 0, lastLoss = 0.0
        var lstmState: (h: Tensor<Float>, c: Tensor<Float>)?, gruState: Tensor<Float>?
        let started = Date()
        for _ in 0..<iterations {
            if position + sequence + 1 > stride { (position, lstmState, gruState) = (0, nil, nil) }
            var inputs: [Int] = [], targets: [Int] = []
            for b in 0..<batch {
                let start = b * stride + position
                inputs += data[start..<(start + sequence)]
                targets += data[(start + 1)...(start + sequence)]
            }
            optimizer.zeroGrad()
            let x = embed(Tensor<Int>(shape: [batch, sequence], scalars: inputs))
            let output: Tensor<Float>
            if let lstmLayer {
                let (out, state) = lstmLayer(x, lstmState)
                (output, lstmState) = (out, (state.h.detach(), state.c.detach()))
            } else {
                let (out, state) = gruLayer!(x, gruState)
                (output, gruState) = (out, state.detach())
            }
            let loss = crossEntropy(fc(output).reshape(-1, classes), Tensor<Int>(targets))
            loss.backward()
            clipGradNorm(parameters, maxNorm: 1)
            optimizer.step()
            lastLoss = loss.item.doubleValue
            position += sequence
        }
        let seconds = Date().timeIntervalSince(started)
        return .object([
            ("workload", .string(lstm ? "lstm_batched" : "gru_batched")), ("seconds", .number(seconds)),
            ("steps", .integer(iterations)), ("us_per_step", .number(seconds / Double(iterations) * 1e6)),
            ("tokens_per_s", .number(Double(iterations * sequence * batch) / seconds)), ("loss", .number(lastLoss)),
        ])
    }

    /// `gpt_char`: nanoGPT's shakespeare_char CPU configuration (``GPT`` with 4 layers, 4 heads,
    /// width 128, context 64, no biases, dropout 0) trained on random windows of the first 90 %
    /// of the text, batch 12, AdamW lr 1e-3, betas (0.9, 0.99), weight decay 0.1 on the matrices,
    /// gradient norm clipped to 1; two untimed warm-up steps.
    static func gptChar(_ corpus: String, iterations: Int) throws(ExamplesError) -> JSONValue {
        let (batch, block) = (12, 64)
        let (vocabulary, data) = Vocabulary.indexing(corpus)
        let train = Array(data[..<Int(0.9 * Double(data.count))])
        let generator = Generator(seed: 0)
        let model = GPT<Float>(GPTConfig(vocabSize: vocabulary.count, blockSize: block), generator: generator)
        let parameters = model.parameters(), groups = model.decayGroups
        let optimizer: AdamW<Float>
        do {
            optimizer = try AdamW(
                [ParameterGroupSpec(groups.decay) { $0.weightDecay = 0.1 }, ParameterGroupSpec(groups.noDecay) { $0.weightDecay = 0 }],
                lr: 1e-3, betas: (0.9, 0.99))
        } catch {
            throw .runtime(error.description)
        }
        var started = Date(), lastLoss = 0.0
        for iteration in 0..<(iterations + 2) {
            if iteration == 2 { started = Date() }
            let offsets = Tensor<Int>.randint(train.count - block - 1, [batch], generator: generator).scalars
            let x = Tensor<Int>(shape: [batch, block], scalars: offsets.flatMap { train[$0..<($0 + block)] })
            let y = Tensor<Int>(shape: [batch, block], scalars: offsets.flatMap { train[($0 + 1)...($0 + block)] })
            let loss = crossEntropy(model(x).reshape(-1, vocabulary.count), y.reshape(-1))
            optimizer.zeroGrad(setToNone: true)
            loss.backward()
            clipGradNorm(parameters, maxNorm: 1)
            optimizer.step()
            lastLoss = loss.item.doubleValue
        }
        let seconds = Date().timeIntervalSince(started)
        return .object([
            ("workload", .string("gpt_char")), ("seconds", .number(seconds)), ("steps", .integer(iterations)),
            ("us_per_step", .number(seconds / Double(iterations) * 1e6)),
            ("tokens_per_s", .number(Double(iterations * batch * block) / seconds)), ("loss", .number(lastLoss)),
        ])
    }
}
