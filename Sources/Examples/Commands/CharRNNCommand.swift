import Experiments
import Foundation
import NN
import Optim
import Tensor

/// `examples charrnn`: the book exercise (Karpathy's min-char-rnn in framework style): a char-RNN
/// trained on any text with truncated backpropagation through time, Adagrad and gradient
/// clipping, that periodically writes samples and can be killed and resumed exactly.
enum CharRNNCommand: Command {
    static let name = "charrnn"
    static let summary = "train a char-RNN on a book (truncated BPTT, Adagrad, clipping), sample, checkpoint, resume"
    static let options: [OptionSpec] = [
        .option("--file", "PATH", "the UTF-8 text to learn (required)"),
        .option("--hidden", "N", "hidden size (default 100)"),
        .option("--layers", "N", "RNN layers (default 1)"),
        .option("--seq-length", "N", "characters per truncated-BPTT chunk (default 25)"),
        .option("--lr", "X", "Adagrad learning rate (default 0.1)"),
        .option("--clip", "X", "clip gradient elements to [-X, X] (default 5)"),
        .option("--iterations", "N", "total training iterations (default 2000)"),
        .option("--sample-every", "N", "print a 200-character sample every N iterations (default 500; 0: never)"),
        .option("--length", "N", "length of the final passage (default 500)"),
        .option("--temperature", "T", "sampling temperature (default 1)"),
        .option("--seed", "N", "seed for the initial weights and sampling (default 0)"),
        .option("--save", "PATH", "checkpoint (model, optimizer, position) at the end"),
        .option("--save-every", "N", "also checkpoint every N iterations, atomically (default: only at the end)"),
        .option("--resume", "PATH", "continue from a checkpoint written by --save: its model, optimizer (and learning rate), hidden state, position and sampler"),
        .option("--losses", "PATH", "write iteration,loss CSV for the iterations this run trains"),
        AnomalyOption.spec,
    ]

    static func run(_ options: ParsedOptions, console: Console) throws(ExamplesError) -> JSONValue? {
        guard let path = options.string("--file") else { throw .usage("--file PATH is required") }
        let settings = Settings(
            hidden: try options.int("--hidden", in: 1...100_000) ?? 100,
            layers: try options.int("--layers", in: 1...1000) ?? 1,
            sequenceLength: try options.int("--seq-length", in: 1...1_000_000) ?? 25,
            lr: try options.double("--lr", in: 0...1e9) ?? 0.1,
            lrGiven: options.has("--lr"),
            clip: try options.double("--clip", in: 0...1e300) ?? 5,
            iterations: try options.int("--iterations", in: 0...1_000_000_000) ?? 2000,
            sampleEvery: try options.int("--sample-every", in: 0...Int.max) ?? 500,
            length: try options.int("--length", in: 0...10_000_000) ?? 500,
            temperature: try options.double("--temperature", in: 1e-6...1e6) ?? 1,
            seed: UInt64(try options.int("--seed", in: 0...Int.max) ?? 0),
            savePath: options.string("--save"),
            saveEvery: try options.int("--save-every", in: 1...Int.max),
            resumePath: options.string("--resume"),
            lossesPath: options.string("--losses"))
        if settings.saveEvery != nil && settings.savePath == nil { throw .usage("--save-every needs --save PATH") }
        let text = try readText(path)
        let characters = text.unicodeScalars.count
        guard characters >= 2 else {
            throw .runtime("'\(path)' must have at least 2 characters to predict the next one, it has \(characters)")
        }
        try MemoryBudget(options).checkCharRNN(
            text: text, hidden: settings.hidden, layers: settings.layers, steps: settings.sequenceLength, scalarBytes: 4)
        var training = try BookTraining<Float>(text: text, settings: settings, console: console)
        return try training.run()
    }

    /// The command's settings.
    struct Settings {
        var hidden, layers, sequenceLength: Int
        var lr: Double
        /// Whether `--lr` was given (a resumed run refuses one that differs from the checkpoint's).
        var lrGiven: Bool
        var clip: Double
        var iterations, sampleEvery, length: Int
        var temperature: Double
        var seed: UInt64
        var savePath: String?
        var saveEvery: Int?
        var resumePath: String?
        var lossesPath: String?
    }
}

/// The char-RNN training state and loop.
private struct BookTraining<Scalar: TensorFloatingPoint> {
    let settings: CharRNNCommand.Settings
    let console: Console
    let vocabulary: Vocabulary
    let data: [Int]
    let model: CharRNN<Scalar>
    /// The model's parameters, found once (reflection is not free).
    let parameters: [Tensor<Scalar>]
    let optimizer: Adagrad<Scalar>
    let sampler: Generator
    var iteration = 0, position = 0
    var smoothLoss: Double
    var hidden: Tensor<Scalar>?

    init(text: String, settings: CharRNNCommand.Settings, console: Console) throws(ExamplesError) {
        self.settings = settings
        self.console = console
        (vocabulary, data) = Vocabulary.indexing(text)
        model = CharRNN(
            vocabularySize: vocabulary.count, hiddenSize: settings.hidden, numLayers: settings.layers,
            generator: Generator(seed: settings.seed))
        parameters = model.parameters()
        do {
            optimizer = try Adagrad(parameters, lr: settings.lr)
        } catch {
            throw .usage(error.description)
        }
        sampler = Generator(seed: settings.seed &+ 1)
        smoothLoss = Foundation.log(Double(vocabulary.count))
        if let path = settings.resumePath { try resume(from: path) }
    }

    /// How many characters one chunk predicts: the sequence length, or less for a short text.
    var chunk: Int { Swift.min(settings.sequenceLength, data.count - 1) }

    mutating func run() throws(ExamplesError) -> JSONValue {
        var losses: [(Int, Double)] = []
        let started = Date()
        let first = iteration
        if settings.resumePath != nil && settings.iterations <= iteration {
            console.printError(
                "warning: the checkpoint has done \(iteration) iterations, --iterations \(settings.iterations) is not beyond them: "
                    + "nothing to train (give --iterations above \(iteration) to continue)")
        }
        while iteration < settings.iterations {
            if position + chunk + 1 > data.count { position = 0; hidden = nil }
            let inputs = Tensor<Scalar>.oneHot(Tensor<Int>(Array(data[position..<(position + chunk)])), classes: vocabulary.count).unsqueeze(0)
            let targets = Tensor<Int>(Array(data[(position + 1)...(position + chunk)]))
            optimizer.zeroGrad()
            let (logits, last) = model(inputs, hidden)
            hidden = last.detach()
            let loss = crossEntropy(logits.reshape(-1, vocabulary.count), targets)
            let value = loss.item.doubleValue
            guard value.isFinite else { throw .runtime("loss is \(value.isNaN ? "nan" : "\(value)") at iteration \(iteration + 1)") }
            loss.backward()
            clipGradValue(parameters, clipValue: Scalar(settings.clip))
            optimizer.step()
            position += chunk
            iteration += 1
            smoothLoss = smoothLoss * 0.999 + value * 0.001
            if settings.lossesPath != nil { losses.append((iteration, value)) }  // kept only when asked for
            console.progress("iteration", step: iteration, total: settings.iterations, loss: smoothLoss, started: started, first: first)
            if settings.sampleEvery > 0 && iteration % settings.sampleEvery == 0 {
                console.print("---- iteration \(iteration), smooth loss \(String(format: "%.4f", smoothLoss))")
                console.print(sample(200, from: data[position - 1]))
            }
            if let every = settings.saveEvery, iteration % every == 0 { try save() }
        }
        if settings.savePath != nil { try save() }
        if let path = settings.lossesPath {
            try writeFile((["iteration,loss"] + losses.map { "\($0.0),\(String(format: "%.17g", $0.1))" }).joined(separator: "\n") + "\n", to: path)
        }
        let passage = sample(settings.length, from: data[Swift.max(position - 1, 0)])
        console.print("---- passage after \(iteration) iterations (smooth loss \(String(format: "%.4f", smoothLoss)))")
        console.print(passage)
        return .object([
            ("iterations", .integer(iteration)),
            ("smooth_loss", .number(smoothLoss)),
            ("passage", .string(passage)),
            ("train_seconds", .number(Date().timeIntervalSince(started))),
        ])
    }

    /// `count` characters sampled after `start` from the carried hidden state.
    func sample(_ count: Int, from start: Int) -> String {
        vocabulary.decode(model.sampledContinuation(
            from: start, hidden: hidden, count: count, temperature: settings.temperature, generator: sampler))
    }

    /// Writes model, optimizer, hidden state and position atomically to `--save`.
    func save() throws(ExamplesError) {
        guard let path = settings.savePath else { return }
        var metadata = ["vocabulary": vocabulary.description, "nonlinearity": "tanh", "format": "swifttorch.charrnn"]
        metadata["iteration"] = String(iteration)
        metadata["position"] = String(position)
        metadata["smooth_loss"] = String(format: "%.17g", smoothLoss)
        metadata["sampler"] = sampler.getState().serialized
        let checkpoint = TrainingCheckpoint(
            model: model.stateDict(), optimizer: optimizer.stateDict(), extra: hidden.map { ["hidden": $0] } ?? [:],
            metadata: metadata)
        do {
            try checkpoint.write(to: URL(fileURLWithPath: path))
        } catch {
            throw .runtime("cannot write checkpoint '\(path)': \(error)")
        }
    }

    /// Restores everything `save()` wrote: model, optimizer (with its learning rate: a different
    /// `--lr` is refused), hidden state, position, smooth loss and the sampling generator, so the
    /// resumed run trains and samples as the uninterrupted one.
    mutating func resume(from path: String) throws(ExamplesError) {
        let checkpoint: TrainingCheckpoint<Scalar>
        do {
            checkpoint = try TrainingCheckpoint(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .runtime("cannot resume from '\(path)': \(error)")
        }
        guard let stored = checkpoint.metadata["vocabulary"] else {
            throw .runtime("cannot resume from '\(path)': it is not a charrnn checkpoint (no vocabulary in its metadata)")
        }
        guard stored == vocabulary.description else {
            throw .runtime("cannot resume from '\(path)': it was trained on a text with a different vocabulary")
        }
        guard let iteration = checkpoint.metadata["iteration"].flatMap(Int.init),
              let position = checkpoint.metadata["position"].flatMap(Int.init),
              let smoothLoss = checkpoint.metadata["smooth_loss"].flatMap(Double.init),
              iteration >= 0, position >= 0, position <= data.count, smoothLoss.isFinite,
              let optimizerState = checkpoint.optimizer
        else {
            throw .runtime("cannot resume from '\(path)': it is not a charrnn checkpoint (missing or invalid training state)")
        }
        if let unexpected = checkpoint.extra.keys.first(where: { $0 != "hidden" }) {
            throw .runtime("cannot resume from '\(path)': unexpected training tensor \(PrintableNames.quoted(TrainingCheckpoint<Scalar>.trainingPrefix + unexpected))")
        }
        var samplerState: GeneratorState?
        if let text = checkpoint.metadata["sampler"] {
            guard let state = GeneratorState(serialized: text) else {
                throw .runtime("cannot resume from '\(path)': its sampler state is malformed")
            }
            samplerState = state
        }
        try validateWeights(
            checkpoint,
            expected: CharRNN<Scalar>.parameterShapes(
                vocabularySize: vocabulary.count, hiddenSize: settings.hidden, numLayers: settings.layers, bias: true),
            path: path)
        do {
            _ = try model.loadStateDict(checkpoint.model)
            try optimizer.loadStateDict(optimizerState)
        } catch {
            throw .runtime("cannot resume from '\(path)': \(error)")
        }
        if settings.lrGiven, let stored = optimizer.learningRates.first, stored != settings.lr {
            throw .usage("--lr \(settings.lr) differs from the checkpoint's learning rate \(stored): a resumed run keeps its optimizer's state (leave --lr out)")
        }
        if let samplerState { sampler.setState(samplerState) }
        if let hidden = checkpoint.extra["hidden"] {
            guard hidden.shape == [settings.layers, 1, settings.hidden] else {
                throw .runtime("cannot resume from '\(path)': its hidden state has shape \(hidden.shape)")
            }
            self.hidden = hidden
        }
        self.iteration = iteration
        self.position = position
        self.smoothLoss = smoothLoss
    }
}
