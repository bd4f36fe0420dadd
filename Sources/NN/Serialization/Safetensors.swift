import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// The safetensors format (https://github.com/huggingface/safetensors), on raw bytes:
//
//     [8 bytes]  N, little-endian UInt64: the header length
//     [N bytes]  UTF-8 JSON object, optionally padded with trailing spaces:
//                {"__metadata__": {"key": "value", ...},
//                 "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...}
//     [rest]     the data section: each tensor's little-endian elements at [begin, end)

// MARK: - Element types

/// The element types this implementation reads and writes.
///
/// Files may contain other safetensors dtypes (`F16`, `BF16`, `I64`...); reading them fails with
/// ``SafetensorsError/unsupportedDType(tensor:dtype:)``.
public enum SafetensorsDType: String, CaseIterable, Sendable {
    /// IEEE 754 binary32, header name `"F32"`.
    case f32 = "F32"
    /// IEEE 754 binary64, header name `"F64"`.
    case f64 = "F64"

    /// Bytes per element: 4 for ``f32``, 8 for ``f64``.
    public var byteSize: Int {
        switch self {
        case .f32: 4
        case .f64: 8
        }
    }

    /// The other dtype names defined by the safetensors format, recognised so that reading them gives
    /// ``SafetensorsError/unsupportedDType(tensor:dtype:)`` rather than ``SafetensorsError/unknownDType(tensor:dtype:)``.
    static let otherFormatNames: Set<String> = [
        "BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2",
        "I16", "U16", "F16", "BF16", "I32", "U32", "C64", "I64", "U64",
    ]
}

// MARK: - Entries

/// One tensor of a safetensors archive: element type, shape and raw little-endian element bytes.
///
/// The stored properties are plain values; the archive checks that they agree
/// (`bytes.count == dtype.byteSize × product(shape)`, no negative dimension) when it serializes.
/// A zero-dimensional shape `[]` holds one element (a scalar).
public struct SafetensorsEntry: Equatable, Sendable {
    /// The element type of ``bytes``.
    public var dtype: SafetensorsDType
    /// The dimensions, outermost first (row-major / C order).
    public var shape: [Int]
    /// The elements, little-endian, in row-major order.
    public var bytes: [UInt8]

    /// Creates an entry from raw little-endian bytes, unchecked (the archive validates on writing).
    public init(dtype: SafetensorsDType, shape: [Int], bytes: [UInt8]) {
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// Creates an ``SafetensorsDType/f32`` entry holding `values` bit-exactly (NaN payloads included).
    ///
    /// - Precondition: `values.count` equals the product of `shape` (1 for `[]`).
    public init(_ values: [Float], shape: [Int]) {
        Self.checkCount(values.count, shape: shape)
        self.init(dtype: .f32, shape: shape, bytes: Self.encode(values) { $0.bitPattern.littleEndian })
    }

    /// Creates an ``SafetensorsDType/f64`` entry holding `values` bit-exactly (NaN payloads included).
    ///
    /// - Precondition: `values.count` equals the product of `shape` (1 for `[]`).
    public init(_ values: [Double], shape: [Int]) {
        Self.checkCount(values.count, shape: shape)
        self.init(dtype: .f64, shape: shape, bytes: Self.encode(values) { $0.bitPattern.littleEndian })
    }

    /// The elements as `Float`: bit-exact for ``SafetensorsDType/f32``, rounded to nearest for
    /// ``SafetensorsDType/f64``.
    ///
    /// Trailing bytes that do not fill a whole element are ignored.
    public func floats() -> [Float] {
        switch dtype {
        case .f32: decode(UInt32.self) { Float(bitPattern: $0) }
        case .f64: decode(UInt64.self) { Float(Double(bitPattern: $0)) }
        }
    }

    /// The elements as `Double`: bit-exact for ``SafetensorsDType/f64``, exact widening for
    /// ``SafetensorsDType/f32``.
    ///
    /// Trailing bytes that do not fill a whole element are ignored.
    public func doubles() -> [Double] {
        switch dtype {
        case .f32: decode(UInt32.self) { Double(Float(bitPattern: $0)) }
        case .f64: decode(UInt64.self) { Double(bitPattern: $0) }
        }
    }

    /// The elements converted to `T` from whichever dtype is stored, rounding to nearest.
    ///
    /// `Float` and `Double` results match ``floats()`` and ``doubles()``; other types go through the
    /// generic `BinaryFloatingPoint` conversion, which keeps NaN-ness but not NaN payloads.
    public func values<T: BinaryFloatingPoint>(as type: T.Type) -> [T] {
        if T.self == Float.self, let result = floats() as? [T] { return result }
        if T.self == Double.self, let result = doubles() as? [T] { return result }
        switch dtype {
        case .f32: return decode(UInt32.self) { T(Float(bitPattern: $0)) }
        case .f64: return decode(UInt64.self) { T(Double(bitPattern: $0)) }
        }
    }

    /// Decodes every whole little-endian `Word` of ``bytes`` through `convert`.
    private func decode<Word: FixedWidthInteger, Element>(
        _ word: Word.Type, _ convert: (Word) -> Element
    ) -> [Element] {
        let size = MemoryLayout<Word>.size
        return bytes.withUnsafeBytes { raw in
            (0..<raw.count / size).map { index in
                convert(Word(littleEndian: raw.loadUnaligned(fromByteOffset: index * size, as: Word.self)))
            }
        }
    }

    /// Encodes `values` as consecutive little-endian words produced by `word`.
    private static func encode<Value, Word: FixedWidthInteger>(
        _ values: [Value], _ word: (Value) -> Word
    ) -> [UInt8] {
        let size = MemoryLayout<Word>.size
        return [UInt8](unsafeUninitializedCapacity: values.count * size) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            for (index, value) in values.enumerated() {
                raw.storeBytes(of: word(value), toByteOffset: index * size, as: Word.self)
            }
            initialized = values.count * size
        }
    }

    private static func checkCount(_ count: Int, shape: [Int]) {
        let product = shape.allSatisfy { $0 >= 0 } ? checkedProduct(shape) : nil
        // A plain fatalError, not the Tensor module's check: this file builds alone for the fuzzer.
        if product != count { fatalError("SafetensorsEntry: \(count) values do not fill shape \(shape)") }
    }
}

/// The product of `factors` (1 when empty, 0 when any factor is 0), or nil if it overflows `Int`.
private func checkedProduct(_ factors: [Int]) -> Int? {
    if factors.contains(0) { return 0 }
    var product = 1
    for factor in factors {
        let (next, overflow) = product.multipliedReportingOverflow(by: factor)
        if overflow { return nil }
        product = next
    }
    return product
}

// MARK: - Archive

/// The contents of a safetensors file: named tensors plus an optional string-to-string metadata map.
///
/// Reading (``init(bytes:)``, ``init(contentsOf:)``) validates the whole file; whatever the input, it
/// never traps, and it allocates memory proportional to the input's actual size (never to sizes the
/// file claims):
///
/// - The header length must fit in the file and be at most ``maximumHeaderLength`` bytes; the header
///   must be UTF-8 JSON (trailing spaces allowed, nesting at most 64 deep) whose top level is an
///   object. No object may repeat a key; keys compare as Swift strings, so two canonically equivalent
///   spellings (precomposed and decomposed "é") are duplicates too.
/// - `"__metadata__"`, if present, must map to an object of strings (`null` is rejected).
/// - Every other key names a tensor and maps to an object with `"dtype"` (`"F32"` or `"F64"`),
///   `"shape"` (non-negative integers, written without fraction or exponent) and `"data_offsets"` (two
///   non-negative integers `begin <= end <= data section size`) whose byte count equals
///   `dtype size × product(shape)`. Other members of a tensor object are ignored, as the reference
///   implementation does.
/// - Like the reference implementation, the tensors must tile the data section exactly: sorted by
///   offsets, each begins where the previous ends (no overlaps, no gaps) and the last ends at the end of
///   the file. A zero-sized tensor placed strictly inside another counts as overlapping.
///
/// Writing (``serialized()``, ``write(to:)``) follows the reference implementation's layout: tensors
/// are sorted by decreasing element size, then by name (byte-wise UTF-8), so every tensor stays
/// aligned to its element size; the header is compact JSON with `"__metadata__"` first (omitted when
/// empty), then the tensors in data order, padded with spaces to a multiple of 8 bytes.
public struct SafetensorsArchive: Equatable, Sendable {
    /// The reserved header key holding ``metadata``; no tensor may have this name.
    public static let metadataKey = "__metadata__"
    /// The largest header accepted when reading, and produced when writing: 100 MB, as in the
    /// reference implementation.
    public static let maximumHeaderLength = 100_000_000

    /// The tensors by name.
    public var tensors: [String: SafetensorsEntry]
    /// Free-form string metadata, stored under `"__metadata__"`.
    public var metadata: [String: String]

    /// Creates an archive from tensors and metadata.
    public init(tensors: [String: SafetensorsEntry] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Reads and validates the safetensors file at `url`.
    ///
    /// - Throws: ``SafetensorsError/fileNotFound(path:)`` or ``SafetensorsError/unreadableFile(path:reason:)``
    ///   if the file cannot be read, otherwise any error of ``init(bytes:)``.
    public init(contentsOf url: URL) throws(SafetensorsError) {
        try self.init(bytes: try Self.readFile(url))
    }

    /// Parses and validates a complete safetensors file held in memory.
    ///
    /// - Throws: The ``SafetensorsError`` describing the first problem found; see the type's overview
    ///   for the rules.
    public init(bytes: [UInt8]) throws(SafetensorsError) {
        let (header, dataStart) = try Self.parseHeader(bytes)
        let dataSize = bytes.count - dataStart
        var metadata: [String: String] = [:]
        var located: [LocatedEntry] = []
        for member in header {
            if member.key == Self.metadataKey {
                metadata = try Self.parseMetadata(member.value)
            } else {
                located.append(try LocatedEntry(name: member.key, value: member.value, dataSize: dataSize))
            }
        }
        try Self.checkTiling(located, dataSize: dataSize)
        var tensors: [String: SafetensorsEntry] = [:]
        for entry in located {
            let data = Array(bytes[(dataStart + entry.begin)..<(dataStart + entry.end)])
            tensors[entry.name] = SafetensorsEntry(dtype: entry.dtype, shape: entry.shape, bytes: data)
        }
        self.init(tensors: tensors, metadata: metadata)
    }

    /// Checks that the archive can be serialized: no tensor is named ``metadataKey``, every shape has
    /// non-negative dimensions whose byte size fits in `Int`, every entry's byte count matches its dtype
    /// and shape, and the header fits in ``maximumHeaderLength``.
    ///
    /// - Throws: ``SafetensorsError/reservedTensorName``, ``SafetensorsError/invalidDimension(tensor:index:value:)``,
    ///   ``SafetensorsError/shapeTooLarge(tensor:shape:)``, ``SafetensorsError/byteCountMismatch(tensor:expected:actual:)``
    ///   or ``SafetensorsError/headerTooLarge(length:limit:)``.
    public func validate() throws(SafetensorsError) {
        _ = try layout()
    }

    /// The complete file contents (see the type's overview for the layout).
    ///
    /// - Precondition: The archive is valid (``validate()`` does not throw). Use ``write(to:)`` or call
    ///   ``validate()`` first to get an error instead of a trap.
    public func serialized() -> [UInt8] {
        do {
            return try layout().bytes()
        } catch {
            fatalError("SafetensorsArchive.serialized(): \(error)")
        }
    }

    /// Validates the archive and atomically writes it to `url` (see ``AtomicFile``): on failure the
    /// previous file, if any, is left intact.
    ///
    /// - Throws: Any error of ``validate()``, or ``SafetensorsError/writeFailed(_:)``.
    public func write(to url: URL) throws(SafetensorsError) {
        let bytes = try layout().bytes()
        do throws(AtomicFileError) {
            try AtomicFile.write(bytes, to: url)
        } catch {
            throw .writeFailed(error)
        }
    }
}

// MARK: - Reading

extension SafetensorsArchive {
    /// A tensor's header entry, validated on its own (the tiling is checked afterwards).
    private struct LocatedEntry {
        var name: String
        var dtype: SafetensorsDType
        var shape: [Int]
        var begin: Int
        var end: Int

        /// Validates the header entry `value` of tensor `name` against a data section of `dataSize` bytes.
        init(name: String, value: JSONValue, dataSize: Int) throws(SafetensorsError) {
            guard case .object(let fields) = value else {
                throw .entryNotObject(tensor: name, found: value.kindDescription)
            }
            func field(_ key: String) throws(SafetensorsError) -> JSONValue {
                guard let member = fields.first(where: { $0.key == key }) else {
                    throw .missingField(tensor: name, field: key)
                }
                return member.value
            }

            let dtypeValue = try field("dtype")
            guard case .string(let dtypeName) = dtypeValue else {
                throw .invalidFieldType(tensor: name, field: "dtype", found: dtypeValue.kindDescription)
            }
            guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
                throw SafetensorsDType.otherFormatNames.contains(dtypeName)
                    ? .unsupportedDType(tensor: name, dtype: dtypeName)
                    : .unknownDType(tensor: name, dtype: dtypeName)
            }

            let shapeValue = try field("shape")
            guard case .array(let dimensions) = shapeValue else {
                throw .invalidFieldType(tensor: name, field: "shape", found: shapeValue.kindDescription)
            }
            var shape: [Int] = []
            for (index, dimension) in dimensions.enumerated() {
                guard case .number(.integer(let size)) = dimension, size >= 0 else {
                    throw .invalidDimension(tensor: name, index: index, value: dimension.briefDescription)
                }
                shape.append(size)
            }
            let byteCount = try SafetensorsArchive.byteCount(of: name, dtype: dtype, shape: shape)

            let offsetsValue = try field("data_offsets")
            guard case .array(let offsets) = offsetsValue else {
                throw .invalidFieldType(tensor: name, field: "data_offsets", found: offsetsValue.kindDescription)
            }
            guard offsets.count == 2,
                  case .number(.integer(let begin)) = offsets[0], begin >= 0,
                  case .number(.integer(let end)) = offsets[1], end >= 0
            else {
                throw .invalidDataOffsets(tensor: name, found: "[" + offsets.map(\.briefDescription).joined(separator: ", ") + "]")
            }
            guard begin <= end else { throw .offsetsReversed(tensor: name, begin: begin, end: end) }
            guard end <= dataSize else { throw .offsetsBeyondData(tensor: name, end: end, dataSize: dataSize) }
            guard end - begin == byteCount else {
                throw .byteCountMismatch(tensor: name, expected: byteCount, actual: end - begin)
            }
            self.name = name
            self.dtype = dtype
            self.shape = shape
            self.begin = begin
            self.end = end
        }
    }

    /// Reads the length prefix and parses the header; returns its members and where the data starts.
    private static func parseHeader(_ bytes: [UInt8]) throws(SafetensorsError) -> (members: [JSONMember], dataStart: Int) {
        guard bytes.count >= 8 else { throw .fileTooSmall(size: bytes.count) }
        let declared = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard declared <= UInt64(bytes.count - 8) else {
            throw .headerLengthExceedsFile(length: declared, fileSize: bytes.count)
        }
        let length = Int(declared)  // Exact: bounded by the file size just above.
        guard length <= maximumHeaderLength else { throw .headerTooLarge(length: length, limit: maximumHeaderLength) }
        let header = Array(bytes[8..<(8 + length)])
        if let offset = firstInvalidUTF8Offset(header) { throw .headerNotUTF8(offset: offset) }
        let value: JSONValue
        do throws(JSONParseError) {
            value = try JSONParser.parse(header)
        } catch {
            switch error {
            case .syntax(let offset, let message): throw .malformedHeaderJSON(offset: offset, reason: message)
            case .duplicateKey(let key, _): throw .duplicateKey(key)
            }
        }
        guard case .object(let members) = value else { throw .headerNotObject(found: value.kindDescription) }
        return (members, 8 + length)
    }

    /// The offset of the first byte of `bytes` that is not part of a valid UTF-8 sequence, or nil.
    private static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .error: return offset
            case .emptyInput: return nil
            }
        }
    }

    /// Validates the `"__metadata__"` value as a string-to-string object.
    private static func parseMetadata(_ value: JSONValue) throws(SafetensorsError) -> [String: String] {
        guard case .object(let members) = value else { throw .metadataNotObject(found: value.kindDescription) }
        var metadata: [String: String] = [:]
        for member in members {
            guard case .string(let text) = member.value else {
                throw .metadataValueNotString(key: member.key, found: member.value.kindDescription)
            }
            metadata[member.key] = text
        }
        return metadata
    }

    /// Checks that the tensors cover the data section exactly once, in offset order.
    private static func checkTiling(_ entries: [LocatedEntry], dataSize: Int) throws(SafetensorsError) {
        let ordered = entries.sorted {
            ($0.begin, $0.end) < ($1.begin, $1.end)
                || (($0.begin, $0.end) == ($1.begin, $1.end) && $0.name.utf8.lexicographicallyPrecedes($1.name.utf8))
        }
        var cursor = 0
        var previous: String?
        for entry in ordered {
            if entry.begin < cursor, let previous {
                throw .overlappingTensors(first: previous, second: entry.name)
            }
            if entry.begin > cursor { throw .unusedDataBytes(begin: cursor, end: entry.begin) }
            cursor = entry.end
            previous = entry.name
        }
        if cursor < dataSize { throw .unusedDataBytes(begin: cursor, end: dataSize) }
    }

    /// Reads a whole regular file (``RegularFile``), so that every failure maps to a precise error.
    private static func readFile(_ url: URL) throws(SafetensorsError) -> [UInt8] {
        guard url.isFileURL else { throw .unreadableFile(path: url.absoluteString, reason: "not a file URL") }
        do {
            return try RegularFile.read(url.path)
        } catch .notFound(let path) {
            throw .fileNotFound(path: path)
        } catch {
            throw .unreadableFile(path: error.path, reason: error.reason)
        }
    }
}

// MARK: - Writing

extension SafetensorsArchive {
    /// A validated archive with its tensors in file order and the padded header.
    private struct Layout {
        var header: [UInt8]
        var entries: [SafetensorsEntry]
        var dataSize: Int

        /// Assembles the file: length prefix, header, data.
        func bytes() -> [UInt8] {
            var result: [UInt8] = []
            result.reserveCapacity(8 + header.count + dataSize)
            var length = UInt64(header.count).littleEndian
            withUnsafeBytes(of: &length) { result.append(contentsOf: $0) }
            result.append(contentsOf: header)
            for entry in entries { result.append(contentsOf: entry.bytes) }
            return result
        }
    }

    /// Validates the archive and computes the file layout.
    private func layout() throws(SafetensorsError) -> Layout {
        let ordered = tensors.sorted { lhs, rhs in
            lhs.value.dtype.byteSize != rhs.value.dtype.byteSize
                ? lhs.value.dtype.byteSize > rhs.value.dtype.byteSize
                : lhs.key.utf8.lexicographicallyPrecedes(rhs.key.utf8)
        }
        var json = "{"
        var separator = ""
        if !metadata.isEmpty {
            json += Self.jsonString(Self.metadataKey) + ":{"
            let pairs = metadata.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            json += pairs.map { Self.jsonString($0.key) + ":" + Self.jsonString($0.value) }.joined(separator: ",")
            json += "}"
            separator = ","
        }
        var offset = 0
        for (name, entry) in ordered {
            guard name != Self.metadataKey else { throw .reservedTensorName }
            for (index, size) in entry.shape.enumerated() where size < 0 {
                throw .invalidDimension(tensor: name, index: index, value: String(size))
            }
            let byteCount = try Self.byteCount(of: name, dtype: entry.dtype, shape: entry.shape)
            guard entry.bytes.count == byteCount else {
                throw .byteCountMismatch(tensor: name, expected: byteCount, actual: entry.bytes.count)
            }
            // Overflow would take more than Int.max bytes of tensors (shared arrays); it traps.
            let end = offset + byteCount
            json += separator + Self.jsonString(name) + ":{\"dtype\":\"" + entry.dtype.rawValue + "\",\"shape\":["
            json += entry.shape.map(String.init).joined(separator: ",")
            json += "],\"data_offsets\":[\(offset),\(end)]}"
            separator = ","
            offset = end
        }
        json += "}"
        var header = Array(json.utf8)
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))
        guard header.count <= Self.maximumHeaderLength else {
            throw .headerTooLarge(length: header.count, limit: Self.maximumHeaderLength)
        }
        return Layout(header: header, entries: ordered.map(\.value), dataSize: offset)
    }

    /// `s` as a JSON string literal: quotes, backslashes and control characters escaped, everything
    /// else (including non-ASCII) as raw UTF-8, like serde_json.
    private static func jsonString(_ s: String) -> String {
        var result = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// `dtype.byteSize × product(shape)`, checked for overflow (dimensions must be non-negative).
    fileprivate static func byteCount(of name: String, dtype: SafetensorsDType, shape: [Int]) throws(SafetensorsError) -> Int {
        guard let elements = checkedProduct(shape) else { throw .shapeTooLarge(tensor: name, shape: shape) }
        let (bytes, overflow) = elements.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow else { throw .shapeTooLarge(tensor: name, shape: shape) }
        return bytes
    }
}

// MARK: - Errors

/// Everything that can go wrong reading or writing a safetensors file, one case per problem.
///
/// ``description`` is a single human-readable line starting with `safetensors:`; tensor and key names
/// appear quoted with Swift escapes so that hostile names cannot break the line.
public enum SafetensorsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No file exists at `path`.
    case fileNotFound(path: String)
    /// The file exists but cannot be read (permissions, a directory, an I/O error...).
    case unreadableFile(path: String, reason: String)
    /// The file is shorter than the 8-byte header length prefix.
    case fileTooSmall(size: Int)
    /// The header length prefix points past the end of the file.
    case headerLengthExceedsFile(length: UInt64, fileSize: Int)
    /// The header is longer than the `limit` (``SafetensorsArchive/maximumHeaderLength``).
    case headerTooLarge(length: Int, limit: Int)
    /// The header is not valid UTF-8; `offset` is that of the first bad byte within the header.
    case headerNotUTF8(offset: Int)
    /// The header is not valid JSON: `reason` at byte `offset` of the header.
    case malformedHeaderJSON(offset: Int, reason: String)
    /// A JSON object in the header has the same key twice.
    case duplicateKey(String)
    /// The header's JSON value is not an object (`found` says what it is).
    case headerNotObject(found: String)
    /// A tensor's header entry is not an object.
    case entryNotObject(tensor: String, found: String)
    /// A tensor's header entry lacks `field` (`dtype`, `shape` or `data_offsets`).
    case missingField(tensor: String, field: String)
    /// A tensor's `field` has the wrong JSON type (`dtype` must be a string, `shape` and
    /// `data_offsets` arrays).
    case invalidFieldType(tensor: String, field: String, found: String)
    /// A tensor's dtype is defined by the safetensors format but not supported here (e.g. `F16`).
    case unsupportedDType(tensor: String, dtype: String)
    /// A tensor's dtype is not a safetensors dtype at all.
    case unknownDType(tensor: String, dtype: String)
    /// Shape entry `index` of a tensor is not a non-negative integer that fits in `Int` (e.g. `-1`,
    /// `2.5`, `1e300`, `99999999999999999999`, `"3"`); `value` is the entry as written (cut after 40
    /// characters).
    case invalidDimension(tensor: String, index: Int, value: String)
    /// The product of a tensor's shape, times its element size, overflows `Int`.
    case shapeTooLarge(tensor: String, shape: [Int])
    /// A tensor's `data_offsets` is not an array of exactly two non-negative integers.
    case invalidDataOffsets(tensor: String, found: String)
    /// A tensor's `data_offsets` has `begin > end`.
    case offsetsReversed(tensor: String, begin: Int, end: Int)
    /// A tensor's data ends past the end of the data section.
    case offsetsBeyondData(tensor: String, end: Int, dataSize: Int)
    /// A tensor's byte range does not match `dtype size × product(shape)` (`expected`).
    case byteCountMismatch(tensor: String, expected: Int, actual: Int)
    /// Two tensors' byte ranges overlap (`first` begins earlier).
    case overlappingTensors(first: String, second: String)
    /// Bytes `begin..<end` of the data section belong to no tensor (a gap, or trailing bytes).
    case unusedDataBytes(begin: Int, end: Int)
    /// `"__metadata__"` is not an object.
    case metadataNotObject(found: String)
    /// A `"__metadata__"` value is not a string.
    case metadataValueNotString(key: String, found: String)
    /// Writing: a tensor is named `"__metadata__"`, which the format reserves.
    case reservedTensorName
    /// Writing: the file could not be written; the previous file, if any, is intact.
    case writeFailed(AtomicFileError)

    /// One human-readable line naming the problem.
    public var description: String {
        "safetensors: " + problem
    }

    private var problem: String {
        switch self {
        case .fileNotFound(let path):
            "no file at \(path)"
        case .unreadableFile(let path, let reason):
            "cannot read \(path): \(reason)"
        case .fileTooSmall(let size):
            "file is \(size) bytes, too small for the 8-byte header length"
        case .headerLengthExceedsFile(let length, let fileSize):
            "header length \(length) exceeds the file size \(fileSize)"
        case .headerTooLarge(let length, let limit):
            "header length \(length) exceeds the limit of \(limit) bytes"
        case .headerNotUTF8(let offset):
            "header is not valid UTF-8 (byte \(offset))"
        case .malformedHeaderJSON(let offset, let reason):
            "header is not valid JSON at byte \(offset): \(reason)"
        case .duplicateKey(let key):
            "header has the key \(key.debugDescription) twice"
        case .headerNotObject(let found):
            "header is \(found), not a JSON object"
        case .entryNotObject(let tensor, let found):
            "entry of tensor \(tensor.debugDescription) is \(found), not an object"
        case .missingField(let tensor, let field):
            "tensor \(tensor.debugDescription) has no \"\(field)\""
        case .invalidFieldType(let tensor, let field, let found):
            "\"\(field)\" of tensor \(tensor.debugDescription) is \(found), not \(field == "dtype" ? "a string" : "an array")"
        case .unsupportedDType(let tensor, let dtype):
            "tensor \(tensor.debugDescription) has dtype \(dtype.debugDescription); only F32 and F64 are supported"
        case .unknownDType(let tensor, let dtype):
            "tensor \(tensor.debugDescription) has unknown dtype \(dtype.debugDescription)"
        case .invalidDimension(let tensor, let index, let value):
            "shape entry \(index) of tensor \(tensor.debugDescription) is \(value), not a non-negative integer within Int range"
        case .shapeTooLarge(let tensor, let shape):
            "shape \(shape) of tensor \(tensor.debugDescription) has more bytes than Int can count"
        case .invalidDataOffsets(let tensor, let found):
            "data_offsets of tensor \(tensor.debugDescription) is \(found), not two non-negative integers"
        case .offsetsReversed(let tensor, let begin, let end):
            "data_offsets of tensor \(tensor.debugDescription) begin at \(begin) after their end \(end)"
        case .offsetsBeyondData(let tensor, let end, let dataSize):
            "tensor \(tensor.debugDescription) ends at \(end), past the \(dataSize)-byte data section"
        case .byteCountMismatch(let tensor, let expected, let actual):
            "tensor \(tensor.debugDescription) has \(actual) bytes but its dtype and shape need \(expected)"
        case .overlappingTensors(let first, let second):
            "tensors \(first.debugDescription) and \(second.debugDescription) overlap"
        case .unusedDataBytes(let begin, let end):
            "data bytes \(begin)..<\(end) belong to no tensor"
        case .metadataNotObject(let found):
            "__metadata__ is \(found), not an object"
        case .metadataValueNotString(let key, let found):
            "__metadata__ value of \(key.debugDescription) is \(found), not a string"
        case .reservedTensorName:
            "a tensor cannot be named \"__metadata__\""
        case .writeFailed(let error):
            "write failed: \(error)"
        }
    }
}
