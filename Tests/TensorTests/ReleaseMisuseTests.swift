import Foundation
import Testing

/// Misuse traps keep their messages in release builds: `MisuseProbe` (Tests/MisuseProbe) is built
/// with `swift build -c release` and run once per misuse; its standard error must carry the
/// message naming the op and the values (`precondition` would print only "precondition failure").
///
/// The release build goes to `.build/misuse-probe`, so only the first run from a clean clone
/// pays for it (about two minutes of CPU: Tensor and NN optimised).
@Suite("Misuse messages in release builds")
struct ReleaseMisuseTests {
    /// The package's root directory.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The release-built probe, built once for all cases.
    static let probe = Result { () throws -> URL in
        let scratch = root.appendingPathComponent(".build/misuse-probe").path
        let arguments = ["build", "-c", "release", "--package-path", root.path, "--scratch-path", scratch]
        let build = try run("/usr/bin/env", ["swift"] + arguments + ["--product", "MisuseProbe"])
        guard build.status == 0 else { throw ProbeError.buildFailed(build.output + build.errors) }
        let binPath = try run("/usr/bin/env", ["swift"] + arguments + ["--show-bin-path"])
        let directory = binPath.output.trimmingCharacters(in: .whitespacesAndNewlines)
        return URL(fileURLWithPath: directory).appendingPathComponent("MisuseProbe")
    }

    @Test(
        "a release build's trap prints the op and the values",
        arguments: [
            ("matmul", "matmul: shapes [1, 14] and [12, 15] cannot be multiplied"),
            ("item", "item: tensor of shape [2, 3] has 6 elements, not 1"),
            ("backward-twice", "backward: trying to backward through SumBackward a second time"),
            ("class-index", "crossEntropy: target 7 is out of bounds for 3 classes"),
            ("repeated-axis", "sum: dimension 1 appears more than once in the list of dimensions [1, -1]"),
        ])
    func messageSurvives(misuse: String, message: String) throws {
        let probe = try Self.probe.get()
        let result = try Self.run(probe.path, [misuse], environment: ["SWIFT_BACKTRACE": "enable=no"])
        #expect(result.status != 0, "the misuse must trap")
        #expect(result.errors.contains("Fatal error: " + message), "standard error was: \(result.errors)")
        #expect(!result.errors.contains("precondition failure"))
    }

    enum ProbeError: Error {
        case buildFailed(String)
    }

    /// Runs `executable` with `arguments` and returns its status and outputs (collected in
    /// temporary files, so a long build log cannot fill a pipe and stall the child).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws
        -> (status: Int32, output: String, errors: String)
    {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("misuse-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outputURL = directory.appendingPathComponent("stdout"), errorURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL), errors = try FileHandle(forWritingTo: errorURL)
        defer {
            try? output.close()
            try? errors.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: try Data(contentsOf: outputURL), as: UTF8.self),
            String(decoding: try Data(contentsOf: errorURL), as: UTF8.self)
        )
    }
}
