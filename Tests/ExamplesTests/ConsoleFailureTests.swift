import Foundation
import Testing

/// A console that cannot be written (full disk, closed descriptors) fails the run cleanly: exit 1
/// with one `error:` line where standard error still works, never a trap, and the command's
/// files are still written, intact.
@Suite("console failures")
struct ConsoleFailureTests {
    static let train = "\"$0\" train --text 'hello world' --hidden 8 --epochs 5"

    @Test("standard output on a full disk: exit 1 and one error line")
    func fullDisk() throws {
        let binary = try #require(examplesExecutable, "the examples executable is built with the tests")
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let run = try runShell("\(Self.train) --json > /dev/full", executable: binary)
        #expect(run.status == 1)
        #expect(run.stderr.hasSuffix("error: cannot write to standard output: No space left on device\n"), "\(run.stderr)")
    }

    @Test("closed standard output or error: exit 1, and the checkpoint is written and loads")
    func closedStreams() throws {
        let binary = try #require(examplesExecutable, "the examples executable is built with the tests")
        try withTemporaryDirectory { dir throws in
            for (index, redirection) in [">&-", "2>&-", ">&- 2>&-"].enumerated() {
                let checkpoint = dir.appendingPathComponent("ck\(index).safetensors").path
                let run = try runShell("\(Self.train) --save '\(checkpoint)' \(redirection)", executable: binary)
                #expect(run.status == 1, "\(redirection): \(run.stderr)")
                if redirection == ">&-" {
                    #expect(run.stderr.hasSuffix("error: cannot write to standard output: it was closed\n"), "\(run.stderr)")
                }
                let generated = runExamples(["generate", "--checkpoint", checkpoint, "--prime", "h", "--length", "3", "--greedy"])
                #expect(generated.status == 0, "\(redirection): \(generated.stderr)")
            }
        }
    }

    @Test("no command: one error line, then the command list; exit 2")
    func noCommand() {
        let run = runExamples([])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("error: no command given\n"))
        #expect(run.stderr.contains("commands:"))
        #expect(run.stdout.isEmpty)
    }
}
