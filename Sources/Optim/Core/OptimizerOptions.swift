import Foundation
import Tensor

/// The hyperparameters of one optimizer for one parameter group, and the update rule they drive.
///
/// Each optimizer has one conforming type (``SGDOptions``, ``AdamOptions``, ``AdagradOptions``,
/// ``RMSpropOptions``). Values are `Double`, as PyTorch's are Python floats: scalar
/// arithmetic on them (bias corrections, decayed learning rates) happens in `Double`, and
/// only the per-element update runs in the parameter's `Scalar` type. `Codable` keys are
/// PyTorch's names (`weight_decay`, `betas`, ...), which is how state dicts record groups.
///
/// A new optimizer can be written by conforming a type to this protocol and building a
/// ``GroupedOptimizer`` with it.
public protocol OptimizerOptions: Codable, Equatable, Sendable {
    /// The learning rate γ (PyTorch's `lr`); the value schedulers change.
    var lr: Double { get set }

    /// The momentum that ``CyclicLR`` and ``OneCycleLR`` cycle: `momentum` (SGD, RMSprop) or
    /// β₁ (Adam, AdamW); `nil` for options without one, which ignore a new value.
    var cycledMomentum: Double? { get set }

    /// Every option under PyTorch's name with its value as PyTorch 2.15 prints it in
    /// `repr(optimizer)`, including the implementation switches PyTorch has and these optimizers
    /// behave as with their defaults (`differentiable: False`, `foreach: None`, `fused: None`,
    /// `capturable: False`); see ``GroupedOptimizer/description``.
    var printedOptions: [String: String] { get }

    /// Throws ``OptimizerError/invalidHyperparameter(optimizer:message:)`` if a value is out of
    /// range, naming `optimizer` in the error.
    func validate(optimizer: String) throws(OptimizerError)

    /// The names of the state entries (buffers, and `"step"` for step-counting optimizers)
    /// that a parameter's saved state must have under these options, and those it may have.
    var stateNames: (required: [String], optional: [String]) { get }

    /// The state of a parameter before its first update.
    func makeState<Scalar: TensorFloatingPoint>(for parameter: Tensor<Scalar>) -> ParameterState<Scalar>

    /// Applies one update to `parameter` in place, given its gradient and state.
    ///
    /// Called under no-grad; `gradient` has the parameter's shape and is not modified.
    func update<Scalar: TensorFloatingPoint>(
        _ parameter: Tensor<Scalar>, gradient: Tensor<Scalar>, state: inout ParameterState<Scalar>)
}

extension OptimizerOptions {
    /// No momentum to cycle: reads `nil`, ignores a new value.
    public var cycledMomentum: Double? {
        get { nil }
        set {}
    }
}

extension OptimizerOptions {
    /// The `Codable` encoding (PyTorch's names) with Python's rendering of each value: numbers
    /// as floats (`0.001`), booleans as `True`/`False`, arrays as tuples, `null` as `None`.
    /// The built-in options override it with PyTorch's exact entries.
    public var printedOptions: [String: String] {
        guard let data = try? JSONEncoder().encode(self),
            let object = try? JSONDecoder().decode([String: PrintedValue].self, from: data)
        else { return [:] }
        return object.mapValues(\.python)
    }
}

/// A JSON value of an encoded options type, rendered as Python prints it.
private enum PrintedValue: Decodable {
    case bool(Bool), number(Double), string(String), array([PrintedValue]), null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else {
            self = .array(try container.decode([PrintedValue].self))
        }
    }

    var python: String {
        switch self {
        case let .bool(value): PythonRepr.bool(value)
        case let .number(value): PythonRepr.float(value)
        case let .string(value): "'\(value)'"
        case let .array(values): "(" + values.map(\.python).joined(separator: ", ") + (values.count == 1 ? ",)" : ")")
        case .null: "None"
        }
    }
}
