/// A JSON value for the `--json` summary line, with keys kept in the order they were added.
enum JSONValue: Equatable {
    case number(Double)
    case integer(Int)
    case string(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.serialized == rhs.serialized }

    /// Compact JSON text. Non-finite numbers become `null` (JSON has no NaN).
    var serialized: String {
        switch self {
        case .number(let value): value.isFinite ? "\(value)" : "null"
        case .integer(let value): "\(value)"
        case .string(let value): JSONValue.quote(value)
        case .bool(let value): value ? "true" : "false"
        case .null: "null"
        case .array(let items): "[" + items.map(\.serialized).joined(separator: ", ") + "]"
        case .object(let pairs): "{" + pairs.map { "\(JSONValue.quote($0.0)): \($0.1.serialized)" }.joined(separator: ", ") + "}"
        }
    }

    /// `text` as a JSON string literal.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
