import Experiments
import Tensor

/// `examples acknowledgement`: learn the word and predict it back from its first letter.
enum AcknowledgementCommand: Command {
    static let name = "acknowledgement"
    static let summary = "learn \"Acknowledgement\" (hidden 15, Adam lr 0.01, 1000 epochs) and predict it from \"A\""
    static var options: [OptionSpec] { TaskOptions.specs(defaults) }
    /// Hidden 15, Adam lr 0.01, 1000 epochs.
    static let defaults = TaskOptions.Defaults(hidden: 15, optimizer: OptimizerSpec(.adam, lr: 0.01), epochs: 1000)

    static func run(_ options: ParsedOptions, console: Console) throws(ExamplesError) -> JSONValue? {
        let task = try TaskOptions(options, defaults: defaults)
        return task.double ? try run(task, Double.self, console) : try run(task, Float.self, console)
    }

    private static func run<Scalar: TensorFloatingPoint>(
        _ options: TaskOptions, _ type: Scalar.Type, _ console: Console
    ) throws(ExamplesError) -> JSONValue {
        let shown: Set<Int> = [1, 10, 100, options.epochs / 2, options.epochs]
        let run = try trainWordModel(options, as: type, console: console, label: "epoch", reporting: shown)
        let epochs = run.result.epochs
        let prediction = greedyPrediction(run.model, run.task)
        console.print("Learning \"\(options.text)\": hidden \(options.hidden), \(options.optimizer.kind.rawValue), \(epochs) epochs")
        for (epoch, loss) in run.reported.sorted(by: { $0.key < $1.key }) {
            console.print("  epoch \(String(epoch).leftPadded(to: String(epochs).count))  loss \(String(format: "%.6f", loss))")
        }
        console.print("trained in \(String(format: "%.3f", run.result.seconds)) s")
        console.print("prediction from \"\(prediction.unicodeScalars.first.map(String.init) ?? "")\": \(prediction)")
        return .object(trainSummary(run, prediction: prediction))
    }
}

extension String {
    /// The string right-aligned in `width` columns.
    func leftPadded(to width: Int) -> String { String(repeating: " ", count: Swift.max(0, width - count)) + self }
}
