import Foundation
import Testing

/// Bad command lines exit 2 and failures at run time exit 1, each with one `error:` line and
/// never a trap.
@Suite("command-line errors")
struct CommandLineErrorTests {
    static let usageErrors: [[String]] = [
        [],
        ["no-such-command"],
        ["train", "--no-such-flag"],
        ["train", "--hidden"],
        ["train", "--hidden", "abc"],
        ["train", "--hidden", "-3"],
        ["train", "--hidden", "0"],
        ["train", "--epochs", "-5"],
        ["train", "--epochs", "2.5"],
        ["train", "--lr", "nan"],
        ["train", "--lr", "inf"],
        ["train", "--lr", "-0.1"],
        ["train", "--optimizer", "lbfgs"],
        ["train", "--dtype", "float16"],
        ["train", "--nonlinearity", "gelu"],
        ["train", "--betas", "0.9"],
        ["train", "--betas", "1.5,0.9"],
        ["train", "--optimizer", "sgd", "--nesterov"],
        ["train", "--text", "ab", "--file", "x"],
        ["train", "--save-every", "3"],
        ["train", "--epochs", "3", "--epochs", "4"],
        ["train", "stray"],
        ["generate"],
        ["generate", "--checkpoint", "x", "--length", "-1"],
        ["compare-optimizers", "--optimizers", "sgd,foo"],
        ["hidden-sizes", "--sizes", "5,-1"],
        ["bias", "--seeds", "a"],
        ["charrnn"],
        ["charrnn", "--file", "x", "--iterations", "-1"],
        ["bench", "--only", "nope"],
        ["bench", "--only", ""],
        ["bias", "--seeds", ","],
        ["compare-optimizers", "--optimizers", ""],
        ["bench", "--threads", "0"],
        ["from-scratch", "--layers", "2"],
        // Flags a command has no use for are unknown to it, not silently ignored.
        ["bias", "--seed", "3"],
        ["compare-optimizers", "--optimizer", "sgd"],
        ["from-scratch", "--save", "model.safetensors"],
        // Optimizer flags the chosen optimizers do not use.
        ["edgement", "--optimizer", "rmsprop", "--betas", "0.9,0.99"],
        ["train", "--optimizer", "adam", "--momentum", "0.9"],
        ["train", "--lr-decay", "0.1"],
        ["hidden-sizes", "--nesterov"],
        ["compare-optimizers", "--optimizers", "adam,rmsprop", "--dampening", "0.1"],
    ]

    @Test("usage errors exit 2 with one error line", arguments: usageErrors)
    func usage(arguments: [String]) {
        let run = runExamples(arguments)
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("error: "), "\(run.stderr)")
        if !arguments.isEmpty { #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)") }
    }

    static let runtimeErrors: [[String]] = [
        ["train", "--file", "/nonexistent/book.txt"],
        ["train", "--text", "a"],
        ["train", "--text", ""],
        ["train", "--init", "/nonexistent/model.safetensors"],
        ["train", "--optimizer", "sgd", "--lr", "1e38", "--epochs", "50"],
        ["generate", "--checkpoint", "/nonexistent/model.safetensors"],
        ["charrnn", "--file", "/nonexistent/book.txt"],
        ["acknowledgement", "--epochs", "2", "--losses", "/nonexistent-dir/losses.csv"],
    ]

    @Test("runtime errors exit 1 with one error line", arguments: runtimeErrors)
    func runtime(arguments: [String]) {
        let run = runExamples(arguments + ["--quiet"])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: ") && run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
    }

    @Test("an unreadable text file says why", arguments: [
        ("/nonexistent/book.txt", "no such file"), ("/tmp", "it is a directory, not a regular file"),
        ("/dev/null", "it is a character device, not a regular file"),
    ])
    func unreadableText(path: String, reason: String) {
        for command in ["train", "charrnn"] {
            let run = runExamples([command, "--file", path, "--quiet"])
            #expect(run.status == 1)
            #expect(run.stderr == "error: cannot read '\(path)': \(reason)\n", "\(run.stderr)")
        }
    }

    @Test("a FIFO given as a text or a checkpoint is refused at once, never waited on")
    func fifo() throws {
        try withTemporaryDirectory { dir throws in
            let path = dir.appendingPathComponent("pipe").path
            #expect(mkfifo(path, 0o600) == 0)
            let book = dir.appendingPathComponent("book.txt").path
            try "abcabcabcabc".write(toFile: book, atomically: true, encoding: .utf8)
            let reason = "error: cannot read '\(path)': it is a FIFO, not a regular file\n"
            for arguments in [["train", "--file", path], ["charrnn", "--file", path], ["train", "--init", path],
                              ["generate", "--checkpoint", path], ["charrnn", "--file", book, "--resume", path]] {
                let run = runExamples(arguments + ["--quiet"])
                #expect(run.status == 1, "\(arguments)")
                #expect(run.stderr.hasPrefix("error: ") && run.stderr.hasSuffix("it is a FIFO, not a regular file\n"), "\(arguments): \(run.stderr)")
                if arguments[1] == "--file" && arguments.count == 3 { #expect(run.stderr == reason) }
            }
        }
    }

    @Test("an output that is an input, or another output, is refused and nothing is written")
    func outputOverInput() throws {
        try withTemporaryDirectory { dir throws in
            let book = dir.appendingPathComponent("book.txt").path
            let text = "It was the best of times. "
            try text.write(toFile: book, atomically: true, encoding: .utf8)
            let link = dir.appendingPathComponent("alias.txt").path
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: book)
            let other = dir.appendingPathComponent("out.csv").path
            for arguments in [["train", "--file", book, "--losses", book], ["charrnn", "--file", book, "--save", link],
                              ["train", "--file", link, "--save", book, "--epochs", "2"],
                              ["train", "--text", "abc", "--losses", other, "--save", other]] {
                let run = runExamples(arguments + ["--quiet"])
                #expect(run.status == 2, "\(arguments): \(run.stderr)")
                #expect(run.stderr.hasPrefix("error: ") && run.stderr.contains(" is the same file as "), "\(run.stderr)")
                #expect(try String(contentsOfFile: book, encoding: .utf8) == text)
                #expect(!FileManager.default.fileExists(atPath: other))
            }
        }
    }

    @Test("a diverging loss stops with 'loss is nan at epoch N'")
    func divergence() {
        let run = runExamples(["train", "--optimizer", "sgd", "--lr", "1e38", "--epochs", "50", "--quiet"])
        #expect(run.stderr.contains("error: loss is "), "\(run.stderr)")
        #expect(run.stderr.contains(" at epoch "))
    }

    @Test("--detect-anomaly names the first op that produced a non-finite value, on the error line")
    func detectAnomaly() {
        let arguments = ["train", "--text", "hello", "--optimizer", "sgd", "--lr", "1e38", "--nonlinearity", "relu",
                         "--epochs", "50", "--quiet"]
        let plain = runExamples(arguments)
        #expect(plain.status == 1 && !plain.stderr.contains("non-finite"), "\(plain.stderr)")
        let run = runExamples(arguments + ["--detect-anomaly"])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: loss is ") && run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        #expect(run.stderr.contains("; first non-finite value: RnnSequenceBackward in forward: inf"), "\(run.stderr)")
    }

    @Test("corrupt and mismatched checkpoints are runtime errors")
    func badCheckpoints() throws {
        try withTemporaryDirectory { dir throws in
            let corrupt = dir.appendingPathComponent("corrupt.safetensors")
            try Data([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x7B]).write(to: corrupt)
            for arguments in [["train", "--init", corrupt.path], ["generate", "--checkpoint", corrupt.path]] {
                let run = runExamples(arguments + ["--quiet"])
                #expect(run.status == 1 && run.stderr.hasPrefix("error: cannot load"), "\(run.stderr)")
            }
            let model = dir.appendingPathComponent("h15.safetensors").path
            _ = runExamples(["train", "--epochs", "1", "--quiet", "--save", model])
            let mismatch = runExamples(["train", "--hidden", "7", "--epochs", "1", "--quiet", "--init", model])
            #expect(mismatch.status == 1 && mismatch.stderr.contains("shape"), "\(mismatch.stderr)")
            #expect(mismatch.stderr.split(separator: "\n").count == 1, "a multi-line state-dict error is one line: \(mismatch.stderr)")
            let text = runExamples(["generate", "--checkpoint", model, "--text", "Acknowledgement", "--quiet"])
            #expect(text.status == 2 && text.stderr.contains("has its own"), "\(text.stderr)")
            let outside = runExamples(["generate", "--checkpoint", model, "--prime", "Az", "--quiet"])
            #expect(outside.status == 1 && outside.stderr.contains("not in the vocabulary"), "\(outside.stderr)")
        }
    }

    @Test("--help prints usage and exits 0 for every command")
    func help() {
        for command in ["acknowledgement", "edgement", "train", "generate", "compare-optimizers", "bias", "hidden-sizes", "from-scratch", "charrnn", "bench"] {
            let run = runExamples([command, "--help"])
            #expect(run.status == 0 && run.stdout.hasPrefix("usage: examples \(command)"))
        }
    }
}
