import Experiments
import Foundation
import Tensor
import NN

/// The model, optimizer and training flags shared by the word and sentence commands
/// (`train`, `acknowledgement`, `edgement`, `compare-optimizers`, `bias`, `hidden-sizes`).
struct TaskOptions {
    /// Per-command defaults for the flags.
    struct Defaults {
        var text = "Acknowledgement"
        var hidden = 15
        var optimizer = OptimizerSpec(.adam)
        var epochs = 100
    }

    var text: String
    var hidden: Int
    var layers: Int
    var nonlinearity: RecurrentActivation
    var bias: Bool
    var optimizer: OptimizerSpec
    var epochs: Int
    var seed: UInt64
    var double: Bool
    var initPath: String?
    var savePath: String?
    var saveEvery: Int?
    var lossesPath: String?
    var clip: Double?

    /// The flags, in `--help` order, with the command's `defaults` in their help; without
    /// `excluding` (for a command that has no use for them, so that giving one is a usage error
    /// rather than silently ignored), and with the help of the flags in `help` replaced.
    static func specs(_ defaults: Defaults, excluding names: Set<String> = [], help: [String: String] = [:]) -> [OptionSpec] {
        let optimizer = defaults.optimizer
        func value(_ given: Double?, _ pytorch: String) -> String { given.map { "\($0)" } ?? pytorch }
        let all: [OptionSpec] = [
            .option("--text", "STR", "the text to learn (default: \(defaults.text))"),
            .option("--file", "PATH", "read the text from a UTF-8 file instead"),
            .option("--hidden", "N", "hidden size (default \(defaults.hidden))"),
            .option("--layers", "N", "number of stacked RNN layers (default 1)"),
            .option("--nonlinearity", "tanh|relu", "the RNN activation (default tanh)"),
            .flag("--no-bias", "no bias terms in the RNN and the linear layer"),
            .option("--optimizer", "NAME", "sgd, adam, adamw, adagrad or rmsprop (default \(optimizer.kind.rawValue); giving it sets every optimizer option to PyTorch's default)"),
            .option("--lr", "X", "learning rate (default \(optimizer.lr.map { "\($0)" } ?? OptimizerSpec.defaultLR(optimizer.kind).description)"
                + "; with --optimizer, PyTorch's: 0.001 sgd/adam/adamw, 0.01 adagrad/rmsprop)"),
            .option("--momentum", "X", "SGD/RMSprop momentum (default \(value(optimizer.momentum, "0")))"),
            .option("--dampening", "X", "SGD dampening (default 0)"),
            .flag("--nesterov", "SGD Nesterov momentum"),
            .option("--betas", "B1,B2", "Adam/AdamW betas (default 0.9,0.999)"),
            .flag("--amsgrad", "Adam/AdamW AMSGrad"),
            .option("--alpha", "X", "RMSprop smoothing constant (default \(value(optimizer.alpha, "0.99")))"),
            .flag("--centered", "centred RMSprop"),
            .option("--eps", "X", "epsilon of Adam, AdamW, Adagrad, RMSprop (default \(value(optimizer.eps, "1e-08; Adagrad 1e-10")))"),
            .option("--weight-decay", "X", "weight decay (L2; decoupled for AdamW) (default 0; AdamW 0.01)"),
            .option("--lr-decay", "X", "Adagrad learning-rate decay (default 0)"),
            .option("--initial-accumulator", "X", "Adagrad initial accumulator value (default 0)"),
            .option("--epochs", "N", "training epochs (default \(defaults.epochs))"),
            .option("--seed", "N", "random seed for the initial weights (default 0, as torch.manual_seed)"),
            .option("--dtype", "float32|float64", "element type (default float32)"),
            .option("--init", "PATH", "start from the weights of a state dict (safetensors or .pt)"),
            .option("--save", "PATH", "save the trained model (PyTorch keys; .pt/.pth/.bin as torch.save, else safetensors)"),
            .option("--save-every", "N", "also checkpoint to --save every N epochs (default: only at the end)"),
            .option("--losses", "PATH", "write epoch,loss CSV (17 significant digits)"),
            .option("--clip", "X", "clip every gradient element to [-X, X] before each step (default: no clipping)"),
            AnomalyOption.spec,
        ]
        return all.filter { !names.contains($0.name) }.map { spec in
            var spec = spec
            if let text = help[spec.name] { spec.help = text }
            return spec
        }
    }

    /// Reads the flags, applying `defaults` for those not given. With `checkOptimizerFlags`, an
    /// optimizer flag that the chosen optimizer does not use is a usage error (commands that train
    /// several optimizers check against all of theirs, ``OptimizerSpec/checkApplicable(_:to:)``).
    init(_ options: ParsedOptions, defaults: Defaults, checkOptimizerFlags: Bool = true) throws(ExamplesError) {
        if options.has("--text") && options.has("--file") { throw .usage("give --text or --file, not both") }
        if let path = options.string("--file") {
            text = try readText(path)
        } else {
            text = options.string("--text") ?? defaults.text
        }
        hidden = try options.int("--hidden", in: 1...100_000) ?? defaults.hidden
        layers = try options.int("--layers", in: 1...1000) ?? 1
        nonlinearity = try options.choice("--nonlinearity", ["tanh", "relu"]).flatMap(RecurrentActivation.init(rawValue:)) ?? .tanh
        bias = !options.flag("--no-bias")
        var spec = defaults.optimizer
        if let name = try options.choice("--optimizer", OptimizerSpec.Kind.allCases.map(\.rawValue)) {
            spec = OptimizerSpec(OptimizerSpec.Kind(rawValue: name)!)
        }
        try spec.apply(options)
        if checkOptimizerFlags { try OptimizerSpec.checkApplicable(options, to: [spec.kind]) }
        optimizer = spec
        epochs = try options.int("--epochs", in: 1...1_000_000_000) ?? defaults.epochs
        seed = UInt64(try options.int("--seed", in: 0...Int.max) ?? 0)
        double = try options.choice("--dtype", ["float32", "float64"]) == "float64"
        initPath = options.string("--init")
        savePath = options.string("--save")
        saveEvery = try options.int("--save-every", in: 1...Int.max)
        if saveEvery != nil && savePath == nil { throw .usage("--save-every needs --save PATH") }
        lossesPath = options.string("--losses")
        clip = try options.double("--clip", in: 0...Double.greatestFiniteMagnitude)
        try MemoryBudget(options).checkCharRNN(
            text: text, hidden: hidden, layers: layers, steps: nil, scalarBytes: double ? 8 : 4)
    }
}

extension OptimizerSpec {
    /// The optimizer flags that only some optimizers use, with those optimizers.
    static let flagUsers: [(flag: String, kinds: Set<Kind>)] = [
        ("--momentum", [.sgd, .rmsprop]), ("--dampening", [.sgd]), ("--nesterov", [.sgd]),
        ("--betas", [.adam, .adamw]), ("--amsgrad", [.adam, .adamw]), ("--alpha", [.rmsprop]), ("--centered", [.rmsprop]),
        ("--eps", [.adam, .adamw, .adagrad, .rmsprop]), ("--lr-decay", [.adagrad]), ("--initial-accumulator", [.adagrad]),
    ]

    /// Refuses an optimizer flag that none of `kinds` uses (`--betas` with RMSprop): it would be
    /// silently ignored.
    static func checkApplicable(_ options: ParsedOptions, to kinds: Set<Kind>) throws(ExamplesError) {
        for (flag, users) in flagUsers where (options.has(flag) || options.flag(flag)) && users.isDisjoint(with: kinds) {
            let used = kinds.map(\.rawValue).sorted().joined(separator: ", ")
            let takers = users.map(\.rawValue).sorted().joined(separator: ", ")
            throw .usage("\(flag) does not apply to \(used) (it is an option of \(takers))")
        }
    }

    /// Applies the optimizer flags that were given; `lr` and the others keep their values otherwise.
    mutating func apply(_ options: ParsedOptions) throws(ExamplesError) {
        let nonNegative = 0...Double.greatestFiniteMagnitude
        lr = try options.double("--lr", in: nonNegative) ?? lr
        momentum = try options.double("--momentum", in: nonNegative) ?? momentum
        dampening = try options.double("--dampening") ?? dampening
        nesterov = options.flag("--nesterov") || nesterov
        betas = try options.doubles("--betas", count: 2) ?? betas
        amsgrad = options.flag("--amsgrad") || amsgrad
        alpha = try options.double("--alpha", in: nonNegative) ?? alpha
        centered = options.flag("--centered") || centered
        eps = try options.double("--eps", in: nonNegative) ?? eps
        weightDecay = try options.double("--weight-decay", in: nonNegative) ?? weightDecay
        lrDecay = try options.double("--lr-decay", in: nonNegative) ?? lrDecay
        initialAccumulator = try options.double("--initial-accumulator", in: nonNegative) ?? initialAccumulator
    }
}

/// The contents of a UTF-8 text file.
///
/// - Throws: a runtime error when the file cannot be read (missing, not a regular file, unreadable)
///   or is not valid UTF-8.
func readText(_ path: String) throws(ExamplesError) -> String {
    let bytes: [UInt8]
    do {
        bytes = try RegularFile.read(path)
    } catch {
        throw .runtime(error.description)
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
        throw .runtime("'\(path)' is not valid UTF-8 text")
    }
    return text
}
