/// The first non-finite value (NaN or ±infinity) that anomaly detection saw an autograd
/// operation produce: which operation, in which pass, and the shapes involved.
///
/// Operations are named by their graph node, as PyTorch names `grad_fn`s: `"LogBackward"` is
/// the node of `log`, so "LogBackward in forward" means `log` itself returned the value and
/// "LogBackward in backward" means its pullback did.
///
/// ```swift
/// let detector = AnomalyDetector()
/// withAnomalyDetection(detector) { (x.log() * 2).sum().backward() }
/// detector.firstAnomaly?.description
/// // "LogBackward in forward: nan in the output of shape [3] (input shapes [3])"
/// ```
public struct Anomaly: Sendable, Equatable, CustomStringConvertible {
    /// Where the value appeared.
    public enum Phase: String, Sendable {
        /// In an operation's result, when the operation was recorded.
        case forward
        /// In a gradient that an operation's pullback returned during `backward()`.
        case backward
    }

    /// The graph node's name (`"LogBackward"`, `"MatmulBackward"`, ...).
    public var operation: String
    /// Whether the forward result or a backward gradient was non-finite.
    public var phase: Phase
    /// The first non-finite element found (NaN, `+infinity` or `-infinity`).
    public var value: Double
    /// The shape of the tensor that held it: the result (forward) or the gradient (backward).
    public var shape: [Int]
    /// For a backward anomaly, the position of the input whose gradient held it; `nil` in forward.
    public var inputIndex: Int?
    /// The shapes of the operation's inputs, in the order the operation lists them.
    public var inputShapes: [[Int]]

    /// Creates a report.
    public init(operation: String, phase: Phase, value: Double, shape: [Int], inputIndex: Int?, inputShapes: [[Int]]) {
        self.operation = operation
        self.phase = phase
        self.value = value
        self.shape = shape
        self.inputIndex = inputIndex
        self.inputShapes = inputShapes
    }

    /// One line: `SqrtBackward in backward: inf in the gradient for input 0 of shape [3] (input shapes [3])`.
    public var description: String {
        let location = inputIndex.map { "the gradient for input \($0)" } ?? "the output"
        let shapes = inputShapes.map { "\($0)" }.joined(separator: ", ")
        return "\(operation) in \(phase.rawValue): \(Self.name(of: value)) in \(location) of shape \(shape) (input shapes \(shapes))"
    }

    /// `nan`, `inf` or `-inf`, as PyTorch prints them.
    private static func name(of value: Double) -> String {
        value.isNaN ? "nan" : value > 0 ? "inf" : "-inf"
    }
}
