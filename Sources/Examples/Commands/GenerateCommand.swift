import Experiments
import NN
import Foundation
import Tensor

/// `examples generate`: text from a saved character model.
enum GenerateCommand: Command {
    static let name = "generate"
    static let summary = "write text with a saved model (greedy or sampled), after a priming string"
    static let options: [OptionSpec] = [
        .option("--checkpoint", "PATH", "a safetensors or .pt file saved by train/charrnn (or torch_train.py --save)"),
        .option("--text", "STR", "the training text, for the vocabulary of a checkpoint without one"),
        .option("--prime", "STR", "characters fed through the model first (default: the vocabulary's first)"),
        .option("--length", "N", "how many characters to generate (default 200)"),
        .flag("--greedy", "always take the most likely character"),
        .option("--temperature", "T", "sampling temperature (default 1)"),
        .option("--seed", "N", "sampling seed (default 0)"),
    ]

    static func run(_ options: ParsedOptions, console: Console) throws(ExamplesError) -> JSONValue? {
        guard let path = options.string("--checkpoint") else { throw .usage("--checkpoint PATH is required") }
        let length = try options.int("--length", in: 0...10_000_000) ?? 200
        let temperature = try options.double("--temperature", in: 1e-6...1e6) ?? 1
        if options.flag("--greedy") && options.has("--temperature") { throw .usage("give --greedy or --temperature, not both") }
        let seed = UInt64(try options.int("--seed", in: 0...Int.max) ?? 0)
        let (model, vocabulary) = try loadCharModel(path, text: options.string("--text"))
        let prime = options.string("--prime") ?? vocabulary.characters.first.map { String($0) } ?? ""
        guard !prime.isEmpty else { throw .usage("--prime must not be empty") }
        let primeIndices: [Int]
        do {
            primeIndices = try vocabulary.encode(prime)
        } catch {
            throw .runtime("--prime: \(error)")
        }
        let hidden = model.hiddenState(after: Array(primeIndices.dropLast()))
        let generated = options.flag("--greedy")
            ? model.greedyContinuation(from: primeIndices.last!, hidden: hidden, count: length)
            : model.sampledContinuation(
                from: primeIndices.last!, hidden: hidden, count: length, temperature: temperature, generator: Generator(seed: seed))
        let text = prime + vocabulary.decode(generated)
        console.print(text)
        return .object([("text", .string(text))])
    }
}

/// Rebuilds the character model saved at `path`: the architecture from the state dict's keys and
/// shapes, the nonlinearity and vocabulary from its metadata (or the vocabulary of `text`).
func loadCharModel(_ path: String, text: String?) throws(ExamplesError) -> (CharRNN<Double>, Vocabulary) {
    let checkpoint: TrainingCheckpoint<Double>
    do {
        checkpoint = try TrainingCheckpoint(contentsOf: URL(fileURLWithPath: path))
    } catch {
        throw .runtime("cannot load '\(path)': \(error)")
    }
    let vocabulary: Vocabulary
    if let stored = checkpoint.metadata["vocabulary"] {
        guard text == nil else {
            throw .usage("--text is for a checkpoint without a vocabulary; '\(path)' has its own")
        }
        let characters = Array(stored.unicodeScalars)
        guard Set(characters).count == characters.count else { throw .runtime("'\(path)': its vocabulary repeats a character") }
        vocabulary = Vocabulary(characters: characters)
    } else if let text {
        vocabulary = Vocabulary(of: text)
    } else {
        throw .runtime("'\(path)' has no vocabulary in its metadata: pass the training text with --text")
    }
    guard let inputWeight = checkpoint.model["rnn.weight_ih_l0"], inputWeight.rank == 2 else {
        throw .runtime("'\(path)' is not a character RNN checkpoint (no 2-d rnn.weight_ih_l0)")
    }
    let hidden = inputWeight.shape[0]
    guard inputWeight.shape[1] == vocabulary.count, hidden > 0 else {
        throw .runtime("'\(path)': rnn.weight_ih_l0 has shape \(inputWeight.shape) but the vocabulary has \(vocabulary.count) characters")
    }
    var layers = 1
    while checkpoint.model["rnn.weight_ih_l\(layers)"] != nil { layers += 1 }
    let bias = checkpoint.model["rnn.bias_ih_l0"] != nil
    // Every tensor the architecture implies, with its shape, is checked against the file before
    // the model is built: the model then holds no more numbers than the file does.
    let expected = CharRNN<Double>.parameterShapes(
        vocabularySize: vocabulary.count, hiddenSize: hidden, numLayers: layers, bias: bias)
    try validateWeights(checkpoint, expected: expected, path: path)
    let nonlinearity = try storedNonlinearity(checkpoint, path: path) ?? .tanh
    let model = CharRNN<Double>(
        vocabularySize: vocabulary.count, hiddenSize: hidden, numLayers: layers, nonlinearity: nonlinearity, bias: bias)
    do {
        _ = try model.loadStateDict(checkpoint.model)
    } catch {
        throw .runtime("cannot load '\(path)': \(error)")
    }
    return (model, vocabulary)
}
