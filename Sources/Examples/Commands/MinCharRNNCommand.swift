import Experiments
import Foundation
import NN
import Tensor

/// `examples min-char-rnn`: the NumPy half of the coursework, Karpathy's min-char-rnn.py, on this
/// framework's tensors: loss summed over each chunk, weights N(0, 1) × 0.01 with zero biases,
/// hand-derived gradients clipped to [−clip, clip], and the NumPy update rules (Adagrad with eps
/// inside the square root), in float64 by default as NumPy computes. Given the same `--init`
/// weights, its per-iteration losses are those of a NumPy implementation.
enum MinCharRNNCommand: Command {
    static let name = "min-char-rnn"
    static let summary = "Karpathy's min-char-rnn (the NumPy RNN): summed loss, hand-derived gradients, NumPy's Adagrad"
    static let options: [OptionSpec] = [
        .option("--file", "PATH", "the UTF-8 text to learn"),
        .option("--text", "STR", "the text to learn, instead of --file"),
        .option("--hidden", "N", "hidden size (default 100)"),
        .option("--seq-length", "N", "characters per chunk (default 25)"),
        .option("--lr", "X", "learning rate (default 0.1)"),
        .option("--iterations", "N", "training iterations (default 10000)"),
        .option("--optimizer", "adagrad|sgd|rmsprop", "update rule, NumPy's forms (default adagrad)"),
        .option("--eps", "X", "added to the memory inside the square root (default 1e-8)"),
        .option("--decay", "X", "RMSprop decay rate of the memory (default 0.9)"),
        .option("--clip", "X", "clip every gradient element to [-X, X] (default 5)"),
        .flag("--no-bias", "no biases bh and by"),
        .option("--seed", "N", "seed of the initial weights and of sampling (default 0)"),
        .option("--init", "PATH", "start from these weights (safetensors or .pt: Wxh, Whh, Why, bh, by)"),
        .option("--save", "PATH", "save the trained weights (Wxh, Whh, Why, bh, by; .pt/.pth/.bin as torch.save, else safetensors)"),
        .option("--losses", "PATH", "write iteration,loss,smooth_loss CSV (iteration from 0, 17 significant digits)"),
        .option("--sample-every", "N", "print a 200-character sample (from the next chunk's first character) every N iterations (default 100; 0: never)"),
        .option("--length", "N", "length of the final passage (default 200)"),
        .flag("--grad-check", "compare the hand-derived gradients with finite differences on the first chunk, in float64; exit 1 above 1e-6"),
        .option("--dtype", "float64|float32", "element type (default float64, as NumPy)"),
    ]

    /// The largest relative error `--grad-check` accepts.
    static let gradientTolerance = 1e-6

    /// The command's settings.
    struct Settings {
        var hidden, sequenceLength, iterations: Int
        var optimizer: MinCharRNNOptimizer<Double>.Rule
        var lr, eps, decay, clip: Double
        var bias: Bool
        var seed: UInt64
        var initPath, savePath, lossesPath: String?
        var sampleEvery, length: Int
    }

    static func run(_ options: ParsedOptions, console: Console) throws(ExamplesError) -> JSONValue? {
        if options.has("--text") && options.has("--file") { throw .usage("give --text or --file, not both") }
        guard options.has("--text") || options.has("--file") else { throw .usage("give the text to learn: --file PATH or --text STR") }
        let positive = Double.leastNonzeroMagnitude...Double.greatestFiniteMagnitude
        let settings = Settings(
            hidden: try options.int("--hidden", in: 1...100_000) ?? 100,
            sequenceLength: try options.int("--seq-length", in: 1...1_000_000) ?? 25,
            iterations: try options.int("--iterations", in: 0...1_000_000_000) ?? 10000,
            optimizer: try options.choice("--optimizer", MinCharRNNOptimizer<Double>.Rule.allCases.map(\.rawValue))
                .flatMap(MinCharRNNOptimizer<Double>.Rule.init(rawValue:)) ?? .adagrad,
            lr: try options.double("--lr", in: 0...Double.greatestFiniteMagnitude) ?? 0.1,
            eps: try options.double("--eps", in: positive) ?? 1e-8,
            decay: try options.double("--decay", in: 0...1) ?? 0.9,
            clip: try options.double("--clip", in: 0...Double.greatestFiniteMagnitude) ?? 5,
            bias: !options.flag("--no-bias"),
            seed: UInt64(try options.int("--seed", in: 0...Int.max) ?? 0),
            initPath: options.string("--init"), savePath: options.string("--save"), lossesPath: options.string("--losses"),
            sampleEvery: try options.int("--sample-every", in: 0...Int.max) ?? 100,
            length: try options.int("--length", in: 0...10_000_000) ?? 200)
        let double = try options.choice("--dtype", ["float64", "float32"]) != "float32"
        let text = try options.string("--file").map { path throws(ExamplesError) in try readText(path) } ?? options.string("--text")!
        guard text.unicodeScalars.count >= 2 else {
            throw .runtime("the text must have at least 2 characters to predict the next one, it has \(text.unicodeScalars.count)")
        }
        if options.flag("--grad-check") { return try gradientCheck(text, settings, console) }
        return double ? try train(text, settings, Double.self, console) : try train(text, settings, Float.self, console)
    }

    /// The model of the settings: min-char-rnn's initialisation from `--seed`, or `--init`'s weights.
    private static func model<Scalar>(_ settings: Settings, vocabulary: Vocabulary) throws(ExamplesError) -> MinCharRNN<Scalar> {
        let model = MinCharRNN<Scalar>(
            vocabularySize: vocabulary.count, hiddenSize: settings.hidden, bias: settings.bias, generator: Generator(seed: settings.seed))
        guard let path = settings.initPath else { return model }
        do {
            let checkpoint = try TrainingCheckpoint<Scalar>(contentsOf: URL(fileURLWithPath: path))
            _ = try model.loadStateDict(checkpoint.model)
        } catch {
            throw .runtime("cannot load '\(path)': \(error)")
        }
        return model
    }

    private static func train<Scalar: TensorFloatingPoint>(
        _ text: String, _ settings: Settings, _ type: Scalar.Type, _ console: Console
    ) throws(ExamplesError) -> JSONValue {
        let (vocabulary, data) = Vocabulary.indexing(text)
        let model: MinCharRNN<Scalar> = try model(settings, vocabulary: vocabulary)
        let optimizer = MinCharRNNOptimizer<Scalar>(
            MinCharRNNOptimizer<Scalar>.Rule(rawValue: settings.optimizer.rawValue)!, lr: settings.lr, eps: settings.eps,
            decay: settings.decay)
        var training = MinCharRNNTraining(
            model: model, data: data, sequenceLength: settings.sequenceLength, optimizer: optimizer, clip: settings.clip)
        let sampler = Generator(seed: settings.seed &+ 1)
        // As min-char-rnn samples: from the next chunk's first character and the state it starts
        // with (so a short text, trained whole from h = 0, is sampled from its first character).
        func sample(_ count: Int) -> String {
            guard count > 0 else { return "" }
            let (start, hidden) = training.nextStart()
            return vocabulary.decode([start] + model.sample(from: start, hidden: hidden, count: count - 1, generator: sampler))
        }
        var rows: [(loss: Double, smooth: Double)] = []
        var lastLoss: Double?
        let started = Date()
        while training.iteration < settings.iterations {
            let loss = training.step()
            guard loss.isFinite else { throw .runtime("loss is \(loss.isNaN ? "nan" : "\(loss)") at iteration \(training.iteration)") }
            lastLoss = loss
            if settings.lossesPath != nil { rows.append((loss, training.smoothLoss)) }  // kept only when asked for
            console.progress("iteration", step: training.iteration, total: settings.iterations, loss: training.smoothLoss, started: started)
            if settings.sampleEvery > 0 && training.iteration % settings.sampleEvery == 0 {
                console.print("---- iteration \(training.iteration), loss \(String(format: "%.4f", loss)), smooth loss \(String(format: "%.4f", training.smoothLoss))")
                console.print(sample(200))
            }
        }
        let seconds = Date().timeIntervalSince(started)
        if let path = settings.savePath {
            do {
                try TrainingCheckpoint<Scalar>(
                    model: model.stateDict(), metadata: ["vocabulary": vocabulary.description, "format": "swifttorch.min-char-rnn"]
                ).write(to: URL(fileURLWithPath: path))
            } catch {
                throw .runtime("cannot write '\(path)': \(error)")
            }
        }
        if let path = settings.lossesPath {
            let lines = rows.enumerated().map { "\($0.offset),\(String(format: "%.17g", $0.element.loss)),\(String(format: "%.17g", $0.element.smooth))" }
            try writeFile((["iteration,loss,smooth_loss"] + lines).joined(separator: "\n") + "\n", to: path)
        }
        let passage = sample(settings.length)
        console.print("---- passage after \(training.iteration) iterations (smooth loss \(String(format: "%.4f", training.smoothLoss)))")
        console.print(passage)
        return .object([
            ("iterations", .integer(training.iteration)),
            ("loss", lastLoss.map(JSONValue.number) ?? .null),
            ("smooth_loss", .number(training.smoothLoss)),
            ("passage", .string(passage)),
            ("train_seconds", .number(seconds)),
        ])
    }

    /// `--grad-check`: the gradient-check table at the initial weights, in float64.
    private static func gradientCheck(_ text: String, _ settings: Settings, _ console: Console) throws(ExamplesError) -> JSONValue {
        let (vocabulary, data) = Vocabulary.indexing(text)
        let model: MinCharRNN<Double> = try model(settings, vocabulary: vocabulary)
        let length = Swift.min(settings.sequenceLength, data.count - 1)
        let rows = model.gradientCheck(
            inputs: Array(data[0..<length]), targets: Array(data[1...length]), hidden: model.zeroHidden())
        console.print("gradient check on the first \(length) characters (float64): max |analytic - numerical| / max |gradient|")
        let shapes = rows.map { "\($0.shape)" }
        let width = Swift.max(5, shapes.map(\.count).max() ?? 0)
        console.print("parameter  " + "shape".padding(toLength: width, withPad: " ", startingAt: 0) + "  relative error")
        for (row, shape) in zip(rows, shapes) {
            let verdict = row.relativeError <= gradientTolerance ? "" : "  FAILED"
            console.print(row.name.padding(toLength: 9, withPad: " ", startingAt: 0) + "  "
                + shape.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + String(format: "%.2e", row.relativeError) + verdict)
        }
        if let worst = rows.max(by: { $0.relativeError < $1.relativeError }), !(worst.relativeError <= gradientTolerance) {
            throw .runtime("gradient check failed: \(worst.name) has relative error \(String(format: "%.2e", worst.relativeError)), above \(gradientTolerance)")
        }
        return .object([
            ("gradient_check", .object(rows.map { ($0.name, JSONValue.number($0.relativeError)) })),
            ("passed", .bool(true)),
        ])
    }
}
