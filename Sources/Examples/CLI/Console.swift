import Foundation

/// Where a command writes: results to standard output, progress and errors to standard error.
///
/// Progress is an updating single line on a terminal, a plain line every few seconds otherwise,
/// and nothing when quiet. Tests capture output by passing their own sinks.
final class Console {
    /// Receives standard-output text.
    private let writeOut: (String) -> Void
    /// Receives standard-error text.
    private let writeError: (String) -> Void
    /// Whether standard error is a terminal (progress redraws one line).
    private let interactive: Bool
    /// Whether progress is suppressed (`--quiet`).
    var quiet = false
    private var lastProgress = Date.distantPast
    private var progressLineOpen = false

    /// A console writing to the given sinks.
    init(out: @escaping (String) -> Void, error: @escaping (String) -> Void, interactive: Bool) {
        writeOut = out
        writeError = error
        self.interactive = interactive
    }

    /// The process's standard output and error.
    static func standard() -> Console {
        Console(
            out: { FileHandle.standardOutput.write(Data($0.utf8)) },
            error: { FileHandle.standardError.write(Data($0.utf8)) },
            interactive: isatty(STDERR_FILENO) == 1)
    }

    /// Prints a line of results.
    func print(_ line: String = "") {
        closeProgressLine()
        writeOut(line + "\n")
    }

    /// Prints a line to standard error (errors and warnings; not suppressed by quiet).
    func printError(_ line: String) {
        closeProgressLine()
        writeError(line + "\n")
    }

    /// Reports progress: `step` of `total` with the current loss, throughput and ETA.
    ///
    /// Redrawn at most ten times a second on a terminal; elsewhere printed every two seconds
    /// and at the last step.
    func progress(_ label: String, step: Int, total: Int, loss: Double, started: Date) {
        guard !quiet else { return }
        let now = Date()
        let last = step == total
        guard last || now.timeIntervalSince(lastProgress) >= (interactive ? 0.1 : 2) else { return }
        lastProgress = now
        let elapsed = now.timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(step) / elapsed : 0
        let eta = rate > 0 ? Double(total - step) / rate : 0
        let line = "\(label) \(step)/\(total)  loss \(format(loss, digits: 4))  \(format(rate, digits: 1)) it/s  ETA \(format(eta, digits: 1))s"
        if interactive {
            writeError("\r\u{1B}[2K" + line + (last ? "\n" : ""))
            progressLineOpen = !last
        } else {
            writeError(line + "\n")
        }
    }

    private func closeProgressLine() {
        if progressLineOpen {
            writeError("\n")
            progressLineOpen = false
        }
    }
}

/// `value` with `digits` digits after the decimal point.
func format(_ value: Double, digits: Int) -> String {
    String(format: "%.\(digits)f", value)
}
