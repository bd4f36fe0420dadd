import Tensor

/// A model's parameters by key, in order (PyTorch's `state_dict()` `OrderedDict`).
///
/// Keys are PyTorch's dotted names (`rnn.weight_ih_l0`, `fc.bias`). The tensors returned by
/// ``Module/stateDict()`` share storage with the parameters (like PyTorch's detached tensors):
/// copy them to keep a snapshot.
///
/// ```swift
/// let snapshot = model.stateDict().copied()
/// // ... train ...
/// try model.loadStateDict(snapshot)  // back to the snapshot
/// ```
public struct StateDict<Scalar: TensorFloatingPoint>: Sequence, ExpressibleByDictionaryLiteral {
    /// The keys in order.
    public private(set) var keys: [String] = []
    private var tensors: [String: Tensor<Scalar>] = [:]

    /// An empty state dict.
    public init() {}

    /// The entries in the given order; a repeated key keeps its first position and its last tensor.
    public init(_ entries: [(key: String, value: Tensor<Scalar>)]) {
        for (key, value) in entries { self[key] = value }
    }

    /// The entries in the literal's order.
    public init(dictionaryLiteral elements: (String, Tensor<Scalar>)...) {
        self.init(elements.map { (key: $0.0, value: $0.1) })
    }

    /// The number of entries.
    public var count: Int { keys.count }

    /// The tensor stored under `key`; setting `nil` removes the entry, setting a new key appends it.
    public subscript(key: String) -> Tensor<Scalar>? {
        get { tensors[key] }
        set {
            switch (tensors[key], newValue) {
            case (nil, let value?):
                keys.append(key)
                tensors[key] = value
            case (_?, nil):
                keys.removeAll { $0 == key }
                tensors[key] = nil
            default:
                tensors[key] = newValue
            }
        }
    }

    /// The entries in order.
    public func makeIterator() -> some IteratorProtocol<(key: String, value: Tensor<Scalar>)> {
        keys.lazy.map { (key: $0, value: tensors[$0]!) }.makeIterator()
    }

    /// The same entries with their own copies of the elements, detached from the model.
    public func copied() -> StateDict {
        StateDict(map { (key: $0.key, value: $0.value.copy()) })
    }

    /// The same entries converted to `Target` elements (`{k: v.to(dtype)}`), e.g. to load
    /// `Float` weights into a `Double` model.
    public func converted<Target: TensorFloatingPoint>(to type: Target.Type) -> StateDict<Target> {
        StateDict<Target>(map { (key: $0.key, value: $0.value.converted(to: Target.self)) })
    }
}
