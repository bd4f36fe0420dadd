import Experiments
import Optim
import Foundation
import NN
import Tensor

/// `examples bias`: the coursework's first question — does the model need bias terms? Each
/// seed's no-bias model starts from the bias model's weights with the biases removed.
enum BiasCommand: Command {
    static let name = "bias"
    static let summary = "train with and without bias terms from otherwise equal starts, over several seeds"
    static var options: [OptionSpec] {
        // Both variants of every seed from --seeds, nothing loaded or saved.
        TaskOptions.specs(excluding: ["--seed", "--no-bias", "--init", "--save", "--save-every", "--losses"]) + [
            .option("--seeds", "A,B,...", "the seeds to try (default 0,1,2)"),
            .option("--csv", "PATH", "write the loss curves (one column per run)"),
            .option("--svg", "PATH", "write the loss curves as an SVG chart"),
        ]
    }

    static func run(_ options: ParsedOptions, console: Console) throws(ExamplesError) -> JSONValue? {
        let task = try TaskOptions(options, defaults: .init(optimizer: OptimizerSpec(.adam, lr: 0.01), epochs: 500))
        let seeds = try seedList(options)
        let report = task.double ? try run(task, seeds, Double.self, console) : try run(task, seeds, Float.self, console)
        console.print(report.table(nameColumn: "run"))
        try writeReports(report, options, title: "With and without bias on \"\(task.text.prefix(40))\"")
        return .object([("results", results(report))])
    }

    private static func run<Scalar: TensorFloatingPoint>(
        _ options: TaskOptions, _ seeds: [UInt64], _ type: Scalar.Type, _ console: Console
    ) throws(ExamplesError) -> ComparisonReport {
        let task: CharTask<Scalar>
        do { task = try CharTask(text: options.text) } catch { throw .runtime(error.description) }
        var results: [ComparisonReport.Result] = []
        for seed in seeds {
            let withBias = CharRNN<Scalar>(
                vocabularySize: task.vocabulary.count, hiddenSize: options.hidden, numLayers: options.layers,
                nonlinearity: options.nonlinearity, bias: true, generator: Generator(seed: seed))
            let withoutBias = CharRNN<Scalar>(
                vocabularySize: task.vocabulary.count, hiddenSize: options.hidden, numLayers: options.layers,
                nonlinearity: options.nonlinearity, bias: false, generator: Generator(seed: seed))
            do {
                _ = try withoutBias.loadStateDict(withBias.stateDict().copied(), strict: false)
            } catch {
                throw .runtime("cannot copy weights: \(error)")
            }
            for (label, model) in [("bias", withBias), ("no bias", withoutBias)] {
                results.append(try trainForReport("\(label), seed \(seed)", model, task, options, console))
            }
        }
        return ComparisonReport(results: results)
    }
}

/// `--seeds` as a list of non-negative integers (default 0, 1, 2).
func seedList(_ options: ParsedOptions) throws(ExamplesError) -> [UInt64] {
    guard let items = options.list("--seeds") else { return [0, 1, 2] }
    var seeds: [UInt64] = []
    for item in items {
        guard let seed = UInt64(item) else { throw .usage("option '--seeds' expects non-negative integers, got '\(item)'") }
        seeds.append(seed)
    }
    guard !seeds.isEmpty else { throw .usage("option '--seeds' needs at least one seed") }
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
