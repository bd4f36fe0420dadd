import Experiments
import Optim
import Foundation
import NN
import Tensor

/// `examples bias`: the coursework's first question — does the model need bias terms? Each
/// seed's no-bias model starts from the bias model's weights with the biases removed; the table
/// has the reports' shape, one row per hidden size and seed, the final loss with and without bias.
/// `--style min-char-rnn` asks the question of the NumPy model (``MinCharRNN``) instead.
enum BiasCommand: Command {
    static let name = "bias"
    static let summary = "train with and without bias terms from otherwise equal starts, over hidden sizes and seeds"
    static var options: [OptionSpec] {
        // Both variants of every seed from --seeds, nothing loaded or saved.
        TaskOptions.specs(
            defaults, excluding: ["--seed", "--no-bias", "--init", "--save", "--save-every", "--losses"],
            help: ["--epochs": "training epochs; iterations with --style min-char-rnn (default \(defaults.epochs))"]) + [
            .option("--hidden-sizes", "A,B,...", "hidden sizes to compare, one table row each per seed (default: --hidden)"),
            .option("--seeds", "A,B,...", "the seeds to try (default 0,1,2)"),
            .option("--style", "pytorch|min-char-rnn", "the coursework's PyTorch model, or the NumPy min-char-rnn (summed loss, "
                + "NumPy's update rules: --optimizer adagrad|sgd|rmsprop, default adagrad lr 0.1, eps 1e-8, decay = --alpha 0.9, "
                + "clip 5, seq length 25, float64) (default pytorch)"),
            .option("--csv", "PATH", "write the loss curves (one column per run)"),
            .option("--svg", "PATH", "write the loss curves as an SVG chart"),
        ]
    }

    /// Adam lr 0.01, 500 epochs.
    static let defaults = TaskOptions.Defaults(optimizer: OptimizerSpec(.adam, lr: 0.01), epochs: 500)

    static func run(_ options: ParsedOptions, console: Console) throws(ExamplesError) -> JSONValue? {
        let task = try TaskOptions(options, defaults: defaults)
        let seeds = try seedList(options)
        if options.has("--hidden") && options.has("--hidden-sizes") { throw .usage("give --hidden or --hidden-sizes, not both") }
        let sizes = try sizeList(options, "--hidden-sizes") ?? [task.hidden]
        let minChar = try options.choice("--style", ["pytorch", "min-char-rnn"]) == "min-char-rnn"
        let report: ComparisonReport
        let description: String
        if minChar {
            let settings = try MinCharSettings(options)
            let double = try options.choice("--dtype", ["float32", "float64"]) != "float32"
            report = double
                ? try runMinChar(task, settings, sizes, seeds, Double.self, console)
                : try runMinChar(task, settings, sizes, seeds, Float.self, console)
            description = "min-char-rnn, \(settings.rule.rawValue) lr \(settings.lr), \(task.epochs) iterations, loss summed over the chunk"
        } else {
            report = task.double
                ? try run(task, sizes, seeds, Double.self, console) : try run(task, sizes, seeds, Float.self, console)
            description = "\(task.optimizer.kind.rawValue) lr \(task.optimizer.lr ?? OptimizerSpec.defaultLR(task.optimizer.kind)), "
                + "\(task.epochs) epochs, mean loss"
        }
        console.print("Final loss with and without bias on \"\(task.text.prefix(40))\" (\(description))")
        console.print(biasTable(report, sizes: sizes, seeds: seeds))
        try writeReports(report, options, title: "With and without bias on \"\(task.text.prefix(40))\" (\(description))")
        return .object([("results", results(report))])
    }

    /// The result name of one run.
    static func runName(bias: Bool, hidden: Int, seed: UInt64) -> String {
        "\(bias ? "bias" : "no bias"), hidden \(hidden), seed \(seed)"
    }

    /// The reports' table: hidden size and seed, then the final loss with and without bias.
    static func biasTable(_ report: ComparisonReport, sizes: [Int], seeds: [UInt64]) -> String {
        let losses = Dictionary(report.results.map { ($0.name, $0.finalLoss) }, uniquingKeysWith: { first, _ in first })
        let header = ["hidden", "seed", "with bias", "without bias"]
        var rows: [[String]] = []
        for size in sizes {
            for seed in seeds {
                let cells = [true, false].map { bias in
                    losses[runName(bias: bias, hidden: size, seed: seed)].map { String(format: "%.6g", $0) } ?? "-"
                }
                rows.append(["\(size)", "\(seed)"] + cells)
            }
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { String(repeating: " ", count: widths[$0.offset] - $0.element.count) + $0.element }
                .joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }

    private static func run<Scalar: TensorFloatingPoint>(
        _ options: TaskOptions, _ sizes: [Int], _ seeds: [UInt64], _ type: Scalar.Type, _ console: Console
    ) throws(ExamplesError) -> ComparisonReport {
        let task: CharTask<Scalar>
        do { task = try CharTask(text: options.text) } catch { throw .runtime(error.description) }
        var results: [ComparisonReport.Result] = []
        for size in sizes {
            for seed in seeds {
                let withBias = CharRNN<Scalar>(
                    vocabularySize: task.vocabulary.count, hiddenSize: size, numLayers: options.layers,
                    nonlinearity: options.nonlinearity, bias: true, generator: Generator(seed: seed))
                let withoutBias = CharRNN<Scalar>(
                    vocabularySize: task.vocabulary.count, hiddenSize: size, numLayers: options.layers,
                    nonlinearity: options.nonlinearity, bias: false, generator: Generator(seed: seed))
                do {
                    _ = try withoutBias.loadStateDict(withBias.stateDict().copied(), strict: false)
                } catch {
                    throw .runtime("cannot copy weights: \(error)")
                }
                for (bias, model) in [(true, withBias), (false, withoutBias)] {
                    results.append(try trainForReport(runName(bias: bias, hidden: size, seed: seed), model, task, options, console))
                }
            }
        }
        return ComparisonReport(results: results)
    }

    /// The NumPy model's settings under `--style min-char-rnn`.
    struct MinCharSettings {
        var rule: MinCharRNNOptimizer<Double>.Rule
        var lr, eps, decay, clip: Double

        init(_ options: ParsedOptions) throws(ExamplesError) {
            let name = try options.choice("--optimizer", OptimizerSpec.Kind.allCases.map(\.rawValue)) ?? "adagrad"
            guard let rule = MinCharRNNOptimizer<Double>.Rule(rawValue: name) else {
                throw .usage("--style min-char-rnn trains with sgd, adagrad or rmsprop, not \(name)")
            }
            self.rule = rule
            lr = try options.double("--lr", in: 0...Double.greatestFiniteMagnitude) ?? 0.1
            eps = try options.double("--eps", in: Double.leastNonzeroMagnitude...Double.greatestFiniteMagnitude) ?? 1e-8
            decay = try options.double("--alpha", in: 0...1) ?? 0.9
            clip = try options.double("--clip", in: 0...Double.greatestFiniteMagnitude) ?? 5
        }
    }

    private static func runMinChar<Scalar: TensorFloatingPoint>(
        _ options: TaskOptions, _ settings: MinCharSettings, _ sizes: [Int], _ seeds: [UInt64], _ type: Scalar.Type,
        _ console: Console
    ) throws(ExamplesError) -> ComparisonReport {
        let (vocabulary, data) = Vocabulary.indexing(options.text)
        guard data.count >= 2 else { throw .runtime("the text must have at least 2 characters to predict the next one") }
        var results: [ComparisonReport.Result] = []
        for size in sizes {
            for seed in seeds {
                for bias in [true, false] {
                    // The biases start at 0, so both models draw the same weights from the seed.
                    let model = MinCharRNN<Scalar>(
                        vocabularySize: vocabulary.count, hiddenSize: size, bias: bias, generator: Generator(seed: seed))
                    let optimizer = MinCharRNNOptimizer<Scalar>(
                        MinCharRNNOptimizer<Scalar>.Rule(rawValue: settings.rule.rawValue)!, lr: settings.lr, eps: settings.eps,
                        decay: settings.decay)
                    var training = MinCharRNNTraining(model: model, data: data, sequenceLength: 25, optimizer: optimizer, clip: settings.clip)
                    let name = runName(bias: bias, hidden: size, seed: seed)
                    let started = Date()
                    var losses: [Double] = []
                    while training.iteration < options.epochs {
                        let loss = training.step()
                        guard loss.isFinite else { throw .runtime("\(name): loss is \(loss.isNaN ? "nan" : "\(loss)") at iteration \(training.iteration)") }
                        losses.append(loss)
                        console.progress(name, step: training.iteration, total: options.epochs, loss: loss, started: started)
                    }
                    results.append(.init(name: name, losses: losses, convergedEpoch: nil, seconds: Date().timeIntervalSince(started)))
                }
            }
        }
        return ComparisonReport(results: results)
    }
}

/// A comma-separated list of positive sizes (`--hidden-sizes 50,75,100`), if given.
func sizeList(_ options: ParsedOptions, _ name: String) throws(ExamplesError) -> [Int]? {
    guard let items = try options.list(name) else { return nil }
    var sizes: [Int] = []
    for item in items {
        guard let size = Int(item), size >= 1, size <= 100_000 else { throw .usage("option '\(name)' expects positive integers, got '\(item)'") }
        sizes.append(size)
    }
    return sizes
}

/// `--seeds` as a list of non-negative integers (default 0, 1, 2).
func seedList(_ options: ParsedOptions) throws(ExamplesError) -> [UInt64] {
    guard let items = try options.list("--seeds") else { return [0, 1, 2] }
    var seeds: [UInt64] = []
    for item in items {
        guard let seed = UInt64(item) else { throw .usage("option '--seeds' expects non-negative integers, got '\(item)'") }
        seeds.append(seed)
    }
    return seeds
}

/// Trains `model` with the command line's optimizer and records the result under `name`.
func trainForReport<Scalar>(
    _ name: String, _ model: CharRNN<Scalar>, _ task: CharTask<Scalar>, _ options: TaskOptions, _ console: Console
) throws(ExamplesError) -> ComparisonReport.Result {
    let optimizer: any Optimizer<Scalar>
    do { optimizer = try options.optimizer.make(model.parameters()) } catch { throw .usage(error.description) }
    let started = Date()
    do {
        return try .training(name, model: model, on: task, optimizer: optimizer, epochs: options.epochs, clipValue: options.clip) {
            console.progress(name, step: $0, total: options.epochs, loss: $1, started: started)
        }
    } catch {
        throw .runtime("\(name): \(error)")
    }
}
