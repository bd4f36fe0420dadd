import Experiments
import Tensor

/// `examples train`: the general trainer, the same contract as `torch_train.py`.
enum TrainCommand: Command {
    static let name = "train"
    static let summary = "train the character RNN on a text (the torch_train.py contract)"
    static var options: [OptionSpec] { TaskOptions.specs }

    static func run(_ options: ParsedOptions, console: Console) throws(ExamplesError) -> JSONValue? {
        let task = try TaskOptions(options, defaults: .init())
        return task.double ? try run(task, Double.self, console) : try run(task, Float.self, console)
    }

    private static func run<Scalar: TensorFloatingPoint>(
        _ options: TaskOptions, _ type: Scalar.Type, _ console: Console
    ) throws(ExamplesError) -> JSONValue {
        let run = try trainWordModel(options, as: type, console: console, label: "epoch")
        let prediction = greedyPrediction(run.model, run.task)
        console.print("final loss \(String(format: "%.6f", run.result.finalLoss)) after \(run.result.losses.count) epochs (\(String(format: "%.3f", run.result.seconds)) s)")
        console.print("prediction: \(prediction)")
        return .object(trainSummary(run, prediction: prediction))
    }
}
