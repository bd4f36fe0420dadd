import Experiments
import Foundation
import NN
import Optim
import Tensor

/// The state and loop of `examples gpt` (see ``GPTCommand``): `torch_gpt.py`'s `main()`.
struct GPTTraining<Scalar: TensorFloatingPoint> {
    let settings: GPTCommand.Settings
    let console: Console
    let vocabulary: Vocabulary
    let train: [Int], val: [Int]
    let model: GPT<Scalar>
    /// `model.parameters()`, found once.
    let parameters: [Tensor<Scalar>]
    let optimizer: AdamW<Scalar>
    /// The training batches' generator (seed) and the evaluation batches' (seed + 1).
    let trainGenerator: Generator, evalGenerator: Generator
    /// The dropout masks' generator.
    let dropoutGenerator: Generator
    /// The next iteration to run (after `--resume`, the one after the checkpoint's).
    var iteration = 0
    var losses: [(Int, Double)] = []
    var evals: [(Int, Double, Double)] = []
    var bestVal = Double.infinity

    init(text: String, settings: GPTCommand.Settings, console: Console) throws(ExamplesError) {
        self.console = console
        let scalars = universalNewlines(text)
        let vocabulary = Vocabulary(characters: Array(Set(scalars)).sorted { $0.value < $1.value })
        self.vocabulary = vocabulary
        let checkpoint = try settings.initPath.map { path throws(ExamplesError) in try Self.checkpoint(path, option: "--init") }
        let resumed = try settings.resumePath.map { path throws(ExamplesError) in try Self.checkpoint(path, option: "--resume") }
        let stored = checkpoint ?? resumed
        var settings = settings
        var config = GPTConfig(
            vocabSize: max(vocabulary.count, 1), blockSize: settings.blockSize, nLayer: settings.nLayer,
            nHead: settings.nHead, nEmbd: settings.nEmbd, bias: settings.bias, dropout: settings.dropout)
        if let stored, let path = settings.initPath ?? settings.resumePath {
            config = try Self.config(of: stored, path: path, vocabulary: vocabulary, settings: &settings)
        }
        self.settings = settings
        guard scalars.count >= settings.blockSize + 2 else {
            throw .runtime(
                "'\(settings.file)' has \(scalars.count) characters; a block size of \(settings.blockSize) needs at least \(settings.blockSize + 2)")
        }
        let data = scalars.map { vocabulary.index(of: $0)! }
        let n = Int(0.9 * Double(data.count))
        train = Array(data[..<n])
        val = Array(data[n...])
        guard n > settings.blockSize else {
            throw .runtime("the training split (\(n) characters) is not longer than the block size \(settings.blockSize)")
        }
        if settings.evalInterval > 0 && settings.evalIters > 0 && data.count - n <= settings.blockSize {
            throw .runtime(
                "the validation split (\(data.count - n) characters, the last 10 %) is not longer than the block size \(settings.blockSize)")
        }
        dropoutGenerator = Generator(seed: settings.seed)
        model = GPT(config, generator: dropoutGenerator)
        if let stored, let path = settings.initPath ?? settings.resumePath {
            do {
                _ = try model.loadStateDict(stored.model)
            } catch {
                throw .runtime("cannot load '\(path)': \(error)")
            }
        }
        parameters = model.parameters()
        let groups = model.decayGroups
        do {
            optimizer = try AdamW(
                [ParameterGroupSpec(groups.decay) { $0.weightDecay = settings.weightDecay },
                 ParameterGroupSpec(groups.noDecay) { $0.weightDecay = 0 }],
                lr: settings.lr, betas: (settings.beta1, settings.beta2), eps: 1e-8)
        } catch {
            throw .usage(error.description)
        }
        trainGenerator = Generator(seed: settings.seed)
        evalGenerator = Generator(seed: settings.seed &+ 1)
        if let resumed, let path = settings.resumePath { try resume(from: resumed, path: path) }
    }

    /// Reads a checkpoint (safetensors or .pt) for `option`.
    private static func checkpoint(_ path: String, option: String) throws(ExamplesError) -> TrainingCheckpoint<Scalar> {
        do {
            return try TrainingCheckpoint(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .runtime("cannot read \(option) '\(path)': \(error)")
        }
    }

    /// The model sizes a checkpoint's tensors (and `n_head` in its metadata) imply, checked
    /// against the text and the flags given; `--block-size` and `--n-head` default to the
    /// checkpoint's in `settings`.
    private static func config(
        of checkpoint: TrainingCheckpoint<Scalar>, path: String, vocabulary: Vocabulary, settings: inout GPTCommand.Settings
    ) throws(ExamplesError) -> GPTConfig {
        if let stored = checkpoint.metadata["vocabulary"], stored != vocabulary.description {
            throw .runtime("'\(path)' was trained on a different vocabulary (\(stored.unicodeScalars.count) characters) than '\(settings.file)' (\(vocabulary.count))")
        }
        guard let wte = checkpoint.model["transformer.wte.weight"], let wpe = checkpoint.model["transformer.wpe.weight"],
              wte.rank == 2, wpe.rank == 2, wte.shape[1] == wpe.shape[1], wte.shape[1] > 0
        else {
            throw .runtime("'\(path)' is not a GPT checkpoint (no transformer.wte.weight and transformer.wpe.weight)")
        }
        guard wte.shape[0] == vocabulary.count else {
            throw .runtime("'\(path)' has a vocabulary of \(wte.shape[0]) characters, '\(settings.file)' has \(vocabulary.count)")
        }
        if settings.explicitSizes["--block-size"] == nil { settings.blockSize = wpe.shape[0] }
        if settings.explicitSizes["--n-head"] == nil, let heads = checkpoint.metadata["n_head"].flatMap(Int.init), heads > 0 {
            settings.nHead = heads
        }
        guard settings.blockSize <= wpe.shape[0] else {
            throw .runtime("--block-size \(settings.blockSize) is beyond the \(wpe.shape[0]) positions of '\(path)'")
        }
        var layers = 0
        while checkpoint.model["transformer.h.\(layers).ln_1.weight"] != nil { layers += 1 }
        let width = wte.shape[1]
        if let n = settings.explicitSizes["--n-layer"], n != layers {
            throw .runtime("--n-layer \(n) does not match the \(layers) blocks of '\(path)'")
        }
        if let n = settings.explicitSizes["--n-embd"], n != width {
            throw .runtime("--n-embd \(n) does not match the width \(width) of '\(path)'")
        }
        guard width % settings.nHead == 0 else {
            throw .runtime("the width \(width) of '\(path)' is not a multiple of --n-head \(settings.nHead)")
        }
        let config = GPTConfig(
            vocabSize: vocabulary.count, blockSize: wpe.shape[0], nLayer: layers, nHead: settings.nHead, nEmbd: width,
            bias: checkpoint.model["transformer.ln_f.bias"] != nil, dropout: settings.dropout)
        // Every tensor the claimed architecture implies is checked against the file (keys, shapes,
        // finiteness) before the model is built: it then holds no more numbers than the file does.
        try validateWeights(checkpoint, expected: GPT<Scalar>.parameterShapes(config), path: path)
        return config
    }

    /// A batch of `batchSize` windows of `split` at offsets drawn by `randint(len - block)`.
    func batch(_ split: [Int], _ generator: Generator) -> (x: Tensor<Int>, y: Tensor<Int>) {
        let block = settings.blockSize
        let offsets = Tensor<Int>.randint(split.count - block, [settings.batchSize], generator: generator).scalars
        var x: [Int] = [], y: [Int] = []
        x.reserveCapacity(offsets.count * block)
        y.reserveCapacity(offsets.count * block)
        for i in offsets {
            x += split[i..<(i + block)]
            y += split[(i + 1)...(i + block)]
        }
        return (Tensor(shape: [offsets.count, block], scalars: x), Tensor(shape: [offsets.count, block], scalars: y))
    }

    /// The mean cross-entropy of the next character over a batch.
    func loss(_ x: Tensor<Int>, _ y: Tensor<Int>) -> Tensor<Scalar> {
        crossEntropy(model(x).reshape(-1, vocabulary.count), y.reshape(-1))
    }

    /// The mean loss over `evalIters` batches of the training split, then of the validation split.
    func evaluate() -> (train: Double, val: Double) {
        model.eval()
        defer { model.train() }
        let means = withNoGrad {
            [train, val].map { split in
                var total = 0.0
                for _ in 0..<settings.evalIters {
                    let (x, y) = batch(split, evalGenerator)
                    total += loss(x, y).item.doubleValue
                }
                return total / Double(settings.evalIters)
            }
        }
        return (means[0], means[1])
    }

    mutating func run() throws(ExamplesError) -> JSONValue {
        let started = Date()
        let first = iteration
        var trainedSteps = 0
        // Progress reports the time per training step, without the evaluations.
        var evaluationSeconds = 0.0
        // `--max-iters 0` with a sample to print only samples (from `--init`'s weights): the
        // reference's single step and evaluation at iteration 0 are not taken.
        let sampleOnly = settings.maxIters == 0 && settings.sampleLength > 0
        while !sampleOnly && iteration <= settings.maxIters {
            let lr = settings.learningRate(at: iteration)
            optimizer.learningRates = [lr, lr]
            if settings.evalInterval > 0 && iteration % settings.evalInterval == 0 && settings.evalIters > 0 {
                let evaluationStarted = Date()
                defer { evaluationSeconds += Date().timeIntervalSince(evaluationStarted) }
                let (trainLoss, valLoss) = evaluate()
                evals.append((iteration, trainLoss, valLoss))
                bestVal = Swift.min(bestVal, valLoss)
                if !console.quiet {
                    console.printError("iter \(iteration): train loss \(format(trainLoss, digits: 4)), val loss \(format(valLoss, digits: 4))")
                }
            }
            let (x, y) = batch(train, trainGenerator)
            let loss = self.loss(x, y)
            let value = loss.item.doubleValue
            optimizer.zeroGrad(setToNone: true)
            loss.backward()
            if settings.gradClip > 0 { clipGradNorm(parameters, maxNorm: Scalar(settings.gradClip)) }
            optimizer.step()
            guard value.isFinite else { throw .runtime("loss is \(value.isNaN ? "nan" : "\(value)") at iteration \(iteration)") }
            losses.append((iteration, value))
            iteration += 1
            trainedSteps += 1
            console.stepProgress(
                "iter", step: iteration - first, total: settings.maxIters + 1 - first, loss: value,
                started: started.addingTimeInterval(evaluationSeconds))
            if let every = settings.saveEvery, iteration % every == 0, iteration <= settings.maxIters { try save(resumable: true) }
        }
        let seconds = Date().timeIntervalSince(started)
        if let path = settings.lossesPath {
            try writeFile(
                (["iter,loss"] + losses.map { "\($0.0),\(String(format: "%.17g", $0.1))" }).joined(separator: "\n") + "\n",
                to: path)
        }
        if let path = settings.evalsPath {
            try writeFile(
                (["iter,train,val"] + evals.map { "\($0.0),\(String(format: "%.17g", $0.1)),\(String(format: "%.17g", $0.2))" })
                    .joined(separator: "\n") + "\n",
                to: path)
        }
        if settings.savePath != nil { try save(resumable: settings.saveEvery != nil) }
        var sample: String?
        if settings.sampleLength > 0 {
            sample = generate()
            console.print(sample!)
        }
        let last = evals.last
        return .object([
            ("iterations", .integer(sampleOnly ? 0 : settings.maxIters + 1)),
            ("train_loss", last.map { .number($0.1) } ?? .null),
            ("val_loss", last.map { .number($0.2) } ?? .null),
            ("best_val_loss", last == nil ? .null : .number(bestVal)),
            ("final_loss", losses.last.map { .number($0.1) } ?? .null),
            ("train_seconds", .number(seconds)),
            ("tokens_per_s", .number(seconds > 0 ? Double(trainedSteps * settings.batchSize * settings.blockSize) / seconds : 0)),
            ("sample", sample.map { .string($0) } ?? .null),
        ])
    }

    /// `sampleLength` characters generated from a newline (nanoGPT's `sample.py`): each step
    /// feeds the last `blockSize` tokens, keeps the `topK` likeliest logits of the last
    /// position, divides by the temperature and draws from the softmax.
    func generate() -> String {
        model.eval()
        defer { model.train() }
        let sampler = Generator(seed: settings.seed)
        var tokens = [vocabulary.index(of: "\n") ?? 0]
        var produced: [Int] = []
        withNoGrad {
            for _ in 0..<settings.sampleLength {
                let context = Array(tokens.suffix(settings.blockSize))
                let logits = model(Tensor(shape: [1, context.count], scalars: context))
                let last = logits.reshape(-1, vocabulary.count).select(axis: 0, index: context.count - 1).scalars
                    .map { $0.doubleValue / settings.temperature }
                let threshold = last.sorted(by: >)[Swift.min(settings.topK, last.count) - 1]
                let maximum = last.max()!
                let weights = last.map { $0 < threshold ? 0 : Foundation.exp($0 - maximum) }
                let total = weights.reduce(0, +)
                let u = Tensor<Double>.uniform([], generator: sampler).item * total
                var cumulative = 0.0, next = weights.lastIndex { $0 > 0 } ?? 0
                for (index, w) in weights.enumerated() {
                    cumulative += w
                    if u < cumulative {
                        next = index
                        break
                    }
                }
                tokens.append(next)
                produced.append(next)
            }
        }
        return vocabulary.decode(produced)
    }

    /// Writes the weights to `--save` (with the vocabulary in the metadata); a resumable
    /// checkpoint also holds the optimizer, the next iteration, both batch generators and the
    /// dropout generator.
    func save(resumable: Bool) throws(ExamplesError) {
        guard let path = settings.savePath else { return }
        var metadata = ["vocabulary": vocabulary.description, "n_head": String(model.config.nHead)]
        var optimizerState: OptimizerStateDict<Scalar>?
        if resumable {
            metadata["iteration"] = String(iteration)
            metadata["train_generator"] = trainGenerator.getState().serialized
            metadata["eval_generator"] = evalGenerator.getState().serialized
            metadata["dropout_generator"] = dropoutGenerator.getState().serialized
            metadata["best_val_loss"] = String(format: "%.17g", bestVal)
            optimizerState = optimizer.stateDict()
        }
        let checkpoint = TrainingCheckpoint(model: model.stateDict(), optimizer: optimizerState, metadata: metadata)
        do {
            try checkpoint.write(to: URL(fileURLWithPath: path))
        } catch {
            throw .runtime("cannot write '\(path)': \(error)")
        }
    }

    /// Restores the optimizer, the iteration and the generators of a resumable checkpoint.
    mutating func resume(from checkpoint: TrainingCheckpoint<Scalar>, path: String) throws(ExamplesError) {
        guard let next = checkpoint.metadata["iteration"].flatMap(Int.init), next >= 0,
              let trainState = checkpoint.metadata["train_generator"].flatMap(GeneratorState.init(serialized:)),
              let evalState = checkpoint.metadata["eval_generator"].flatMap(GeneratorState.init(serialized:)),
              let dropoutState = checkpoint.metadata["dropout_generator"].flatMap(GeneratorState.init(serialized:)),
              let best = checkpoint.metadata["best_val_loss"].flatMap(Double.init),
              let optimizerState = checkpoint.optimizer
        else {
            throw .runtime("cannot resume from '\(path)': it is not a resumable gpt checkpoint (written with --save-every)")
        }
        do {
            try optimizer.loadStateDict(optimizerState)
        } catch {
            throw .runtime("cannot resume from '\(path)': \(error)")
        }
        trainGenerator.setState(trainState)
        evalGenerator.setState(evalState)
        dropoutGenerator.setState(dropoutState)
        iteration = next
        bestVal = best
    }
}

/// The Unicode scalars of `text` with line ends as Python's text mode reads them ("\r\n" and
/// "\r" become "\n").
private func universalNewlines(_ text: String) -> [Unicode.Scalar] {
    var result: [Unicode.Scalar] = []
    result.reserveCapacity(text.unicodeScalars.count)
    var previousCR = false
    for scalar in text.unicodeScalars {
        if scalar == "\n" && previousCR {
            previousCR = false
            continue
        }
        previousCR = scalar == "\r"
        result.append(scalar == "\r" ? "\n" : scalar)
    }
    return result
}
