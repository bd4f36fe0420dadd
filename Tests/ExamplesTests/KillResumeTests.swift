import Foundation
import Testing

/// Checkpoints survive `kill -9`: a real child process is killed while it checkpoints every
/// iteration; the file it leaves is always a complete checkpoint, and resuming from it gives
/// the uninterrupted run's losses.
@Suite("kill -9 and resume")
struct KillResumeTests {
    /// Starts `binary` with `arguments` as a child process and kills it with SIGKILL after `delay` seconds.
    static func runAndKill(_ binary: URL, _ arguments: [String], after delay: TimeInterval) throws {
        let child = Process()
        child.executableURL = binary
        child.arguments = arguments
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        Thread.sleep(forTimeInterval: delay)
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal, "the child ended before it was killed")
    }

    @Test("killed mid-run, the checkpoint is complete and resumes exactly")
    func killAndResume() throws {
        let binary = try #require(examplesExecutable, "the examples executable is built with the tests")
        try withTemporaryDirectory { dir throws in
            let book = dir.appendingPathComponent("book.txt")
            try String(repeating: "It was the best of times, it was the worst of times. ", count: 20).write(to: book, atomically: true, encoding: .utf8)
            let checkpoint = dir.appendingPathComponent("ckpt.safetensors").path
            let common = ["charrnn", "--file", book.path, "--hidden", "24", "--seq-length", "20", "--sample-every", "0", "--length", "1", "--quiet"]
            let iterations = 400

            // The uninterrupted reference, in process.
            let full = dir.appendingPathComponent("full.csv").path
            #expect(runExamples(common + ["--iterations", "\(iterations)", "--losses", full]).status == 0)
            let reference = try String(contentsOfFile: full, encoding: .utf8).split(separator: "\n").dropFirst().map(String.init)

            // Kill a child that checkpoints every iteration, at several moments.
            var killedAt: [Int] = []
            for delay in [0.15, 0.3, 0.45] {
                try Self.runAndKill(binary, common + ["--iterations", "\(iterations * 100)", "--save", checkpoint, "--save-every", "1"], after: delay)
                // On a loaded machine the child may not have reached its first checkpoint yet.
                guard FileManager.default.fileExists(atPath: checkpoint) else { continue }
                // The checkpoint on disk must load and resume.
                let resumed = dir.appendingPathComponent("resumed.csv").path
                let run = runExamples(common + ["--iterations", "\(iterations)", "--resume", checkpoint, "--losses", resumed, "--json"])
                #expect(run.status == 0, "\(run.stderr)")
                guard run.status == 0 else { continue }
                let tail = try String(contentsOfFile: resumed, encoding: .utf8).split(separator: "\n").dropFirst().map(String.init)
                let start = iterations - tail.count
                killedAt.append(start)
                if start > 0 { #expect(tail == Array(reference.suffix(tail.count)), "resumed after iteration \(start)") }
            }
            #expect(killedAt.contains { $0 > 0 && $0 < iterations }, "no kill landed mid-run: \(killedAt)")
        }
    }

    @Test("train --save-every 1 killed at any moment leaves a complete checkpoint")
    func killTrain() throws {
        let binary = try #require(examplesExecutable, "the examples executable is built with the tests")
        try withTemporaryDirectory { dir throws in
            let checkpoint = dir.appendingPathComponent("train.safetensors").path
            var loaded = 0
            for delay in [0.1, 0.2, 0.3, 0.4] {
                let arguments = ["train", "--text", "Acknowledgement", "--hidden", "64", "--epochs", "10000000",
                                 "--save", checkpoint, "--save-every", "1", "--quiet"]
                try Self.runAndKill(binary, arguments, after: delay)
                guard FileManager.default.fileExists(atPath: checkpoint) else { continue }
                // Whatever moment the kill hit, the file is a whole checkpoint with its vocabulary.
                let run = runExamples(["generate", "--checkpoint", checkpoint, "--prime", "A", "--length", "5", "--greedy", "--quiet"])
                #expect(run.status == 0, "\(run.stderr)")
                if run.status == 0 { loaded += 1 }
            }
            #expect(loaded >= 3, "checkpoints written before the kill: \(loaded)")
        }
    }
}
