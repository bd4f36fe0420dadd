import Experiments
import Foundation
import NN
import Optim
import Tensor

/// A trained word/sentence model with what the commands report about it.
struct WordRun<Scalar: TensorFloatingPoint> {
    var model: CharRNN<Scalar>
    var task: CharTask<Scalar>
    /// The run's result; its `losses` are kept only with `--losses`.
    var result: TrainingResult
    /// The losses of the epochs the caller asked to see (`reporting`), by epoch.
    var reported: [Int: Double] = [:]
}

/// Builds, optionally initialises, trains and optionally saves the coursework model as the
/// `train` contract defines it (the same steps as `torch_train.py`).
func trainWordModel<Scalar: TensorFloatingPoint>(
    _ options: TaskOptions, as type: Scalar.Type, console: Console, label: String, reporting: Set<Int> = [],
    stopWhen: ((CharRNN<Scalar>, CharTask<Scalar>) -> Bool)? = nil
) throws(ExamplesError) -> WordRun<Scalar> {
    let task: CharTask<Scalar>
    do {
        task = try CharTask(text: options.text)
    } catch {
        throw .runtime(error.description)
    }
    let model = try initialModel(options, for: task)
    let optimizer: any Optimizer<Scalar>
    do {
        optimizer = try options.optimizer.make(model.parameters())
    } catch {
        throw .usage(error.description)
    }
    let metadata = checkpointMetadata(task.vocabulary, options)
    let started = Date()
    let result: TrainingResult
    var reported: [Int: Double] = [:]
    do throws(TrainingError) {
        result = try train(
            model, on: task, optimizer: optimizer, epochs: options.epochs, clipValue: options.clip,
            recordLosses: options.lossesPath != nil
        ) { (epoch, loss) throws(TrainingError) in
            if reporting.contains(epoch) { reported[epoch] = loss }
            console.progress(label, step: epoch, total: options.epochs, loss: loss, started: started)
            if let every = options.saveEvery, let path = options.savePath, epoch % every == 0 {
                do throws(ExamplesError) {
                    try saveModel(model, metadata: metadata, to: path)
                } catch {
                    throw .callbackFailed(error.description)
                }
            }
            return stopWhen?(model, task) == true ? .stop : .proceed
        }
    } catch {
        throw .runtime(error.description)
    }
    let run = WordRun(model: model, task: task, result: result, reported: reported)
    if let path = options.lossesPath {
        let rows = result.losses.enumerated().map { "\($0.offset + 1),\(String(format: "%.17g", $0.element))" }
        try writeFile((["epoch,loss"] + rows).joined(separator: "\n") + "\n", to: path)
    }
    if let path = options.savePath { try saveModel(model, metadata: metadata, to: path) }
    return run
}

/// Writes the model's state dict and `metadata` to `path` atomically.
func saveModel<Scalar>(_ model: CharRNN<Scalar>, metadata: [String: String], to path: String) throws(ExamplesError) {
    do {
        try TrainingCheckpoint<Scalar>(model: model.stateDict(), metadata: metadata).write(to: URL(fileURLWithPath: path))
    } catch {
        throw .runtime("cannot write checkpoint '\(path)': \(error)")
    }
}

/// The metadata saved with a word model: its vocabulary and architecture.
func checkpointMetadata(_ vocabulary: Vocabulary, _ options: TaskOptions) -> [String: String] {
    ["vocabulary": vocabulary.description, "nonlinearity": options.nonlinearity.rawValue, "format": "swifttorch.charrnn"]
}

/// Loads a state dict (safetensors or .pt) into `model` (strict), converting F32/F64 as needed, after
/// checking it against the run: every weight finite, and the vocabulary and nonlinearity in its
/// metadata (where it has them) those of `vocabulary` and `nonlinearity`.
func loadWeights<Scalar>(
    into model: CharRNN<Scalar>, from path: String, vocabulary: Vocabulary, nonlinearity: RecurrentActivation
) throws(ExamplesError) {
    let checkpoint: TrainingCheckpoint<Scalar>
    do {
        checkpoint = try TrainingCheckpoint<Scalar>(contentsOf: URL(fileURLWithPath: path))
    } catch {
        throw .runtime("cannot load '\(path)': \(error)")
    }
    if let stored = checkpoint.metadata["vocabulary"], stored != vocabulary.description {
        throw .runtime("'\(path)' was trained on another vocabulary (\(PrintableNames.quoted(stored))) than this text's (\(PrintableNames.quoted(vocabulary.description)))")
    }
    if let stored = try storedNonlinearity(checkpoint, path: path), stored != nonlinearity {
        throw .runtime("'\(path)' was trained with --nonlinearity \(stored.rawValue), this run uses \(nonlinearity.rawValue)")
    }
    let parameters = model.stateDict()
    try validateWeights(checkpoint, expected: parameters.map { ($0.key, $0.value.shape) }, path: path)
    do {
        _ = try model.loadStateDict(checkpoint.model)
    } catch {
        throw .runtime("cannot load '\(path)': \(error)")
    }
}

/// The coursework model for `task` as the task flags describe it: PyTorch's initialisation
/// from `--seed`, or the weights of `--init`.
func initialModel<Scalar>(_ options: TaskOptions, for task: CharTask<Scalar>) throws(ExamplesError) -> CharRNN<Scalar> {
    let model = CharRNN<Scalar>(
        vocabularySize: task.vocabulary.count, hiddenSize: options.hidden, numLayers: options.layers,
        nonlinearity: options.nonlinearity, bias: options.bias, generator: Generator(seed: options.seed))
    if let path = options.initPath {
        try loadWeights(into: model, from: path, vocabulary: task.vocabulary, nonlinearity: options.nonlinearity)
    }
    return model
}

/// Writes `text` to `path` atomically.
func writeFile(_ text: String, to path: String) throws(ExamplesError) {
    do {
        try AtomicFile.write(Array(text.utf8), to: URL(fileURLWithPath: path))
    } catch {
        throw .runtime("cannot write '\(path)': \(error)")
    }
}

/// The greedy prediction of the whole text from its first character.
func greedyPrediction<Scalar>(_ model: CharRNN<Scalar>, _ task: CharTask<Scalar>) -> String {
    task.vocabulary.decode([task.indices[0]] + model.greedyContinuation(from: task.indices[0], count: task.length - 1))
}

/// The `--json` summary of the `train` contract.
func trainSummary<Scalar>(_ run: WordRun<Scalar>, prediction: String) -> [(String, JSONValue)] {
    [
        ("prediction", .string(prediction)),
        ("final_loss", run.result.epochs > 0 ? .number(run.result.finalLoss) : .null),
        ("epochs", .integer(run.result.epochs)),
        ("train_seconds", .number(run.result.seconds)),
    ]
}
