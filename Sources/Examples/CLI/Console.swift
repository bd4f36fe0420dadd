import Foundation

/// Where a command writes: results to standard output, progress and errors to standard error.
///
/// Progress is an updating single line on a terminal, a plain line every few seconds otherwise,
/// and nothing when quiet. Tests capture output by passing their own sinks.
final class Console {
    /// Receives standard-output text; returns why it could not be written, or `nil`.
    private let writeOut: (String) -> String?
    /// Receives standard-error text; returns why it could not be written, or `nil`.
    private let writeError: (String) -> String?
    /// Why standard output failed (full disk, closed descriptor, broken pipe), after which nothing
    /// more is written to it. The command goes on (its files are still written) and exits 1.
    private(set) var outputFailure: String?
    /// Why standard error failed, after which nothing more is written to it.
    private(set) var errorFailure: String?
    /// Whether standard error is a terminal (progress redraws one line).
    private let interactive: Bool
    /// Whether progress is suppressed (`--quiet`).
    var quiet = false
    private var lastProgress = Date.distantPast
    private var progressLineOpen = false

    /// A console writing to the given sinks, which never fail (tests' buffers).
    convenience init(out: @escaping (String) -> Void, error: @escaping (String) -> Void, interactive: Bool) {
        self.init(
            failableOut: { out($0); return nil }, failableError: { error($0); return nil }, interactive: interactive)
    }

    /// A console writing to sinks that report failure as text; a failed stream is not written
    /// again (``outputFailure``, ``errorFailure``).
    init(failableOut: @escaping (String) -> String?, failableError: @escaping (String) -> String?, interactive: Bool) {
        writeOut = failableOut
        writeError = failableError
        self.interactive = interactive
    }

    /// The process's standard output and error, written with `write(2)` so that a full disk, a
    /// closed descriptor or a closed pipe is a reported failure instead of a trap. `closed` names
    /// the descriptors that were closed when the process started (``StandardStreams``): they fail
    /// at the first write.
    static func standard(closed: Set<Int32> = []) -> Console {
        Console(
            failableOut: { closed.contains(STDOUT_FILENO) ? "it was closed" : writeAll($0, to: STDOUT_FILENO) },
            failableError: { closed.contains(STDERR_FILENO) ? "it was closed" : writeAll($0, to: STDERR_FILENO) },
            interactive: !closed.contains(STDERR_FILENO) && isatty(STDERR_FILENO) == 1)
    }

    /// Prints a line of results.
    func print(_ line: String = "") {
        closeProgressLine()
        emitOut(line + "\n")
    }

    /// Prints a line to standard error (errors and warnings; not suppressed by quiet).
    func printError(_ line: String) {
        closeProgressLine()
        emitError(line + "\n")
    }

    /// The first console failure as one line (`cannot write to standard output: No space left
    /// on device`), or `nil` when every write went through.
    var failure: String? {
        if let outputFailure { return "cannot write to standard output: \(outputFailure)" }
        if let errorFailure { return "cannot write to standard error: \(errorFailure)" }
        return nil
    }

    private func emitOut(_ text: String) {
        guard outputFailure == nil else { return }
        outputFailure = writeOut(text)
    }

    private func emitError(_ text: String) {
        guard errorFailure == nil else { return }
        errorFailure = writeError(text)
    }

    /// Reports progress: `step` of `total` with the current loss, throughput and ETA.
    ///
    /// Redrawn at most ten times a second on a terminal; elsewhere printed every two seconds
    /// and at the last step.
    /// `first` is the step the run started from (a resumed run's), so the rate counts only
    /// the steps of this run.
    func progress(_ label: String, step: Int, total: Int, loss: Double, started: Date, first: Int = 0) {
        guard !quiet else { return }
        let now = Date()
        let last = step == total
        guard last || now.timeIntervalSince(lastProgress) >= (interactive ? 0.1 : 2) else { return }
        lastProgress = now
        let elapsed = now.timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(step - first) / elapsed : 0
        let eta = rate > 0 ? Double(total - step) / rate : 0
        let line = "\(label) \(step)/\(total)  loss \(format(loss, digits: 4))  \(format(rate, digits: 1)) it/s  ETA \(format(eta, digits: 1))s"
        if interactive {
            emitError("\r\u{1B}[2K" + line + (last ? "\n" : ""))
            progressLineOpen = !last
        } else {
            emitError(line + "\n")
        }
    }

    /// Reports training progress as `label step/total  loss L  T ms/iter  ETA Ss`, throttled
    /// like ``progress(_:step:total:loss:started:)``.
    func stepProgress(_ label: String, step: Int, total: Int, loss: Double, started: Date) {
        guard !quiet else { return }
        let now = Date()
        let last = step == total
        guard last || now.timeIntervalSince(lastProgress) >= (interactive ? 0.1 : 2) else { return }
        lastProgress = now
        let perStep = step > 0 ? now.timeIntervalSince(started) / Double(step) : 0
        let line = "\(label) \(step)/\(total)  loss \(format(loss, digits: 4))  \(format(perStep * 1000, digits: 1)) ms/iter  ETA \(format(perStep * Double(total - step), digits: 1))s"
        if interactive {
            emitError("\r\u{1B}[2K" + line + (last ? "\n" : ""))
            progressLineOpen = !last
        } else {
            emitError(line + "\n")
        }
    }

    private func closeProgressLine() {
        if progressLineOpen {
            emitError("\n")
            progressLineOpen = false
        }
    }
}

/// Writes all of `text` to `descriptor`, continuing after short writes and `EINTR`; returns the
/// system's reason on failure (`strerror` text), or `nil`.
private func writeAll(_ text: String, to descriptor: Int32) -> String? {
    var bytes = Array(text.utf8)
    guard !bytes.isEmpty else { return nil }
    return bytes.withUnsafeMutableBytes { buffer -> String? in
        var offset = 0
        while offset < buffer.count {
            let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return String(cString: strerror(errno))
            }
            offset += written
        }
        return nil
    }
}

/// `value` with `digits` digits after the decimal point.
func format(_ value: Double, digits: Int) -> String {
    String(format: "%.\(digits)f", value)
}
