import Foundation
import NN
import Tensor

/// An optimizer state dict in PyTorch's own structure, as `torch.save(optimizer.state_dict(), path)`
/// writes it and `optimizer.load_state_dict(...)` reads it:
///
/// ```
/// {"state": {0: {"step": tensor(5.), "exp_avg": tensor(...), "exp_avg_sq": tensor(...)}, 1: {...}},
///  "param_groups": [{"lr": 0.001, "betas": (0.9, 0.999), ..., "params": [0, 1]}, ...]}
/// ```
///
/// ```swift
/// let checkpoint = try TorchFile(contentsOf: URL(fileURLWithPath: "ckpt.pt")).value
/// try model.loadStateDict(StateDict(torch: checkpoint["model"]!))
/// let optimizer = try Adam(model.parameters(), lr: 1e-3)
/// try optimizer.loadStateDict(OptimizerStateDict(torch: checkpoint["optimizer"]!, optimizer: optimizer.name))
/// ```
extension OptimizerStateDict {
    /// The state dict `value` of a PyTorch optimizer, for the optimizer named `name` (PyTorch's
    /// state dicts do not record which optimizer wrote them; `nil` leaves it unrecorded, and
    /// loading then fails). Buffers and step counts are converted to `Scalar`; a group's options
    /// are read under PyTorch's names, extra keys (`foreach`, `fused`, ...) ignored.
    ///
    /// - Throws: ``OptimizerError/invalidStateDict(optimizer:message:)`` if `value` does not have
    ///   PyTorch's structure.
    public init(torch value: TorchValue, optimizer name: String?) throws(OptimizerError) {
        func invalid(_ message: String) -> OptimizerError {
            .invalidStateDict(optimizer: name ?? "optimizer", message: message)
        }
        guard let state = value["state"]?.dictionary, let groups = value["param_groups"]?.elements else {
            throw invalid("a PyTorch optimizer state dict is a dict with 'state' and 'param_groups', got \(value.kindDescription)")
        }
        var tensors: [String: Tensor<Scalar>] = [:]
        for (key, entries) in state.entries {
            guard let number = key.int, let entries = entries.dictionary else {
                throw invalid("'state' must map parameter numbers to dicts, got \(key.kindDescription) to \(entries.kindDescription)")
            }
            for (nameKey, entry) in entries.entries {
                guard let bufferName = nameKey.string else { throw invalid("the state of parameter \(number) has a non-string key") }
                switch entry {
                case .tensor(let tensor): tensors["state.\(number).\(bufferName)"] = tensor.tensor(as: Scalar.self)
                case .int, .float: tensors["state.\(number).\(bufferName)"] = Tensor(scalar: Scalar(entry.double!))
                case .none: continue
                default: throw invalid("state entry '\(bufferName)' of parameter \(number) is \(entry.kindDescription)")
                }
            }
        }
        var records: [String] = []
        for group in groups {
            guard let options = group.dictionary else { throw invalid("each of 'param_groups' must be a dict, got \(group.kindDescription)") }
            var members: [String] = []
            for (key, option) in options.entries {
                guard let key = key.string else { continue }
                if let json = Self.json(option) { members.append(Self.json(.string(key))! + ":" + json) }
            }
            records.append("{" + members.joined(separator: ",") + "}")
        }
        var metadata = ["param_groups": "[" + records.joined(separator: ",") + "]"]
        metadata["optimizer"] = name
        self.init(tensors: tensors, metadata: metadata)
    }

    /// The state dict in PyTorch's structure (see the extension's overview): step counts as 0-d
    /// float32 tensors, buffers as tensors of `Scalar`'s dtype, each group's options under PyTorch's
    /// names with `betas` as a tuple and `params` as a list of parameter numbers.
    ///
    /// - Throws: ``OptimizerError/invalidStateDict(optimizer:message:)`` if the state dict is not
    ///   one that ``GroupedOptimizer/stateDict()`` produces.
    public func torchValue() throws(OptimizerError) -> TorchValue {
        let name = metadata["optimizer"] ?? "optimizer"
        func invalid(_ message: String) -> OptimizerError { .invalidStateDict(optimizer: name, message: message) }
        var state: [Int: [(String, TorchValue)]] = [:]
        for (key, tensor) in tensors.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == "state", let number = Int(parts[1]) else {
                throw invalid("unexpected tensor '\(key)' (expected 'state.<parameter>.<name>')")
            }
            let entry = parts[2] == "step" ? TorchTensor(tensor, dtype: .float32) : TorchTensor(tensor)
            state[number, default: []].append((String(parts[2]), .tensor(entry)))
        }
        let groups: [[String: JSONOption]]
        do {
            groups = try JSONDecoder().decode([[String: JSONOption]].self, from: Data((metadata["param_groups"] ?? "").utf8))
        } catch {
            throw invalid("'param_groups' is not a JSON list of groups: \(error)")
        }
        let stateValue = TorchDictionary(state.sorted { $0.key < $1.key }.map { number, entries in
            (key: TorchValue.int(number), value: TorchValue.dict(TorchDictionary(entries)))
        })
        let groupValues = groups.map { group in
            TorchValue.dict(TorchDictionary(group.sorted { $0.key < $1.key }.map { key, option in
                (key, option.torchValue(asInts: key == "params"))
            }))
        }
        return .dict(TorchDictionary([("state", .dict(stateValue)), ("param_groups", .list(groupValues))]))
    }

    /// `value` as JSON the options decoders read (non-finite floats as the strings they expect),
    /// or nil for values no option has (tensors other than 0-d, dicts).
    private static func json(_ value: TorchValue) -> String? {
        switch value {
        case .none: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .float(let number):
            if number.isNaN { return "\"nan\"" }
            if number.isInfinite { return number > 0 ? "\"inf\"" : "\"-inf\"" }
            return "\(number)"
        case .string(let text):
            guard let data = try? JSONEncoder().encode(text) else { return nil }
            return String(decoding: data, as: UTF8.self)
        case .list(let items), .tuple(let items):
            let parts = items.compactMap(json)
            return parts.count == items.count ? "[" + parts.joined(separator: ",") + "]" : nil
        case .tensor(let tensor):
            return tensor.count == 1 && tensor.shape.isEmpty ? json(.float(tensor.doubles()[0])) : nil
        case .dict: return nil
        }
    }
}

/// A value of the `param_groups` JSON that ``GroupedOptimizer/stateDict()`` writes.
private enum JSONOption: Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONOption])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else {
            self = .array(try container.decode([JSONOption].self))
        }
    }

    /// The option as PyTorch holds it: numbers as floats (ints with `asInts`, for `params`),
    /// arrays as tuples (`betas`) or, with `asInts`, as a list; the strings `inf`, `-inf`, `nan` as floats.
    func torchValue(asInts: Bool) -> TorchValue {
        switch self {
        case .null: .none
        case .bool(let flag): .bool(flag)
        case .number(let number): asInts ? .int(Int(number)) : .float(number)
        case .string("inf"): .float(.infinity)
        case .string("-inf"): .float(-.infinity)
        case .string("nan"): .float(.nan)
        case .string(let text): .string(text)
        case .array(let items): asInts ? .list(items.map { $0.torchValue(asInts: true) }) : .tuple(items.map { $0.torchValue(asInts: false) })
        }
    }
}

extension GroupedOptimizer {
    /// The optimizer's state in PyTorch's structure (`optimizer.state_dict()`), to save in a `.pt`
    /// file that `torch.optim` loads (see ``OptimizerStateDict/torchValue()``).
    public func torchStateDict() -> TorchValue {
        do {
            return try stateDict().torchValue()
        } catch {
            fatalError("\(name).torchStateDict: \(error)")
        }
    }

    /// Restores a state dict saved by PyTorch (`torch.save(optimizer.state_dict(), path)`) or by
    /// ``torchStateDict()``: the same checks and effect as ``loadStateDict(_:)``.
    ///
    /// - Throws: ``OptimizerError/invalidStateDict(optimizer:message:)`` if `value` is not a state
    ///   dict of this optimizer for these parameters.
    public func loadStateDict(torch value: TorchValue) throws(OptimizerError) {
        try loadStateDict(OptimizerStateDict(torch: value, optimizer: name))
    }
}
