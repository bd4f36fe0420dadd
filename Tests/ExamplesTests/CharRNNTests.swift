import Foundation
import Testing

/// The book exercise: truncated BPTT with a carried hidden state, checkpoints and exact resumption.
@Suite("charrnn")
struct CharRNNTests {
    static let book = String(repeating: "To be, or not to be, that is the question. ", count: 6)

    /// Runs `body` with `book` written to `book.txt` in a temporary directory.
    func withBookFile(_ body: (URL) throws -> Void) throws {
        try withTemporaryDirectory { directory throws in
            let url = directory.appendingPathComponent("book.txt")
            try Self.book.write(to: url, atomically: true, encoding: .utf8)
            try body(url)
        }
    }

    func losses(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map(String.init)
    }

    @Test("trains, samples and reports a passage")
    func trains() throws {
        try withBookFile { book throws in
            let run = runExamples(["charrnn", "--file", book.path, "--hidden", "16", "--iterations", "40", "--sample-every", "20", "--length", "30", "--json", "--quiet"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.json["iterations"] as? Int == 40)
            #expect(try #require(run.json["smooth_loss"] as? Double) < log(Double(Set(Self.book).count)))
            #expect((run.json["passage"] as? String)?.unicodeScalars.count == 30)
            #expect(run.stdout.components(separatedBy: "---- iteration").count == 3)
        }
    }

    @Test("a resumed run continues exactly where the checkpoint left off, in both formats", arguments: ["ckpt.safetensors", "ckpt.pt"])
    func resume(_ name: String) throws {
        try withBookFile { book throws in
            let dir = book.deletingLastPathComponent()
            let common = ["charrnn", "--file", book.path, "--hidden", "12", "--seq-length", "10", "--sample-every", "0", "--length", "5", "--quiet"]
            let full = dir.appendingPathComponent("full.csv").path
            #expect(runExamples(common + ["--iterations", "30", "--losses", full]).status == 0)
            let checkpoint = dir.appendingPathComponent(name).path
            #expect(runExamples(common + ["--iterations", "17", "--save", checkpoint]).status == 0)
            let resumed = dir.appendingPathComponent("resumed.csv").path
            let run = runExamples(common + ["--iterations", "30", "--resume", checkpoint, "--losses", resumed, "--json"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try losses(resumed) == Array(try losses(full).suffix(13)))
            #expect(run.json["iterations"] as? Int == 30)
        }
    }

    @Test("a resumed run samples what the uninterrupted run samples: the sampling generator is saved too")
    func resumedSamples() throws {
        try withBookFile { book throws in
            let dir = book.deletingLastPathComponent()
            let common = ["charrnn", "--file", book.path, "--hidden", "12", "--seq-length", "10", "--sample-every", "10", "--length", "40", "--quiet"]
            let full = runExamples(common + ["--iterations", "30", "--json"])
            let checkpoint = dir.appendingPathComponent("ckpt.safetensors").path
            #expect(runExamples(common + ["--iterations", "20", "--save", checkpoint]).status == 0)
            let resumed = runExamples(common + ["--iterations", "30", "--resume", checkpoint, "--json"])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(resumed.json["passage"] as? String == full.json["passage"] as? String)
            // The last in-training sample and the passage (the JSON line's timing aside).
            let lastSample = { (run: CLIRun) in run.stdout.components(separatedBy: "---- iteration 30").last?.split(separator: "\n").dropLast() }
            #expect(lastSample(resumed) == lastSample(full))
        }
    }

    @Test("a resumed run refuses a different --lr instead of silently keeping the checkpoint's")
    func resumeLearningRate() throws {
        try withBookFile { book throws in
            let dir = book.deletingLastPathComponent()
            let common = ["charrnn", "--file", book.path, "--hidden", "8", "--sample-every", "0", "--length", "1", "--quiet"]
            let checkpoint = dir.appendingPathComponent("ckpt.safetensors").path
            #expect(runExamples(common + ["--iterations", "3", "--save", checkpoint]).status == 0)
            let other = runExamples(common + ["--iterations", "5", "--resume", checkpoint, "--lr", "0.05"])
            #expect(other.status == 2 && other.stderr.contains("differs from the checkpoint's learning rate 0.1"), "\(other.stderr)")
            #expect(runExamples(common + ["--iterations", "5", "--resume", checkpoint, "--lr", "0.1"]).status == 0)
        }
    }
}
