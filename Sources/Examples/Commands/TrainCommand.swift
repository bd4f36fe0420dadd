import Experiments
import Tensor

/// `examples train`: the general trainer, the same contract as `torch_train.py`.
enum TrainCommand: Command {
    static let name = "train"
    static let summary = "train the character RNN on a text (the torch_train.py contract)"
    static var options: [OptionSpec] { TaskOptions.specs(TaskOptions.Defaults()) }

    static func run(_ options: ParsedOptions, console: Console) throws(ExamplesError) -> JSONValue? {
        let task = try TaskOptions(options, defaults: TaskOptions.Defaults())
        return task.double ? try run(task, Double.self, console) : try run(task, Float.self, console)
    }

    private static func run<Scalar: TensorFloatingPoint>(
        _ options: TaskOptions, _ type: Scalar.Type, _ console: Console
    ) throws(ExamplesError) -> JSONValue {
        let run = try trainWordModel(options, as: type, console: console, label: "epoch")
        let prediction = greedyPrediction(run.model, run.task)
        console.print("final loss \(String(format: "%.6f", run.result.finalLoss)) after \(run.result.epochs) epochs (\(String(format: "%.3f", run.result.seconds)) s)")
        console.print("prediction: \(printedPrediction(prediction))")
        return .object(trainSummary(run, prediction: prediction))
    }
}

/// How many characters of a prediction `train` prints (the `--json` summary has all of them).
let printedPredictionLength = 200

/// `prediction` cut to its first ``printedPredictionLength`` characters, saying how many more
/// there are: a model trained on a book predicts the whole book.
func printedPrediction(_ prediction: String) -> String {
    let scalars = prediction.unicodeScalars
    guard scalars.count > printedPredictionLength else { return prediction }
    let shown = String(String.UnicodeScalarView(scalars.prefix(printedPredictionLength)))
    return shown + "... (\(scalars.count - printedPredictionLength) more characters; all of them in --json)"
}
