import Foundation
import NN
import Testing

/// Checkpoints that claim more than they hold, hold non-finite weights or metadata that does not
/// fit: each is one error line, before any model of the claimed size is built.
@Suite("hostile checkpoints")
struct HostileCheckpointTests {
    /// Writes a safetensors file of float64 tensors (each filled with `fill`) and metadata.
    static func write(
        _ url: URL, _ shapes: [(String, [Int])], metadata: [String: String] = ["vocabulary": "ab"], fill: Double = 0.1
    ) throws {
        var tensors: [String: SafetensorsEntry] = [:]
        for (key, shape) in shapes {
            tensors[key] = SafetensorsEntry([Double](repeating: fill, count: shape.reduce(1, *)), shape: shape)
        }
        try SafetensorsArchive(tensors: tensors, metadata: metadata).write(to: url)
    }

    /// The keys of a well-formed one-layer model of hidden size `h` over the vocabulary "ab".
    static func model(hidden h: Int) -> [(String, [Int])] {
        [("rnn.weight_ih_l0", [h, 2]), ("rnn.weight_hh_l0", [h, h]), ("rnn.bias_ih_l0", [h]), ("rnn.bias_hh_l0", [h]),
         ("fc.weight", [2, h]), ("fc.bias", [2])]
    }

    static func generate(_ url: URL) -> CLIRun {
        runExamples(["generate", "--checkpoint", url.path, "--prime", "a", "--length", "5", "--quiet"])
    }

    @Test("a small file claiming a huge model is refused before the model is built")
    func hugeClaim() throws {
        try withTemporaryDirectory { dir throws in
            let url = dir.appendingPathComponent("claim.safetensors")
            // 20,000 × 2 input weights (320 KB) would imply a 20,000 × 20,000 recurrent matrix (3.2 GB).
            try Self.write(url, [("rnn.weight_ih_l0", [20_000, 2])])
            let run = Self.generate(url)
            #expect(run.status == 1)
            #expect(run.stderr == "error: '\(url.path)': no tensor 'rnn.weight_hh_l0'\n", "\(run.stderr)")
        }
    }

    @Test("thousands of empty layer keys: one capped line")
    func manyLayerKeys() throws {
        try withTemporaryDirectory { dir throws in
            let url = dir.appendingPathComponent("layers.safetensors")
            try Self.write(url, Self.model(hidden: 3) + (1..<3000).map { ("rnn.weight_ih_l\($0)", [0]) })
            let run = Self.generate(url)
            #expect(run.status == 1)
            #expect(run.stderr.hasPrefix("error: '\(url.path)': "), "\(run.stderr)")
            #expect(run.stderr.count < 400, "\(run.stderr)")
        }
    }

    @Test("unexpected keys are listed escaped and capped")
    func unexpectedKeys() throws {
        try withTemporaryDirectory { dir throws in
            let url = dir.appendingPathComponent("keys.safetensors")
            try Self.write(url, Self.model(hidden: 3) + (0..<50).map { ("x\u{1B}[31m\($0)", [1]) })
            let run = Self.generate(url)
            #expect(run.status == 1)
            #expect(!run.stderr.contains("\u{1B}"), "an escape sequence reached the terminal")
            #expect(run.stderr.contains("'x\\u{1B}[31m0'") && run.stderr.contains("... and 40 more"), "\(run.stderr)")
        }
    }

    @Test("non-finite weights are an error at load", arguments: [Double.nan, .infinity, -.infinity])
    func nonFinite(value: Double) throws {
        try withTemporaryDirectory { dir throws in
            let url = dir.appendingPathComponent("nan.safetensors")
            try Self.write(url, Self.model(hidden: 3), fill: value)
            let run = Self.generate(url)
            #expect(run.status == 1)
            #expect(run.stderr.contains("holds a non-finite weight"), "\(run.stderr)")
            let warm = runExamples(["train", "--text", "abab", "--hidden", "3", "--init", url.path, "--epochs", "1", "--quiet"])
            #expect(warm.status == 1 && warm.stderr.contains("holds a non-finite weight"), "\(warm.stderr)")
        }
    }

    @Test("metadata that does not fit the run is an error")
    func metadata() throws {
        try withTemporaryDirectory { dir throws in
            let unknown = dir.appendingPathComponent("gelu.safetensors")
            try Self.write(unknown, Self.model(hidden: 3), metadata: ["vocabulary": "ab", "nonlinearity": "gelu"])
            let run = Self.generate(unknown)
            #expect(run.status == 1 && run.stderr.contains("unknown nonlinearity 'gelu'"), "\(run.stderr)")

            let hello = dir.appendingPathComponent("hello.safetensors").path
            #expect(runExamples(["train", "--text", "hello world", "--epochs", "1", "--quiet", "--save", hello]).status == 0)
            let other = runExamples(["train", "--text", "HELLO WORLD", "--epochs", "1", "--quiet", "--init", hello])
            #expect(other.status == 1 && other.stderr.contains("another vocabulary"), "\(other.stderr)")
            let relu = runExamples(["train", "--text", "hello world", "--epochs", "1", "--quiet", "--init", hello, "--nonlinearity", "relu"])
            #expect(relu.status == 1 && relu.stderr.contains("--nonlinearity tanh"), "\(relu.stderr)")
        }
    }
}
