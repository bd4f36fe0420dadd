/// A value of a `.pt` file, as `torch.load(weights_only=True)` returns it: Python's plain
/// containers and scalars, and tensors.
///
/// A state dict is a ``dict(_:)`` of string keys to tensors; a training checkpoint is a dict
/// holding other dicts, numbers and strings beside them; an optimizer's state dict has int keys.
///
/// ```swift
/// let checkpoint = try TorchFile(contentsOf: URL(fileURLWithPath: "ckpt.pt")).value
/// let iteration = checkpoint["iter_num"]?.int              // 5000
/// let weights = checkpoint["model"]?["lm_head.weight"]?.tensor
/// ```
public indirect enum TorchValue: Sendable {
    /// Python's `None`.
    case none
    /// A `bool`.
    case bool(Bool)
    /// An `int` that fits in 64 bits.
    case int(Int)
    /// A `float`.
    case float(Double)
    /// A `str`.
    case string(String)
    /// A `list`.
    case list([TorchValue])
    /// A `tuple`.
    case tuple([TorchValue])
    /// A `dict` or `collections.OrderedDict`, in insertion order.
    case dict(TorchDictionary)
    /// A tensor or `nn.Parameter`.
    case tensor(TorchTensor)

    /// The value under the string key `key` of a dict; nil for other values or a missing key.
    public subscript(key: String) -> TorchValue? {
        guard case .dict(let dictionary) = self else { return nil }
        return dictionary[key]
    }

    /// The tensor, or nil.
    public var tensor: TorchTensor? {
        if case .tensor(let tensor) = self { return tensor }
        return nil
    }

    /// The int (or bool as 0/1, like Python), or nil.
    public var int: Int? {
        switch self {
        case .int(let value): value
        case .bool(let value): value ? 1 : 0
        default: nil
        }
    }

    /// The float, or the int converted to `Double`, or nil.
    public var double: Double? {
        switch self {
        case .float(let value): value
        case .int(let value): Double(value)
        default: nil
        }
    }

    /// The string, or nil.
    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The elements of a list or tuple, or nil.
    public var elements: [TorchValue]? {
        switch self {
        case .list(let values), .tuple(let values): values
        default: nil
        }
    }

    /// The dictionary, or nil.
    public var dictionary: TorchDictionary? {
        if case .dict(let dictionary) = self { return dictionary }
        return nil
    }

    /// What the value is, as error messages name it (`"a tensor"`, `"an int"`, ...).
    public var kindDescription: String {
        switch self {
        case .none: "None"
        case .bool: "a bool"
        case .int: "an int"
        case .float: "a float"
        case .string: "a string"
        case .list: "a list"
        case .tuple: "a tuple"
        case .dict: "a dict"
        case .tensor: "a tensor"
        }
    }
}

/// A Python dict of a `.pt` file: keys and values in insertion order.
///
/// Keys are usually strings (state dicts) or ints (an optimizer's `state`); a later entry with an
/// equal key replaces the earlier one's value, as in Python. Keys compare as Python compares them:
/// strings by value, numbers by value (`1`, `1.0` and `True` are one key), `None` to `None`; other
/// values (tuples, tensors) are kept but never found by lookup.
public struct TorchDictionary: Sendable {
    /// The entries in insertion order.
    public private(set) var entries: [(key: TorchValue, value: TorchValue)] = []
    /// The position of each hashable key in ``entries``.
    private var positions: [Key: Int] = [:]

    /// An empty dictionary.
    public init() {}

    /// The entries in order (a repeated key keeps its first position and its last value).
    public init(_ entries: [(key: TorchValue, value: TorchValue)]) {
        for (key, value) in entries { append(key, value) }
    }

    /// The entries with string keys, in order.
    public init(_ entries: [(String, TorchValue)]) {
        self.init(entries.map { (key: TorchValue.string($0.0), value: $0.1) })
    }

    /// The number of entries.
    public var count: Int { entries.count }

    /// The value under `key`.
    public subscript(key: TorchValue) -> TorchValue? {
        Key(key).flatMap { positions[$0] }.map { entries[$0].value }
    }

    /// The value under the string key `key`.
    public subscript(key: String) -> TorchValue? {
        self[.string(key)]
    }

    /// The value under the int key `key` (an optimizer state's parameter number).
    public subscript(key: Int) -> TorchValue? {
        self[.int(key)]
    }

    /// Sets `key` to `value` (Python's `d[key] = value`): a new key is appended, an existing one
    /// keeps its position.
    public mutating func append(_ key: TorchValue, _ value: TorchValue) {
        guard let hashable = Key(key) else {
            entries.append((key, value))
            return
        }
        if let index = positions[hashable] {
            entries[index].value = value
        } else {
            positions[hashable] = entries.count
            entries.append((key, value))
        }
    }

    /// A key as Python hashes it, for the keys lookup supports.
    private enum Key: Hashable {
        case string(String)
        case integer(Int)
        case float(Double)
        case none

        init?(_ value: TorchValue) {
            switch value {
            case .string(let text): self = .string(text)
            case .int(let number): self = .integer(number)
            case .bool(let flag): self = .integer(flag ? 1 : 0)
            case .float(let number):
                if let exact = Int(exactly: number) { self = .integer(exact) } else { self = .float(number) }
            case .none: self = .none
            default: return nil
            }
        }
    }
}
