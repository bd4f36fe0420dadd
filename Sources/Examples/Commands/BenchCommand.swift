import Experiments
import Foundation
import NN
import Optim
import Tensor

/// `examples bench`: the workloads of `shared/bench/torch_baseline.py`, step for step, printing
/// one JSON line per workload with the same keys, so the two can be compared side by side
/// (with or without `--json`: every line of its output is JSON).
enum BenchCommand: Command {
    static let name = "bench"
    static let summary = "time the torch_baseline.py workloads (one JSON line each)"
    static let options: [OptionSpec] = [
        .option("--threads", "N", "the most threads the kernels may use (default: all cores)"),
        .option("--corpus", "PATH", "the text for the charrnn workloads (they are skipped without it)"),
        .option("--only", "A,B,...", "run only these workloads (default: every workload)"),
    ]

    /// Every workload, in the baseline's order.
    static let workloads = [
        "acknowledgement", "edgement", "sentence", "charrnn", "charrnn_batched", "lstm_batched", "gru_batched", "gpt_char",
        "gemm128", "gemm512", "gemm1024", "gemm2048",
    ]

    static func run(_ options: ParsedOptions, console: Console) throws(ExamplesError) -> JSONValue? {
        let threads = try options.int("--threads", in: 1...1024) ?? ProcessInfo.processInfo.activeProcessorCount
        let only = try options.list("--only")
        for name in only ?? [] where !workloads.contains(name) {
            throw .usage("unknown workload '\(name)' in --only (known: \(workloads.joined(separator: ", ")))")
        }
        let corpus = try options.string("--corpus").map { path throws(ExamplesError) in try readText(path) }
        if let corpus, corpus.unicodeScalars.count < 64 * 32 + 2 {
            throw .runtime("the corpus is too short for the charrnn workloads (\(corpus.unicodeScalars.count) characters)")
        }
        try withThreads(threads) {
            Result { () throws(ExamplesError) in try runWorkloads(only: only, corpus: corpus, threads: threads, console: console) }
        }.get()
        return nil
    }

    /// Runs the selected workloads in the baseline's order, printing each one's JSON line as it ends.
    private static func runWorkloads(only: [String]?, corpus: String?, threads: Int, console: Console) throws(ExamplesError) {
        func wanted(_ name: String) -> Bool { only?.contains(name) ?? true }
        func report(_ line: JSONValue) {
            guard case .object(let pairs) = line else { return }
            console.print(JSONValue.object(pairs + [("threads", .integer(threads))]).serialized)
        }
        if wanted("acknowledgement") {
            report(try wordTask("acknowledgement", "Acknowledgement", hidden: 15, epochs: 1000, OptimizerSpec(.adam, lr: 0.01)))
        }
        if wanted("edgement") {
            var spec = OptimizerSpec(.rmsprop, lr: 0.4)
            spec.alpha = 0.5
            spec.eps = 1e-18
            report(try wordTask("edgement", "Acknowledgement", hidden: 5, epochs: 100, spec))
        }
        if wanted("sentence") {
            report(try wordTask(
                "sentence", "All the faith he had had had had no effect on the outcome of his life.", hidden: 50,
                epochs: 1000, OptimizerSpec(.rmsprop, lr: 0.01)))
        }
        if let corpus, wanted("charrnn") {
            report(try charRNN("charrnn", corpus, hidden: 100, sequence: 25, batch: 1, layers: 1, iterations: 2000, adam: false))
        }
        if let corpus, wanted("charrnn_batched") {
            report(try charRNN("charrnn_batched", corpus, hidden: 256, sequence: 64, batch: 32, layers: 2, iterations: 30, adam: true))
        }
        for kind in ["lstm", "gru"] where corpus != nil && wanted("\(kind)_batched") {
            report(try recurrentLM(lstm: kind == "lstm", corpus!, iterations: 20))
        }
        if let corpus, wanted("gpt_char") {
            report(try gptChar(corpus, iterations: 30))
        }
        for (size, repetitions) in [(128, 400), (512, 40), (1024, 8), (2048, 2)] where wanted("gemm\(size)") {
            report(gemm(size, repetitions))
        }
    }

    /// The coursework word task: `epochs` full-text steps, then the greedy prediction.
    private static func wordTask(_ name: String, _ text: String, hidden: Int, epochs: Int, _ spec: OptimizerSpec) throws(ExamplesError) -> JSONValue {
        let task: CharTask<Float>
        do { task = try CharTask(text: text) } catch { throw .runtime(error.description) }
        let model = CharRNN<Float>(vocabularySize: task.vocabulary.count, hiddenSize: hidden, generator: Generator(seed: 0))
        let optimizer: any Optimizer<Float>
        do { optimizer = try spec.make(model.parameters()) } catch { throw .runtime(error.description) }
        let result: TrainingResult
        do { result = try train(model, on: task, optimizer: optimizer, epochs: epochs) } catch { throw .runtime(error.description) }
        let prediction = greedyPrediction(model, task)
        return .object([
            ("workload", .string(name)), ("seconds", .number(result.seconds)), ("steps", .integer(epochs)),
            ("us_per_step", .number(result.seconds / Double(epochs) * 1e6)), ("loss", .number(result.finalLoss)),
            ("prediction", .string(prediction)),
        ])
    }

    /// Truncated-BPTT training on the corpus as the baseline does it (`batch` streams, one
    /// chunk of `sequence` characters each per step), then (batch 1) sampling 1000 characters.
    private static func charRNN(
        _ name: String, _ corpus: String, hidden: Int, sequence: Int, batch: Int, layers: Int, iterations: Int, adam: Bool
    ) throws(ExamplesError) -> JSONValue {
        let (vocabulary, data) = Vocabulary.indexing(corpus)
        let classes = vocabulary.count
        let model = CharRNN<Float>(vocabularySize: classes, hiddenSize: hidden, numLayers: layers, generator: Generator(seed: 0))
        let parameters = model.parameters()
        let optimizer: any Optimizer<Float>
        do {
            optimizer = adam ? try Adam(parameters, lr: 2e-3) : try Adagrad(parameters, lr: 0.1)
        } catch {
            throw .runtime(error.description)
        }
        let streamLength = (data.count - 1) / batch
        var hiddenState: Tensor<Float>?
        var position = 0
        var lastLoss = 0.0
        let started = Date()
        for _ in 0..<iterations {
            if position + sequence + 1 > streamLength { position = 0; hiddenState = nil }
            var inputs: [Int] = [], targets: [Int] = []
            for b in 0..<batch {
                let start = b * streamLength + position
                inputs += data[start..<(start + sequence)]
                targets += data[(start + 1)...(start + sequence)]
            }
            optimizer.zeroGrad()
            let x = Tensor<Float>.oneHot(Tensor<Int>(shape: [batch, sequence], scalars: inputs), classes: classes)
            let (logits, last) = model(x, hiddenState)
            hiddenState = last.detach()
            let loss = crossEntropy(logits.reshape(-1, classes), Tensor<Int>(targets))
            loss.backward()
            clipGradValue(parameters, clipValue: 5)
            optimizer.step()
            lastLoss = loss.item.doubleValue
            position += sequence
        }
        let seconds = Date().timeIntervalSince(started)
        var fields: [(String, JSONValue)] = [
            ("workload", .string(name)), ("seconds", .number(seconds)), ("steps", .integer(iterations)),
            ("us_per_step", .number(seconds / Double(iterations) * 1e6)),
        ]
        if batch > 1 {
            fields.append(("tokens_per_s", .number(Double(iterations * sequence * batch) / seconds)))
            fields.append(("loss", .number(lastLoss)))
        } else {
            let sampling = Date()
            _ = model.sampledContinuation(from: 0, count: 1000, temperature: 1, generator: Generator(seed: 0))
            fields.append(("loss", .number(lastLoss)))
            fields.append(("sample_1000_chars_s", .number(Date().timeIntervalSince(sampling))))
        }
        return .object(fields)
    }

    /// `repetitions` products of two random `size x size` Float matrices after 3 warm-ups.
    private static func gemm(_ size: Int, _ repetitions: Int) -> JSONValue {
        let a = Tensor<Float>.randn([size, size], generator: Generator(seed: 1))
        let b = Tensor<Float>.randn([size, size], generator: Generator(seed: 2))
        for _ in 0..<3 { _ = a.matmul(b) }
        let started = Date()
        for _ in 0..<repetitions { _ = a.matmul(b) }
        let seconds = Date().timeIntervalSince(started)
        return .object([
            ("workload", .string("gemm\(size)")), ("seconds", .number(seconds)),
            ("gflops", .number(2 * pow(Double(size), 3) * Double(repetitions) / seconds / 1e9)),
        ])
    }
}
