import Tensor

/// `--detect-anomaly`, accepted by the commands that train: runs the command inside
/// ``withAnomalyDetection(_:_:)`` so that a failure caused by a non-finite value names the first
/// autograd operation that produced one (PyTorch's `torch.autograd.detect_anomaly()`).
enum AnomalyOption {
    /// The switch, for the training commands' option lists.
    static let spec = OptionSpec.flag(
        "--detect-anomaly", "name the first autograd op whose result or gradient is NaN or infinite (slower)")

    /// Runs `body`, with anomaly detection when `--detect-anomaly` was given.
    ///
    /// A runtime error gains `; first non-finite value: <op> in <forward|backward>: ...` (a
    /// diverged loss that no recorded operation explains says so), keeping the error on one line. A run that
    /// succeeds although an operation produced a non-finite value (say, a gradient that clipping
    /// tamed) prints a `warning:` line.
    static func run<R>(
        _ options: ParsedOptions, console: Console, _ body: () throws(ExamplesError) -> R
    ) throws(ExamplesError) -> R {
        guard options.flag(spec.name) else { return try body() }
        let detector = AnomalyDetector()
        do {
            let result = try withAnomalyDetection(detector, body)
            if let anomaly = detector.firstAnomaly { console.printError("warning: non-finite value: \(anomaly)") }
            return result
        } catch {
            guard case .runtime(let message) = error else { throw error }
            if let anomaly = detector.firstAnomaly {
                throw .runtime("\(message); first non-finite value: \(anomaly)")
            }
            // A diverged loss ("loss is nan at epoch N") that no recorded op explains was computed
            // outside autograd (from-scratch's hand-written gradients, under no-grad).
            guard message.contains("loss is ") else { throw error }
            throw .runtime("\(message); no recorded autograd op produced a non-finite value")
        }
    }
}
