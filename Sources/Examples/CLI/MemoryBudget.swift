import Foundation

/// The memory a run may use, and the check that refuses a configuration that would need more
/// before anything large is allocated: an `error:` line naming the estimate and the limit
/// instead of an abort inside the allocator.
///
/// The limit is the machine's physical memory, or `--max-memory` (`512M`, `8G`, a byte count).
struct MemoryBudget {
    /// The most bytes a run may need.
    var limit: Int
    /// Where ``limit`` comes from, for the error message.
    var source: String

    /// The `--max-memory` option every command takes.
    static let spec = OptionSpec.option(
        "--max-memory", "SIZE", "refuse runs estimated to need more memory than this, e.g. 512M or 8G (default: physical memory)")

    /// The budget the command line sets.
    init(_ options: ParsedOptions) throws(ExamplesError) {
        if let text = options.string("--max-memory") {
            guard let bytes = Self.parseSize(text) else {
                throw .usage("option '--max-memory' expects a size such as 512M or 8G, got '\(text)'")
            }
            limit = bytes
            source = "--max-memory"
        } else {
            limit = Int(clamping: ProcessInfo.processInfo.physicalMemory)
            source = "physical memory; raise it with --max-memory"
        }
    }

    /// A size with an optional binary suffix K, M, G or T (`1.5G`), or `nil`.
    static func parseSize(_ text: String) -> Int? {
        let units: [Character: Double] = ["K": 0x1p10, "M": 0x1p20, "G": 0x1p30, "T": 0x1p40]
        var number = Substring(text.uppercased())
        var scale = 1.0
        if number.last == "B" { number = number.dropLast() }
        if let last = number.last, let unit = units[last] {
            scale = unit
            number = number.dropLast()
        }
        guard let value = Double(number), value.isFinite, value > 0, value * scale < 9e18 else { return nil }
        return Int(value * scale)
    }

    /// Refuses a run estimated to need `bytes`.
    ///
    /// - Throws: a runtime error: `this run needs about 40.1 GB of memory (hidden 100000), more
    ///   than the 23.4 GB limit (physical memory; raise it with --max-memory)`.
    func check(_ bytes: Double, for what: String) throws(ExamplesError) {
        guard bytes > Double(limit) else { return }
        throw .runtime(
            "this run needs about \(Self.format(bytes)) of memory (\(what)), more than the \(Self.format(Double(limit))) limit (\(source))")
    }

    /// `bytes` in GB, MB or KB with one decimal.
    static func format(_ bytes: Double) -> String {
        for (unit, size) in [("GB", 1e9), ("MB", 1e6), ("KB", 1e3)] where bytes >= size {
            return String(format: "%.1f %@", bytes / size, unit)
        }
        return "\(Int(bytes)) bytes"
    }

    /// Refuses training a character RNN on `text` that ``charRNNEstimate(vocabulary:hidden:layers:steps:textScalars:scalarBytes:)``
    /// says needs more than the limit; `steps` is how many characters one step runs (`nil`: the whole text).
    func checkCharRNN(text: String, hidden: Int, layers: Int, steps: Int?, scalarBytes: Int) throws(ExamplesError) {
        let characters = text.unicodeScalars.count
        try check(
            Self.charRNNEstimate(
                vocabulary: Set(text.unicodeScalars).count, hidden: hidden, layers: layers,
                steps: Swift.min(steps ?? characters, characters), textScalars: characters, scalarBytes: scalarBytes),
            for: "hidden \(hidden), \(layers) layer\(layers == 1 ? "" : "s"), \(characters) characters")
    }

    /// An estimate of what training a character RNN (`CharRNN`) needs: the parameters with their
    /// gradients and up to three optimizer buffers, and per step of a sequence of `steps`
    /// characters the one-hot input, the logits with their gradients and softmax, and each
    /// layer's hidden states with theirs; plus `textScalars` characters held as text and indices.
    static func charRNNEstimate(
        vocabulary: Int, hidden: Int, layers: Int, steps: Int, textScalars: Int, scalarBytes: Int
    ) -> Double {
        let (v, h, l) = (Double(vocabulary), Double(hidden), Double(layers))
        let parameters = h * v + (l - 1) * h * h + l * (h * h + 2 * h) + v * h + v
        let activations = Double(steps) * (4 * v + 4 * l * h)
        return Double(scalarBytes) * (5 * parameters + activations) + 12 * Double(textScalars)
    }
}
