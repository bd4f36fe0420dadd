import Experiments
import Foundation
import Tensor

/// `examples hidden-sizes`: the coursework's third question — how does the hidden size change
/// learning? Sweeps sizes for each optimizer.
enum HiddenSizesCommand: Command {
    static let name = "hidden-sizes"
    static let summary = "sweep hidden sizes (default 5 10 20 50) per optimizer; table and SVG"
    static var options: [OptionSpec] {
        // Sizes from --sizes, optimizers from --optimizers, nothing loaded or saved.
        TaskOptions.specs(
            defaults, excluding: ["--hidden", "--optimizer", "--init", "--save", "--save-every", "--losses"],
            help: [
                "--lr": "learning rate of every optimizer (default 0.01)",
                "--momentum": "sgd-momentum's momentum (default 0.9); not rmsprop's",
            ]) + [
            .option("--sizes", "A,B,...", "hidden sizes to try (default 5,10,20,50)"),
            .option("--optimizers", "A,B,...", "optimizers to sweep (default adam,rmsprop; names as in compare-optimizers)"),
            .option("--csv", "PATH", "write the loss curves (one column per run)"),
            .option("--svg", "PATH", "write the loss curves as an SVG chart"),
        ]
    }

    /// Learning rate 0.01 for every optimizer, 500 epochs.
    static let defaults = TaskOptions.Defaults(optimizer: OptimizerSpec(.adam, lr: 0.01), epochs: 500)

    static func run(_ options: ParsedOptions, console: Console) throws(ExamplesError) -> JSONValue? {
        let task = try TaskOptions(options, defaults: defaults, checkOptimizerFlags: false)
        var sizes: [Int] = []
        for item in try options.list("--sizes") ?? ["5", "10", "20", "50"] {
            guard let size = Int(item), size >= 1, size <= 100_000 else { throw .usage("option '--sizes' expects positive integers, got '\(item)'") }
            sizes.append(size)
        }
        let names = try options.list("--optimizers") ?? ["adam", "rmsprop"]
        for name in names where !CompareOptimizersCommand.known.contains(name) {
            throw .usage("unknown optimizer '\(name)' in --optimizers (known: \(CompareOptimizersCommand.known.joined(separator: ", ")))")
        }
        try OptimizerSpec.checkApplicable(options, to: Set(names.map { OptimizerSpec.Kind(rawValue: $0) ?? .sgd }))
        let specs = try names.map { name throws(ExamplesError) in try CompareOptimizersCommand.spec(named: name, options) }
        let report = task.double
            ? try run(task, sizes, specs, Double.self, console) : try run(task, sizes, specs, Float.self, console)
        console.print(report.table(nameColumn: "run"))
        try writeReports(report, options, title: "Hidden sizes on \"\(task.text.prefix(40))\"")
        return .object([("results", results(report))])
    }

    private static func run<Scalar: TensorFloatingPoint>(
        _ options: TaskOptions, _ sizes: [Int], _ specs: [(String, OptimizerSpec)], _ type: Scalar.Type, _ console: Console
    ) throws(ExamplesError) -> ComparisonReport {
        let task: CharTask<Scalar>
        do { task = try CharTask(text: options.text) } catch { throw .runtime(error.description) }
        var results: [ComparisonReport.Result] = []
        for (name, spec) in specs {
            for size in sizes {
                let model = CharRNN<Scalar>(
                    vocabularySize: task.vocabulary.count, hiddenSize: size, numLayers: options.layers,
                    nonlinearity: options.nonlinearity, bias: options.bias, generator: Generator(seed: options.seed))
                var runOptions = options
                runOptions.optimizer = spec
                results.append(try trainForReport("\(name), hidden \(size)", model, task, runOptions, console))
            }
        }
        return ComparisonReport(results: results)
    }
}
