import Synchronization

/// Collects the first non-finite value produced by an autograd operation inside
/// ``withAnomalyDetection(_:_:)`` (PyTorch's `torch.autograd.detect_anomaly()`).
///
/// While detection is on, every recorded operation's result (forward) and every gradient a
/// pullback returns (backward) is scanned for NaN and infinity; the first offender is kept in
/// ``firstAnomaly`` and later ones are not checked. Nothing is thrown or printed: the caller
/// decides what to do, typically after its own check (a non-finite loss) fails.
///
/// Only recorded operations are checked: work under ``withNoGrad(_:)`` or on tensors that do not
/// require gradients builds no graph node, so there is nothing to name.
public final class AnomalyDetector: Sendable {
    private let first = Mutex<Anomaly?>(nil)

    /// A detector that has seen nothing yet.
    public init() {}

    /// The first anomaly seen, or `nil` if every checked value was finite.
    public var firstAnomaly: Anomaly? { first.withLock { $0 } }

    /// Checks a recorded operation's result; called by ``Tensor/recording(_:_:_:)``.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func checkForward<Scalar>(_ name: String, result: Tensor<Scalar>, inputs: [Tensor<Scalar>]) {
        guard firstAnomaly == nil, let value = firstNonFiniteValue(in: result) else { return }
        record(Anomaly(
            operation: name, phase: .forward, value: value, shape: result.shape, inputIndex: nil,
            inputShapes: inputs.map(\.shape)))
    }

    /// Checks the gradients a pullback returned for those of `inputs` that require one;
    /// called by `backward()`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func checkBackward<Scalar>(_ name: String, gradients: [Tensor<Scalar>?], inputs: [Tensor<Scalar>]) {
        guard firstAnomaly == nil else { return }
        for (index, (gradient, input)) in Swift.zip(gradients, inputs).enumerated() {
            guard let gradient, input.requiresGrad, let value = firstNonFiniteValue(in: gradient) else { continue }
            record(Anomaly(
                operation: name, phase: .backward, value: value, shape: gradient.shape, inputIndex: index,
                inputShapes: inputs.map(\.shape)))
            return
        }
    }

    /// Keeps `anomaly` unless an earlier one was recorded (by another task sharing the detector).
    private func record(_ anomaly: Anomaly) {
        first.withLock { if $0 == nil { $0 = anomaly } }
    }

    /// The detector of the innermost ``withAnomalyDetection(_:_:)`` around the current task, if any.
    @TaskLocal static var current: AnomalyDetector?
}

/// Runs `body` with anomaly detection on (`with torch.autograd.detect_anomaly():`), reporting
/// into `detector`: afterwards, or after `body` throws, `detector.firstAnomaly` names the first
/// recorded operation whose result or pullback gradient held a NaN or an infinity.
///
/// The setting is task-local: child tasks inherit it, other tasks are unaffected. Scanning every
/// result and gradient costs one pass over their elements; with detection off, recording an
/// operation costs one task-local read more and `backward()` one per call.
///
/// ```swift
/// let detector = AnomalyDetector()
/// let x = Tensor<Double>([0, 1, 4], requiresGrad: true)
/// withAnomalyDetection(detector) { x.sqrt().sum().backward() }
/// print(detector.firstAnomaly!)
/// // SqrtBackward in backward: inf in the gradient for input 0 of shape [3] (input shapes [3])
/// ```
public func withAnomalyDetection<R, E: Error>(
    _ detector: AnomalyDetector = AnomalyDetector(), _ body: () throws(E) -> R
) throws(E) -> R {
    try AnomalyDetector.$current.withValue(detector) { Result { () throws(E) -> R in try body() } }.get()
}

/// The first NaN or infinite element of `tensor` (as a `Double`), or `nil` if all are finite.
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
private func firstNonFiniteValue<Scalar: TensorElement>(in tensor: Tensor<Scalar>) -> Double? {
    tensor.withUnsafeBufferPointer { buffer in
        for element in buffer where !element.doubleValue.isFinite { return element.doubleValue }
        return nil
    }
}
