import Foundation
import Tensor

/// A tensor of the golden file: its shape and row-major values (integers as exact doubles).
struct GoldenTensor: Sendable {
    let shape: [Int]
    let values: [Double]

    /// Parses `[shape, values]`; values are numbers or the strings "nan", "inf", "-inf".
    init(json: Any) throws {
        guard let pair = json as? [Any], pair.count == 2, let shape = integerArray(pair[0]), let raw = pair[1] as? [Any]
        else { throw OpInfoError.malformed("tensor \(json)") }
        self.shape = shape
        values = try raw.map { item in
            if let number = item as? NSNumber { return number.doubleValue }
            if let text = item as? String, let number = Double(text) { return number }
            throw OpInfoError.malformed("value \(item)")
        }
        guard values.count == shape.reduce(1, *) else { throw OpInfoError.malformed("\(values.count) values for \(shape)") }
    }

    /// The values as a tensor of `Scalar` (inputs are exact in `Float` and `Double`).
    func tensor<Scalar: TensorFloatingPoint>(_: Scalar.Type) -> Tensor<Scalar> {
        Tensor(shape: shape, scalars: values.map { Scalar($0) })
    }

    /// The values as an integer tensor (indices, class targets, masks).
    var integers: Tensor<Int> { Tensor(shape: shape, scalars: values.map { Int($0) }) }
}

/// One case of `Golden/opinfo.json` (see `make_opinfo_golden.py` for the format).
struct OpInfoCase: Sendable {
    /// The op's name: the key of the replay table.
    let op: String
    /// The case's number in the file, for messages.
    let number: Int
    /// The options, as decoded by `JSONSerialization` (`[String: Any]` is not `Sendable`).
    nonisolated(unsafe) let options: [String: Any]
    /// Floating-point inputs, and the positions of those that require no gradient.
    let inputs: [GoldenTensor]
    let constants: Set<Int>
    /// Integer inputs.
    let integerInputs: [GoldenTensor]
    /// PyTorch's float64 outputs and input gradients (`nil`: no gradient).
    let outputs: [GoldenTensor]
    let gradients: [GoldenTensor?]?
    /// PyTorch's float32 results where they differ from the float64 ones.
    let outputs32: [GoldenTensor]?
    let gradients32: [GoldenTensor?]?

    init(json: [String: Any], number: Int) throws {
        guard let op = json["op"] as? String else { throw OpInfoError.malformed("case \(number) has no op") }
        self.op = op
        self.number = number
        options = json["a"] as? [String: Any] ?? [:]
        let tensors = { (key: String) throws -> [GoldenTensor]? in try (json[key] as? [Any])?.map(GoldenTensor.init) }
        let optionalTensors = { (key: String) throws -> [GoldenTensor?]? in
            try (json[key] as? [Any])?.map { $0 is NSNull ? nil : try GoldenTensor(json: $0) }
        }
        inputs = try tensors("x") ?? []
        constants = Set(integerArray(json["c"]) ?? [])
        integerInputs = try tensors("i") ?? []
        outputs = try tensors("o") ?? []
        gradients = try optionalTensors("d")
        outputs32 = try tensors("o32")
        gradients32 = try optionalTensors("d32")
    }

    /// Every case in the golden file, in order.
    static func load(_ url: URL) throws -> (torchVersion: String, cases: [OpInfoCase]) {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        guard let root = object as? [String: Any], let cases = root["cases"] as? [[String: Any]] else {
            throw OpInfoError.malformed("no cases in \(url.path)")
        }
        return (root["torch"] as? String ?? "?", try cases.enumerated().map { try OpInfoCase(json: $1, number: $0) })
    }

    // Typed access to the options.

    func int(_ key: String) throws -> Int {
        guard let value = optionalInt(key) else { throw OpInfoError.malformed("\(op): option \(key)") }
        return value
    }

    func optionalInt(_ key: String) -> Int? { (options[key] as? NSNumber).map { $0.intValue } }

    func double(_ key: String) throws -> Double {
        guard let value = optionalDouble(key) else { throw OpInfoError.malformed("\(op): option \(key)") }
        return value
    }

    /// A number option; non-finite ones are the strings "nan", "inf", "-inf".
    func optionalDouble(_ key: String) -> Double? {
        if let text = options[key] as? String { return Double(text) }
        return (options[key] as? NSNumber)?.doubleValue
    }

    func bool(_ key: String) throws -> Bool {
        guard let value = options[key] as? Bool else { throw OpInfoError.malformed("\(op): option \(key)") }
        return value
    }

    func ints(_ key: String) throws -> [Int] {
        guard let value = integerArray(options[key]) else { throw OpInfoError.malformed("\(op): option \(key)") }
        return value
    }

    func string(_ key: String) throws -> String {
        guard let value = options[key] as? String else { throw OpInfoError.malformed("\(op): option \(key)") }
        return value
    }
}

/// A JSON array of integers, or `nil`.
func integerArray(_ json: Any?) -> [Int]? {
    guard let items = json as? [Any] else { return nil }
    let numbers = items.compactMap { ($0 as? NSNumber)?.intValue }
    return numbers.count == items.count ? numbers : nil
}

/// A golden file that cannot be read, or a case the replay table does not know.
enum OpInfoError: Error, CustomStringConvertible {
    case malformed(String)
    case unknownOp(String)

    var description: String {
        switch self {
        case .malformed(let what): "malformed golden data: \(what)"
        case .unknownOp(let op): "no replay for op '\(op)': add it to OpInfoReplay"
        }
    }
}
