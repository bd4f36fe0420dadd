import Experiments
import Foundation
import NN
import Optim
import Tensor

/// `examples gpt`: a character-level GPT trained as nanoGPT's `shakespeare_char` example trains
/// it, with the contract of `torch_gpt.py` (the same flags, defaults, batches, schedule and
/// numbers in float64).
enum GPTCommand: Command {
    static let name = "gpt"
    static let summary = "train a character-level GPT on a text as nanoGPT does (AdamW, warm-up + cosine), evaluate, sample"
    static let options: [OptionSpec] = [
        .option("--file", "PATH", "the UTF-8 text to learn (required)"),
        .option("--n-layer", "N", "transformer blocks (default 4)"),
        .option("--n-head", "N", "attention heads (default 4)"),
        .option("--n-embd", "N", "embedding width (default 128)"),
        .option("--block-size", "N", "context length (default 64)"),
        .option("--batch-size", "N", "sequences per batch (default 12)"),
        .option("--max-iters", "N", "last iteration; max-iters + 1 steps are taken (default 2000; 0 with a sample: only sample)"),
        .option("--lr", "X", "peak learning rate (default 1e-3)"),
        .option("--min-lr", "X", "final learning rate (default 1e-4)"),
        .option("--warmup-iters", "N", "linear warm-up iterations (default 100)"),
        .option("--lr-decay-iters", "N", "end of the cosine decay (default: --max-iters)"),
        .option("--weight-decay", "X", "AdamW weight decay on tensors of rank >= 2 (default 0.1)"),
        .option("--beta1", "X", "AdamW beta1 (default 0.9)"),
        .option("--beta2", "X", "AdamW beta2 (default 0.99)"),
        .option("--grad-clip", "X", "clip the gradients' total norm to X; 0: off (default 1)"),
        .option("--dropout", "P", "dropout probability (default 0)"),
        .flag("--bias", "biases in Linear and LayerNorm layers"),
        .option("--eval-interval", "N", "evaluate every N iterations (default 250)"),
        .option("--eval-iters", "N", "batches per split and evaluation (default 200)"),
        .option("--seed", "N", "seed of the initial weights and the batches (default 1337)"),
        .option("--dtype", "TYPE", "float32 or float64 (default float32)"),
        .option("--init", "PATH", "start from these weights (safetensors or .pt, e.g. torch_gpt.py --save-init or a nanoGPT ckpt.pt; sizes from the file)"),
        .option("--save", "PATH", "write the trained weights (the reference's keys; .pt/.pth/.bin as torch.save, else safetensors)"),
        .option("--losses", "PATH", "write iter,loss CSV (each step's loss before its update)"),
        .option("--evals", "PATH", "write iter,train,val CSV"),
        .option("--save-every", "N", "also write a resumable checkpoint to --save every N iterations (default: only at the end)"),
        .option("--resume", "PATH", "continue a run from a checkpoint written by --save"),
        .option("--sample-length", "N", "characters sampled at the end, from a newline (default 500; 0: none)"),
        .option("--temperature", "T", "sampling temperature (default 0.8)"),
        .option("--top-k", "K", "sample among the K likeliest characters (default 200)"),
        .option("--threads", "N", "kernel threads (default: all processors)"),
    ]

    static func run(_ options: ParsedOptions, console: Console) throws(ExamplesError) -> JSONValue? {
        let settings = try Settings(options)
        let text = try readText(settings.file)
        let run = { () throws(ExamplesError) -> JSONValue in
            if settings.float64 {
                var training = try GPTTraining<Double>(text: text, settings: settings, console: console)
                return try training.run()
            }
            var training = try GPTTraining<Float>(text: text, settings: settings, console: console)
            return try training.run()
        }
        guard let threads = settings.threads else { return try run() }
        return try withThreads(threads) { Result<JSONValue, ExamplesError> { () throws(ExamplesError) in try run() } }.get()
    }

    /// The command's settings, named as `torch_gpt.py`'s arguments.
    struct Settings {
        var file: String
        var nLayer, nHead, nEmbd, blockSize, batchSize, maxIters: Int
        var lr, minLR: Double
        var warmupIters, lrDecayIters: Int
        var weightDecay, beta1, beta2, gradClip, dropout: Double
        var bias: Bool
        var evalInterval, evalIters: Int
        var seed: UInt64
        var float64: Bool
        var initPath, savePath, lossesPath, evalsPath, resumePath: String?
        var saveEvery: Int?
        var sampleLength: Int
        var temperature: Double
        var topK: Int
        var threads: Int?
        /// Which of the model sizes were given on the command line (checked against `--init`).
        var explicitSizes: [String: Int]

        init(_ options: ParsedOptions) throws(ExamplesError) {
            guard let file = options.string("--file") else { throw .usage("--file PATH is required") }
            self.file = file
            nLayer = try options.int("--n-layer", in: 1...10_000) ?? 4
            nHead = try options.int("--n-head", in: 1...100_000) ?? 4
            nEmbd = try options.int("--n-embd", in: 1...1_000_000) ?? 128
            blockSize = try options.int("--block-size", in: 1...1_000_000) ?? 64
            batchSize = try options.int("--batch-size", in: 1...1_000_000) ?? 12
            maxIters = try options.int("--max-iters", in: 0...1_000_000_000) ?? 2000
            lr = try options.double("--lr", in: 0...1e9) ?? 1e-3
            minLR = try options.double("--min-lr", in: 0...1e9) ?? 1e-4
            warmupIters = try options.int("--warmup-iters", in: 0...1_000_000_000) ?? 100
            lrDecayIters = try options.int("--lr-decay-iters", in: 0...1_000_000_000) ?? maxIters
            weightDecay = try options.double("--weight-decay", in: 0...1e9) ?? 0.1
            beta1 = try options.double("--beta1", in: 0...0.999_999_999) ?? 0.9
            beta2 = try options.double("--beta2", in: 0...0.999_999_999) ?? 0.99
            gradClip = try options.double("--grad-clip", in: 0...1e300) ?? 1
            dropout = try options.double("--dropout", in: 0...0.999_999) ?? 0
            bias = options.flag("--bias")
            evalInterval = try options.int("--eval-interval", in: 0...Int.max) ?? 250
            evalIters = try options.int("--eval-iters", in: 0...1_000_000_000) ?? 200
            seed = UInt64(try options.int("--seed", in: 0...Int.max) ?? 1337)
            float64 = try options.choice("--dtype", ["float32", "float64"]) == "float64"
            initPath = options.string("--init")
            savePath = options.string("--save")
            lossesPath = options.string("--losses")
            evalsPath = options.string("--evals")
            resumePath = options.string("--resume")
            saveEvery = try options.int("--save-every", in: 1...Int.max)
            sampleLength = try options.int("--sample-length", in: 0...10_000_000) ?? 500
            temperature = try options.double("--temperature", in: 1e-6...1e6) ?? 0.8
            topK = try options.int("--top-k", in: 1...Int.max) ?? 200
            threads = try options.int("--threads", in: 1...4096)
            guard nEmbd % nHead == 0 else {
                throw .usage("--n-embd \(nEmbd) must be a multiple of --n-head \(nHead)")
            }
            if saveEvery != nil && savePath == nil { throw .usage("--save-every needs --save PATH") }
            if initPath != nil && resumePath != nil { throw .usage("--init and --resume cannot be combined") }
            var explicit: [String: Int] = [:]
            for name in ["--n-layer", "--n-embd", "--n-head", "--block-size"] where options.has(name) {
                explicit[name] = try options.int(name)
            }
            explicitSizes = explicit
        }

        /// nanoGPT's `get_lr`: linear warm-up, cosine decay to `minLR`, then `minLR`.
        func learningRate(at iteration: Int) -> Double {
            if iteration < warmupIters { return lr * Double(iteration + 1) / Double(warmupIters + 1) }
            if iteration > lrDecayIters { return minLR }
            // Python divides 0 by 0 here when the decay ends where the warm-up does; start the decay.
            let ratio = lrDecayIters == warmupIters ? 0 : Double(iteration - warmupIters) / Double(lrDecayIters - warmupIters)
            return minLR + 0.5 * (1 + cos(Double.pi * ratio)) * (lr - minLR)
        }
    }
}
