import Experiments
import Foundation
import Tensor

/// `examples compare-optimizers`: the coursework's optimizer comparison, from identical weights.
enum CompareOptimizersCommand: Command {
    static let name = "compare-optimizers"
    static let summary = "train the same model with sgd, sgd-momentum, adam, adagrad and rmsprop; table, CSV, SVG"
    static var options: [OptionSpec] {
        // One model per optimizer from --optimizers, all from the same start (--seed or --init);
        // nothing saved.
        TaskOptions.specs(
            defaults, excluding: ["--optimizer", "--save", "--save-every", "--losses"],
            help: [
                "--lr": "learning rate of every optimizer (default 0.01)",
                "--momentum": "sgd-momentum's momentum (default 0.9); not rmsprop's unless --momentum-all",
            ]) + [
            .flag("--momentum-all", "apply --momentum to rmsprop as well"),
            .option("--optimizers", "A,B,...", "which to compare (default sgd,sgd-momentum,adam,adagrad,rmsprop; also adamw)"),
            .option("--csv", "PATH", "write the loss curves: one row per epoch, one column per optimizer"),
            .option("--svg", "PATH", "write the loss curves as an SVG chart (log loss axis)"),
        ]
    }

    /// The optimizers this command knows, by name.
    static let known = ["sgd", "sgd-momentum", "adam", "adamw", "adagrad", "rmsprop"]

    /// Learning rate 0.01 for every optimizer, 1000 epochs.
    static let defaults = TaskOptions.Defaults(optimizer: OptimizerSpec(.sgd, lr: 0.01), epochs: 1000)

    static func run(_ options: ParsedOptions, console: Console) throws(ExamplesError) -> JSONValue? {
        let task = try TaskOptions(options, defaults: defaults, checkOptimizerFlags: false)
        let names = try options.list("--optimizers") ?? ["sgd", "sgd-momentum", "adam", "adagrad", "rmsprop"]
        for name in names where !known.contains(name) {
            throw .usage("unknown optimizer '\(name)' in --optimizers (known: \(known.joined(separator: ", ")))")
        }
        try OptimizerSpec.checkApplicable(options, to: Set(names.map { OptimizerSpec.Kind(rawValue: $0) ?? .sgd }))
        let specs = try names.map { name throws(ExamplesError) in try spec(named: name, options) }
        let report = task.double
            ? try compare(task, specs, Double.self, console) : try compare(task, specs, Float.self, console)
        let lrs = Set(specs.map { $0.1.lr ?? OptimizerSpec.defaultLR($0.1.kind) }).sorted().map { "\($0)" }
        let title = "Optimizers on \"\(task.text.prefix(40))\" (hidden \(task.hidden), lr \(lrs.joined(separator: "/")), \(task.epochs) epoch\(task.epochs == 1 ? "" : "s"))"
        console.print(title)
        console.print(report.table())
        try writeReports(report, options, title: title)
        return .object([("results", results(report))])
    }

    /// The optimizer `name` with the command line's options (`--lr` applies to all; `--momentum`
    /// to sgd-momentum, and to rmsprop only with `--momentum-all`).
    static func spec(named name: String, _ options: ParsedOptions) throws(ExamplesError) -> (String, OptimizerSpec) {
        var spec = OptimizerSpec(name == "sgd-momentum" ? .sgd : OptimizerSpec.Kind(rawValue: name)!, lr: 0.01)
        try spec.apply(options)
        if name == "sgd" { spec.momentum = nil; spec.nesterov = false }
        if name == "sgd-momentum" { spec.momentum = spec.momentum ?? 0.9 }
        if name == "rmsprop" && !options.flag("--momentum-all") { spec.momentum = nil }
        return (name, spec)
    }

    private static func compare<Scalar: TensorFloatingPoint>(
        _ options: TaskOptions, _ specs: [(String, OptimizerSpec)], _ type: Scalar.Type, _ console: Console
    ) throws(ExamplesError) -> ComparisonReport {
        let task: CharTask<Scalar>
        do { task = try CharTask(text: options.text) } catch { throw .runtime(error.description) }
        // The comparison copies the first model's weights into every candidate's model.
        var first: CharRNN<Scalar>? = try initialModel(options, for: task)
        let comparison = OptimizerComparison(
            task: task, epochs: options.epochs,
            makeModel: {
                defer { first = nil }
                return first ?? CharRNN(
                    vocabularySize: task.vocabulary.count, hiddenSize: options.hidden, numLayers: options.layers,
                    nonlinearity: options.nonlinearity, bias: options.bias)
            },
            candidates: specs.map { OptimizerComparison.Candidate($0.0, spec: $0.1) }, clipValue: options.clip)
        let started = Date()
        var current = ""
        var start = started
        do {
            return try comparison.run { name, epoch, loss in
                if name != current { current = name; start = Date() }
                console.progress(name, step: epoch, total: options.epochs, loss: loss, started: start)
            }
        } catch {
            switch error {
            case .invalidOptimizer: throw .usage(error.description)
            case .training: throw .runtime(error.description)
            }
        }
    }
}

/// Writes `--csv` and `--svg` if requested.
func writeReports(_ report: ComparisonReport, _ options: ParsedOptions, title: String) throws(ExamplesError) {
    if let path = options.string("--csv") { try writeFile(report.csv(), to: path) }
    if let path = options.string("--svg") { try writeFile(report.svg(title: title), to: path) }
}

/// The `results` array of the JSON summary.
func results(_ report: ComparisonReport) -> JSONValue {
    .array(report.results.map { r in
        .object([
            ("name", .string(r.name)),
            ("final_loss", r.losses.last.map(JSONValue.number) ?? .null),
            ("converged_epoch", r.convergedEpoch.map(JSONValue.integer) ?? .null),
            ("train_seconds", .number(r.seconds)),
        ])
    })
}
