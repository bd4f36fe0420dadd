/// Why an optimizer could not be built, or could not load a state dict.
///
/// PyTorch raises `ValueError` for these; the messages follow PyTorch's wording,
/// prefixed with the optimizer's name (`"Adam: invalid beta parameter at index 0: 1.0"`).
public enum OptimizerError: Error, Equatable, CustomStringConvertible {
    /// A hyperparameter is outside its valid range (negative learning rate, a beta outside
    /// `[0, 1)`, Nesterov momentum without momentum, ...).
    case invalidHyperparameter(optimizer: String, message: String)
    /// The optimizer was given no parameters at all.
    case emptyParameterList(optimizer: String)
    /// The same tensor appears twice, in one group or in two groups.
    case duplicateParameter(optimizer: String, group: Int, index: Int)
    /// The tensor was computed from other tensors (it has a `gradFn`), so it cannot be optimised.
    case nonLeafParameter(optimizer: String, group: Int, index: Int)
    /// A state dict does not fit this optimizer: another optimizer's, another model's
    /// (parameter counts or shapes differ), or malformed.
    case invalidStateDict(optimizer: String, message: String)

    /// A one-line explanation naming the optimizer.
    public var description: String {
        switch self {
        case let .invalidHyperparameter(optimizer, message):
            "\(optimizer): \(message)"
        case let .emptyParameterList(optimizer):
            "\(optimizer): optimizer got an empty parameter list"
        case let .duplicateParameter(optimizer, group, index):
            "\(optimizer): parameter \(index) of group \(group) appears more than once in the optimizer's parameters"
        case let .nonLeafParameter(optimizer, group, index):
            "\(optimizer): can't optimize a non-leaf tensor (parameter \(index) of group \(group))"
        case let .invalidStateDict(optimizer, message):
            "\(optimizer): cannot load state dict: \(message)"
        }
    }
}
