/// A JSON value produced by ``JSONParser``.
///
/// Objects keep their members in document order and never contain two equal keys (the parser rejects
/// duplicates). Numbers keep enough information to tell exact integers from everything else; see
/// ``JSONNumber``.
enum JSONValue: Equatable, Sendable {
    /// An object, members in document order, keys unique.
    case object([JSONMember])
    /// An array.
    case array([JSONValue])
    /// A string, escapes decoded.
    case string(String)
    /// A number.
    case number(JSONNumber)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null

    /// A short name of the value's kind for error messages, e.g. `"an array"`.
    var kindDescription: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    /// Compact JSON-like text for error messages: scalars as written (cut after 40 characters, so a
    /// hostile megabyte-long literal stays readable), containers by kind.
    var briefDescription: String {
        switch self {
        case .string(let text): Self.abbreviated(text).debugDescription
        case .number(let number): Self.abbreviated(number.literal)
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        case .object, .array: kindDescription
        }
    }

    private static func abbreviated(_ text: String) -> String {
        let limit = 40
        return text.utf8.count <= limit ? text : text.prefix(limit) + "…"
    }
}

/// One `"key": value` member of a JSON object.
struct JSONMember: Equatable, Sendable {
    /// The member's key, escapes decoded.
    var key: String
    /// The member's value.
    var value: JSONValue
}

/// A JSON number, classified exactly from its literal without a detour through `Double`.
enum JSONNumber: Equatable, Sendable {
    /// A literal without fraction or exponent whose value fits in `Int` (`-0` reads as `0`).
    case integer(Int)
    /// A literal without fraction or exponent whose value does not fit in `Int`; the literal text.
    case largeInteger(String)
    /// A literal with a fraction or an exponent, such as `2.5`, `1e300` or even `16.0`; the literal text.
    case fractional(String)

    /// The number as written (for ``integer``, its canonical decimal form).
    var literal: String {
        switch self {
        case .integer(let value): String(value)
        case .largeInteger(let text), .fractional(let text): text
        }
    }
}

/// Why ``JSONParser`` rejected its input.
enum JSONParseError: Error, Equatable, Sendable {
    /// The text is not JSON: `message` says what was wrong at byte `offset`.
    case syntax(offset: Int, message: String)
    /// An object contains `key` twice (or two canonically equivalent spellings of it); `offset` is that
    /// of the second occurrence.
    case duplicateKey(String, offset: Int)
}

/// A strict RFC 8259 JSON parser over UTF-8 bytes, written for untrusted input.
///
/// - Nesting is limited to ``maximumDepth`` levels, so hostile input cannot exhaust the stack.
/// - Duplicate object keys are an error. Keys are compared as Swift strings, so two canonically
///   equivalent spellings (precomposed and decomposed "é") count as duplicates.
/// - Strings must be valid UTF-8 without raw control characters; `\u` escapes must not leave a
///   surrogate unpaired.
/// - Integers are checked exactly; see ``JSONNumber``.
/// - Whitespace (space, tab, CR, LF) may surround the value; anything else after it is an error.
struct JSONParser {
    /// The deepest nesting of arrays and objects accepted.
    static let maximumDepth = 64

    private let bytes: [UInt8]
    private var position = 0

    /// Parses `bytes` as one complete JSON text.
    static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else {
            throw parser.syntaxError("unexpected \(parser.describeCurrent()) after the JSON value")
        }
        return value
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    // MARK: Values

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard let byte = peek() else { throw syntaxError("unexpected end of input, expected a value") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw syntaxError("unexpected \(describeCurrent()), expected a value")
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        try checkDepth(depth)
        position += 1  // "{"
        var members: [JSONMember] = []
        var seen: Set<String> = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else {
                throw syntaxError("unexpected \(describeCurrent()), expected a string key")
            }
            let keyOffset = position
            let key = try parseString()
            guard seen.insert(key).inserted else { throw .duplicateKey(key, offset: keyOffset) }
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else {
                throw syntaxError("unexpected \(describeCurrent()), expected ':'")
            }
            position += 1
            skipWhitespace()
            members.append(JSONMember(key: key, value: try parseValue(depth: depth)))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return .object(members)
            default: throw syntaxError("unexpected \(describeCurrent()), expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        try checkDepth(depth)
        position += 1  // "["
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return .array(elements)
            default: throw syntaxError("unexpected \(describeCurrent()), expected ',' or ']'")
            }
        }
    }

    private func checkDepth(_ depth: Int) throws(JSONParseError) {
        guard depth <= Self.maximumDepth else {
            throw syntaxError("arrays and objects nested deeper than \(Self.maximumDepth) levels")
        }
    }

    private mutating func expectLiteral(_ literal: String) throws(JSONParseError) {
        let start = position
        for expected in literal.utf8 {
            guard peek() == expected else {
                position = start
                throw syntaxError("unexpected \(describeCurrent()), expected a value")
            }
            position += 1
        }
    }

    // MARK: Strings

    /// Parses a string starting at its opening quote; leaves `position` after the closing quote.
    private mutating func parseString() throws(JSONParseError) -> String {
        let start = position
        position += 1  // opening quote
        var utf8: [UInt8] = []
        while true {
            guard let byte = peek() else {
                position = start
                throw syntaxError("unterminated string")
            }
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    position = start
                    throw syntaxError("string is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                try parseEscape(into: &utf8)
            case 0..<0x20:
                throw syntaxError("raw control character 0x\(hex(byte)) in a string (must be escaped)")
            default:
                utf8.append(byte)
                position += 1
            }
        }
    }

    /// Parses one escape sequence starting at its backslash and appends its UTF-8 encoding.
    private mutating func parseEscape(into utf8: inout [UInt8]) throws(JSONParseError) {
        let start = position
        position += 1  // backslash
        guard let letter = peek() else {
            position = start
            throw syntaxError("unterminated escape sequence")
        }
        position += 1
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(letter)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try parseHexQuad(escapeStart: start)
            let scalarValue: UInt32
            switch unit {
            case 0xD800...0xDBFF:
                let lowStart = position
                guard peek() == UInt8(ascii: "\\"), peek(at: position + 1) == UInt8(ascii: "u") else {
                    position = start
                    throw syntaxError("\\u escape leaves a high surrogate unpaired")
                }
                position += 2
                let low = try parseHexQuad(escapeStart: lowStart)
                guard (0xDC00...0xDFFF).contains(low) else {
                    position = start
                    throw syntaxError("\\u escape leaves a high surrogate unpaired")
                }
                scalarValue = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            case 0xDC00...0xDFFF:
                position = start
                throw syntaxError("\\u escape leaves a low surrogate unpaired")
            default:
                scalarValue = unit
            }
            // Surrogates were handled above, so this guard never fails; it avoids a force-unwrap.
            guard let scalar = Unicode.Scalar(scalarValue) else {
                position = start
                throw syntaxError("\\u escape is not a Unicode scalar")
            }
            utf8.append(contentsOf: scalar.utf8)
        default:
            position = start
            throw syntaxError("invalid escape: '\\' followed by \(describe(letter))")
        }
    }

    /// Parses the four hex digits of a `\u` escape (`position` is at the first digit).
    private mutating func parseHexQuad(escapeStart: Int) throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            let digit: UInt32
            switch peek() {
            case .some(let byte) where (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte):
                digit = UInt32(byte - UInt8(ascii: "0"))
            case .some(let byte) where (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte):
                digit = UInt32(byte - UInt8(ascii: "a")) + 10
            case .some(let byte) where (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte):
                digit = UInt32(byte - UInt8(ascii: "A")) + 10
            default:
                position = escapeStart
                throw syntaxError("\\u escape needs four hex digits")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    // MARK: Numbers

    /// Parses `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = position
        let negative = peek() == UInt8(ascii: "-")
        if negative { position += 1 }
        guard let first = peek(), isDigit(first) else {
            throw syntaxError("expected a digit after '-'")
        }
        // Accumulate towards the sign so that Int.min is representable.
        var value = 0
        var overflowed = false
        if first == UInt8(ascii: "0") {
            position += 1
            if let next = peek(), isDigit(next) {
                throw syntaxError("number has a leading zero")
            }
        } else {
            while let byte = peek(), isDigit(byte) {
                let digit = Int(byte - UInt8(ascii: "0"))
                let (shifted, multiplyOverflow) = value.multipliedReportingOverflow(by: 10)
                let (next, addOverflow) = negative
                    ? shifted.subtractingReportingOverflow(digit)
                    : shifted.addingReportingOverflow(digit)
                overflowed = overflowed || multiplyOverflow || addOverflow
                value = next
                position += 1
            }
        }
        var fractional = false
        if peek() == UInt8(ascii: ".") {
            fractional = true
            position += 1
            guard skipDigits() else { throw syntaxError("expected a digit after '.'") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            fractional = true
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard skipDigits() else { throw syntaxError("expected a digit in the exponent") }
        }
        let literal = String(decoding: bytes[start..<position], as: UTF8.self)
        if fractional { return .fractional(literal) }
        return overflowed ? .largeInteger(literal) : .integer(value)
    }

    /// Skips a run of digits; returns whether there was at least one.
    private mutating func skipDigits() -> Bool {
        let start = position
        while let byte = peek(), isDigit(byte) { position += 1 }
        return position > start
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    // MARK: Low level

    private func peek() -> UInt8? {
        peek(at: position)
    }

    private func peek(at index: Int) -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = peek(),
              byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n")
                || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\t") {
            position += 1
        }
    }

    private func syntaxError(_ message: String) -> JSONParseError {
        .syntax(offset: position, message: message)
    }

    /// Describes the byte at `position` for an error message, or "end of input".
    private func describeCurrent() -> String {
        guard let byte = peek() else { return "end of input" }
        return describe(byte)
    }

    /// `'x'` for a printable ASCII byte, `byte 0xNN` otherwise.
    private func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(UnicodeScalar(byte))'" : "byte 0x" + hex(byte)
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return digits.count == 1 ? "0" + digits : digits
    }
}
