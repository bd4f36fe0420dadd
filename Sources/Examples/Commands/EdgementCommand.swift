import Experiments
import Tensor

/// `examples edgement`: the warm-start exercise. A hidden-size-5 model learns "Acknowledgement";
/// predicting "edgement" from its first "e" is ambiguous from h0 = 0 ("e" is followed by d, m
/// and n) but not from the hidden state left by the context "Acknowl".
enum EdgementCommand: Command {
    static let name = "edgement"
    static let summary = "hidden size 5: predict \"edgement\" cold (from h0 = 0) and warm (after \"Acknowl\")"
    static var options: [OptionSpec] {
        TaskOptions.specs(defaults) + [
            .flag("--no-early-stop", "train every epoch (the coursework's literal recipe); by default training stops at the first epoch that predicts the whole text"),
        ]
    }

    /// The context that sets up the warm start, and the suffix to predict.
    static let context = "Acknowl", suffix = "edgement"

    /// Hidden 5, RMSprop lr 0.05, alpha 0.5, eps 1e-18, momentum 0.5, at most 100 epochs.
    static let defaults: TaskOptions.Defaults = {
        var defaults = TaskOptions.Defaults(hidden: 5, epochs: 100)
        defaults.optimizer = OptimizerSpec(.rmsprop, lr: 0.05)
        defaults.optimizer.alpha = 0.5
        defaults.optimizer.eps = 1e-18
        defaults.optimizer.momentum = 0.5
        return defaults
    }()

    static func run(_ options: ParsedOptions, console: Console) throws(ExamplesError) -> JSONValue? {
        let task = try TaskOptions(options, defaults: defaults)
        let earlyStop = !options.flag("--no-early-stop")
        return task.double
            ? try run(task, earlyStop: earlyStop, Double.self, console) : try run(task, earlyStop: earlyStop, Float.self, console)
    }

    private static func run<Scalar: TensorFloatingPoint>(
        _ options: TaskOptions, earlyStop: Bool, _ type: Scalar.Type, _ console: Console
    ) throws(ExamplesError) -> JSONValue {
        // Stop as soon as the model reproduces the whole word: later epochs of this large
        // learning rate only risk kicking it out of the solution again.
        let stop: (CharRNN<Scalar>, CharTask<Scalar>) -> Bool = { model, task in model.predictsPerfectly(task) }
        let run = try trainWordModel(options, as: type, console: console, label: "epoch", stopWhen: earlyStop ? stop : nil)
        let vocabulary = run.task.vocabulary
        guard let contextIndices = try? vocabulary.encode(context), let start = try? vocabulary.encode(String(suffix.prefix(1))).first else {
            throw .runtime("the text must contain the characters of \"\(context)\" and \"\(suffix)\"")
        }
        let count = suffix.unicodeScalars.count - 1
        let cold = vocabulary.decode([start] + run.model.greedyContinuation(from: start, count: count))
        let warmState = run.model.hiddenState(after: contextIndices)
        let warm = vocabulary.decode([start] + run.model.greedyContinuation(from: start, hidden: warmState, count: count))
        console.print("trained hidden size \(options.hidden) for \(run.result.epochs) epochs, final loss \(String(format: "%.6f", run.result.finalLoss))")
        console.print("cold (h0 = 0):          \(cold)")
        console.print("warm (after \"\(context)\"): \(warm)")
        let warmCorrect = warm == suffix
        console.print(warmCorrect
            ? "the warm start predicts \"\(suffix)\""
            : "the warm start FAILED: \"\(warm)\" instead of \"\(suffix)\" (try another --seed\(earlyStop ? "" : ", or drop --no-early-stop"))")
        return .object([
            ("warm_prediction", .string(warm)),
            ("warm_correct", .bool(warmCorrect)),
            ("cold_prediction", .string(cold)),
            ("hidden", .integer(options.hidden)),
            ("epochs", .integer(run.result.epochs)),
            ("final_loss", run.result.epochs > 0 ? .number(run.result.finalLoss) : .null),
            ("train_seconds", .number(run.result.seconds)),
        ])
    }
}
