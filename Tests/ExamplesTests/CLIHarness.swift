import Foundation
@testable import Examples

/// The outcome of one in-process `examples` invocation.
struct CLIRun {
    var status: Int32
    var stdout: String
    var stderr: String

    /// The last line of standard output parsed as a JSON object.
    var json: [String: Any] {
        let line = stdout.split(separator: "\n").last.map(String.init) ?? ""
        return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
    }
}

/// Collects what a command writes.
final class OutputBuffer: @unchecked Sendable {
    var text = ""
}

/// Runs `examples <arguments>` in this process, capturing its output.
func runExamples(_ arguments: [String]) -> CLIRun {
    let out = OutputBuffer(), err = OutputBuffer()
    let console = Console(out: { out.text += $0 }, error: { err.text += $0 }, interactive: false)
    let status = ExamplesCLI.run(arguments, console: console)
    return CLIRun(status: status, stdout: out.text, stderr: err.text)
}

/// The `examples` executable built next to this test bundle, for tests that need a real child process.
var examplesExecutable: URL? {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent("examples")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    return nil
}

/// Runs `script` with `/bin/sh -c`, `$0` being the `examples` executable, and returns its exit
/// status and standard error (standard output is discarded unless the script redirects it).
func runShell(_ script: String, executable: URL) throws -> (status: Int32, stderr: String) {
    let child = Process()
    child.executableURL = URL(fileURLWithPath: "/bin/sh")
    child.arguments = ["-c", script, executable.path]
    let errorPipe = Pipe()
    child.standardOutput = FileHandle.nullDevice
    child.standardError = errorPipe
    try child.run()
    let errorText = String(decoding: errorPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    child.waitUntilExit()
    return (child.terminationStatus, errorText)
}

/// Runs `body` with a fresh temporary directory, which is removed afterwards with everything in it.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("examples-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url)
}

/// A file in this test folder's `Golden/` directory.
func goldenFile(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").appendingPathComponent(name)
}
