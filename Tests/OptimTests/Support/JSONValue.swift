import Foundation

/// A decoded JSON value, for reading the golden file's free-form option dictionaries.
enum JSONValue: Decodable, Equatable, Sendable {
    case number(Double)
    case bool(Bool)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
    case null

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
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// The value as JSON text.
    var json: String {
        switch self {
        case let .number(value): value.isFinite ? "\(value)" : "\"\(value)\""
        case let .bool(value): "\(value)"
        case let .string(value): "\"\(value)\""
        case let .array(values): "[" + values.map(\.json).joined(separator: ",") + "]"
        case let .object(members):
            "{" + members.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value.json)" }.joined(separator: ",") + "}"
        case .null: "null"
        }
    }

    var double: Double? { if case let .number(value) = self { value } else { nil } }
    var string: String? { if case let .string(value) = self { value } else { nil } }
    var array: [JSONValue]? { if case let .array(values) = self { values } else { nil } }
}

extension Encodable {
    /// This value encoded to JSON and read back as a ``JSONValue``.
    var jsonValue: JSONValue {
        get throws { try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(self)) }
    }
}

extension Decodable {
    /// `base` with the members of `overrides` replaced, decoded as `Self`: how the tests turn
    /// the golden file's PyTorch-named option dictionaries into option structs.
    static func decoding<Base: Encodable>(_ base: Base, overriddenBy overrides: [String: JSONValue]) throws -> Self {
        guard case var .object(members) = try base.jsonValue else { throw CocoaError(.coderInvalidValue) }
        for (key, value) in overrides { members[key] = value }
        return try JSONDecoder().decode(Self.self, from: Data(JSONValue.object(members).json.utf8))
    }
}
