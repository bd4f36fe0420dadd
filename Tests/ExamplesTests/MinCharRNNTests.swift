import Experiments
import Foundation
import Tensor
import Testing

/// `examples min-char-rnn` against a NumPy implementation of min-char-rnn.py (golden
/// trajectories from Golden/make_minchar_golden.py: same initial weights through `--init`, then
/// 150 iterations of Adagrad with eps 1e-8 and 1e-3, SGD on a sentence shorter than seq + 1,
/// RMSprop, and SGD without biases with a tight clip).
///
/// Horizons measured by the generator (NumPy against NumPy with one sum reordered, 1e-12
/// relative): beyond 1500 iterations for Adagrad eps 1e-8 on the paragraph, SGD on the sentence
/// and SGD without biases; 1112 for Adagrad eps 1e-3; 1384 for RMSprop. The 150 iterations
/// compared stay well inside them.
@Suite("min-char-rnn")
struct MinCharRNNTests {
    /// One NumPy run: the command-line flags that describe it and its per-iteration losses.
    struct GoldenRun: Decodable, Sendable {
        let flags: [String]
        let horizon: Int
        let loss: [Double]
        let smooth_loss: [Double]
    }

    static let golden: [String: GoldenRun] = {
        let data = (try? Data(contentsOf: goldenFile("minchar_golden.json"))) ?? Data()
        return (try? JSONDecoder().decode([String: GoldenRun].self, from: data)) ?? [:]
    }()

    /// The rows of a `--losses` file after its header.
    static func lossRows(_ path: String) throws -> (header: String, rows: [[Double]]) {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        return (lines.first ?? "", lines.dropFirst().map { $0.split(separator: ",").compactMap { Double($0) } })
    }

    @Test("the golden cases are all there")
    func goldenCases() {
        #expect(Self.golden.keys.sorted() == ["adagrad", "adagrad_eps1e-3", "rmsprop", "sgd_nobias_clip", "sgd_sentence"])
    }

    @Test("per-iteration losses equal NumPy's min-char-rnn to 1e-9 relative", arguments: golden.keys.sorted())
    func numpyTrajectory(name: String) throws {
        let entry = try #require(Self.golden[name])
        #expect(entry.loss.count * 2 <= entry.horizon)
        try withTemporaryDirectory { dir throws in
            let losses = dir.appendingPathComponent("losses.csv").path
            let run = runExamples(
                ["min-char-rnn", "--quiet", "--json", "--sample-every", "0", "--length", "10", "--losses", losses,
                 "--init", goldenFile("minchar_init_\(name).safetensors").path] + entry.flags)
            #expect(run.status == 0, "\(run.stderr)")
            let (header, rows) = try Self.lossRows(losses)
            #expect(header == "iteration,loss,smooth_loss")
            #expect(rows.count == entry.loss.count)
            for (i, (row, (loss, smooth))) in zip(rows, zip(entry.loss, entry.smooth_loss)).enumerated() {
                #expect(row.count == 3 && row[0] == Double(i))
                #expect(abs(row[1] - loss) <= 1e-9 * abs(loss), "iteration \(i): loss \(row[1]) vs NumPy \(loss)")
                #expect(abs(row[2] - smooth) <= 1e-9 * abs(smooth), "iteration \(i): smooth loss \(row[2]) vs NumPy \(smooth)")
            }
            #expect(run.json["iterations"] as? Int == entry.loss.count)
            #expect(run.json["loss"] as? Double == rows.last?[1])
            #expect(run.json["smooth_loss"] as? Double == rows.last?[2])
            #expect((run.json["passage"] as? String)?.unicodeScalars.count == 10)
        }
    }

    @Test("--save writes Wxh, Whh, Why, bh, by; --init continues from them exactly (SGD has no memory)")
    func saveAndInit() throws {
        try withTemporaryDirectory { dir throws in
            let model = dir.appendingPathComponent("model.safetensors").path
            let losses = dir.appendingPathComponent("losses.csv").path
            let common = ["min-char-rnn", "--text", "Amazon is river.", "--hidden", "10", "--optimizer", "sgd", "--lr", "0.05",
                          "--sample-every", "0", "--length", "0", "--quiet"]
            let first = runExamples(common + ["--iterations", "3", "--save", model])
            #expect(first.status == 0, "\(first.stderr)")
            let saved = try TrainingCheckpoint<Double>(contentsOf: URL(fileURLWithPath: model))
            #expect(saved.model.keys.sorted() == ["Whh", "Why", "Wxh", "bh", "by"])
            #expect(saved.model["Wxh"]?.shape == [10, 13] && saved.model["bh"]?.shape == [10, 1] && saved.model["by"]?.shape == [13, 1])
            #expect(saved.metadata["vocabulary"] == " .Aaeimnorsvz")
            // The text is shorter than seq + 1: every iteration trains it whole from h = 0, so the
            // 4th iteration of one run is the 1st of a run started from the 3rd's weights.
            let whole = runExamples(common + ["--iterations", "4", "--losses", losses])
            #expect(whole.status == 0, "\(whole.stderr)")
            let fourth = try Self.lossRows(losses).rows[3][1]
            let continued = runExamples(common + ["--iterations", "1", "--init", model, "--losses", losses])
            #expect(continued.status == 0, "\(continued.stderr)")
            #expect(try Self.lossRows(losses).rows[0][1] == fourth)
        }
    }

    @Test("--seed: weights N(0, 1) × 0.01 from the generator, zero biases; the first loss is about seq · log V")
    func seededInitialisation() throws {
        let model = MinCharRNN<Double>(vocabularySize: 13, hiddenSize: 10, generator: Generator(seed: 3))
        let expected = Tensor<Double>.randn([10, 13], generator: Generator(seed: 3)) * 0.01
        #expect(model.Wxh.scalars == expected.scalars)
        #expect(model.bh!.scalars.allSatisfy { $0 == 0 } && model.by!.scalars.allSatisfy { $0 == 0 })
        let run = runExamples(["min-char-rnn", "--text", "Amazon is river.", "--hidden", "10", "--seed", "3", "--iterations", "1",
                               "--sample-every", "0", "--quiet", "--json"])
        let loss = try #require(run.json["loss"] as? Double)
        #expect(abs(loss - 15 * Foundation.log(13.0)) < 0.01, "\(loss)")
    }

    @Test("--grad-check prints the table and passes on a fresh model")
    func gradientCheckPasses() throws {
        let run = runExamples(["min-char-rnn", "--text", "Amazon is river.", "--hidden", "10", "--grad-check", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        for name in ["Wxh", "Whh", "Why", "bh", "by"] {
            #expect(run.stdout.contains("\n\(name) "), "no row for \(name)")
        }
        let errors = try #require(run.json["gradient_check"] as? [String: Double])
        #expect(errors.count == 5 && errors.values.allSatisfy { $0 > 0 && $0 < 1e-7 }, "\(errors)")
    }

    @Test("--grad-check fails with exit 1 where finite differences disagree (saturated tanh)")
    func gradientCheckFails() throws {
        // Weights and biases N(0, 30²) (written by the golden generator) saturate tanh, so the
        // differences with δ = 1e-3 no longer resolve the loss's curvature.
        let path = goldenFile("minchar_init_saturated.safetensors").path
        let run = runExamples(["min-char-rnn", "--text", "Amazon is river.", "--hidden", "10", "--grad-check", "--init", path])
        #expect(run.status == 1)
        #expect(run.stdout.contains("FAILED"))
        #expect(run.stderr.hasPrefix("error: gradient check failed:"))
    }

    @Test("--dtype float32 follows float64 closely; samples and the passage are printed")
    func float32AndSamples() throws {
        let common = ["min-char-rnn", "--text", "Amazon is river.", "--hidden", "10", "--iterations", "20", "--optimizer", "sgd",
                      "--lr", "0.05", "--quiet", "--json"]
        let double = runExamples(common + ["--sample-every", "10", "--length", "16"])
        let single = runExamples(common + ["--dtype", "float32", "--sample-every", "0"])
        #expect(double.status == 0 && single.status == 0, "\(double.stderr)\(single.stderr)")
        let a = try #require(double.json["smooth_loss"] as? Double), b = try #require(single.json["smooth_loss"] as? Double)
        #expect(abs(a - b) < 1e-5 * a, "\(a) vs \(b)")
        #expect(double.stdout.contains("---- iteration 10, loss ") && double.stdout.contains("---- iteration 20, loss "))
        #expect(!single.stdout.contains("---- iteration"))
        #expect(double.stdout.contains("---- passage after 20 iterations"))
    }

    @Test("bad command lines are usage errors; unusable inputs runtime errors")
    func errors() throws {
        try withTemporaryDirectory { dir throws in
            let book = dir.appendingPathComponent("book.txt")
            try "ab".write(to: book, atomically: true, encoding: .utf8)
            let cases: [([String], Int32, String)] = [
                (["--text", "abc", "--file", book.path], 2, "give --text or --file"),
                ([], 2, "give the text to learn"),
                (["--text", "abc", "--optimizer", "adam"], 2, "--optimizer"),
                (["--file", book.path, "--losses", book.path], 2, "is the same file as --file"),
                (["--text", "a"], 1, "at least 2 characters"),
                (["--text", "abc", "--init", dir.appendingPathComponent("missing").path], 1, "cannot load"),
            ]
            for (flags, status, message) in cases {
                let run = runExamples(["min-char-rnn", "--quiet", "--iterations", "1"] + flags)
                #expect(run.status == status, "\(flags)")
                #expect(run.stderr.hasPrefix("error: ") && run.stderr.contains(message), "\(flags): \(run.stderr)")
            }
        }
    }
}
