import Foundation
import Testing
@testable import Examples

/// Configurations that would need more memory than the machine has (or `--max-memory` allows)
/// are refused with one line naming the estimate and the limit, before anything is allocated.
@Suite("memory budget")
struct MemoryBudgetTests {
    @Test("oversized runs are refused with the estimate and the limit", arguments: [
        ["train", "--hidden", "100000"],
        ["train", "--layers", "1000", "--hidden", "2000"],
        ["edgement", "--hidden", "100000"],
        ["train", "--text", "hello world", "--max-memory", "8K"],
    ])
    func refused(arguments: [String]) {
        let run = runExamples(arguments + ["--quiet"])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: this run needs about "), "\(run.stderr)")
        #expect(run.stderr.contains(arguments.contains("--max-memory") ? "limit (--max-memory)" : "limit (physical memory"), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    @Test("charrnn estimates one chunk of the book, not the whole book")
    func charRNN() throws {
        try withTemporaryDirectory { dir throws in
            let book = dir.appendingPathComponent("book.txt").path
            try String(repeating: "to be or not to be ", count: 50).write(toFile: book, atomically: true, encoding: .utf8)
            let huge = runExamples(["charrnn", "--file", book, "--hidden", "100000", "--quiet"])
            #expect(huge.status == 1 && huge.stderr.hasPrefix("error: this run needs about "), "\(huge.stderr)")
            let small = runExamples(["charrnn", "--file", book, "--hidden", "8", "--iterations", "2", "--sample-every", "0",
                                     "--length", "1", "--max-memory", "16M", "--quiet"])
            #expect(small.status == 0, "\(small.stderr)")
        }
    }

    @Test("--max-memory sizes", arguments: [("512", 512), ("64K", 65536), ("1.5g", 1_610_612_736), ("2MB", 2_097_152)])
    func sizes(text: String, bytes: Int) {
        #expect(MemoryBudget.parseSize(text) == bytes)
    }

    @Test("a malformed --max-memory is a usage error", arguments: ["", "abc", "-1G", "0", "1e40", "nanG"])
    func malformed(text: String) {
        let run = runExamples(["train", "--max-memory", text, "--quiet"])
        #expect(run.status == 2 && run.stderr.hasPrefix("error: option '--max-memory'"), "\(run.stderr)")
    }
}
