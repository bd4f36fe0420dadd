import Foundation
import Testing
@testable import NN

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Helpers

/// A file made of a length prefix, `header` (as UTF-8, unpadded) and `data`.
private func file(_ header: String, data: [UInt8] = []) -> [UInt8] {
    file(headerBytes: Array(header.utf8), data: data)
}

/// A file made of a length prefix, raw `headerBytes` and `data`.
private func file(headerBytes: [UInt8], data: [UInt8] = []) -> [UInt8] {
    lengthPrefix(UInt64(headerBytes.count)) + headerBytes + data
}

private func lengthPrefix(_ length: UInt64) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) }
}

/// A header with one tensor entry `name` whose JSON object is `entry`.
private func oneTensor(_ entry: String, name: String = "t") -> String {
    "{\"\(name)\":\(entry)}"
}

/// A fresh empty directory, removed by the caller.
private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("safetensors-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

private func contents(of directory: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
}

private let floatSpecials: [Float] = [
    0, -0.0, 1, -1.5, .infinity, -.infinity, .nan, -.nan,
    Float(bitPattern: 0x7FC0_0ABC), Float(bitPattern: 0xFFA0_0001),  // quiet and signalling payloads
    .leastNonzeroMagnitude, .greatestFiniteMagnitude, .ulpOfOne, 3.14159274,
]

private let doubleSpecials: [Double] = [
    0, -0.0, 1, -1.5, .infinity, -.infinity, .nan, -.nan,
    Double(bitPattern: 0x7FF8_0000_0000_0123), Double(bitPattern: 0xFFF4_0000_0000_0001),
    .leastNonzeroMagnitude, .greatestFiniteMagnitude, .ulpOfOne, 0.1,
]

// MARK: - Round trips

@Suite("Safetensors round trips")
struct SafetensorsRoundTripTests {
    @Test func float32RoundTripIsBitExact() throws {
        let entry = SafetensorsEntry(floatSpecials, shape: [2, 7])
        let archive = SafetensorsArchive(tensors: ["w": entry])
        let read = try SafetensorsArchive(bytes: archive.serialized())
        #expect(read == archive)
        let values = try #require(read.tensors["w"]).floats()
        #expect(values.map(\.bitPattern) == floatSpecials.map(\.bitPattern))
        #expect(read.tensors["w"]?.shape == [2, 7])
        #expect(read.tensors["w"]?.dtype == .f32)
    }

    @Test func float64RoundTripIsBitExact() throws {
        let entry = SafetensorsEntry(doubleSpecials, shape: [14])
        let archive = SafetensorsArchive(tensors: ["d": entry])
        let read = try SafetensorsArchive(bytes: archive.serialized())
        let values = try #require(read.tensors["d"]).doubles()
        #expect(values.map(\.bitPattern) == doubleSpecials.map(\.bitPattern))
        #expect(read.tensors["d"]?.dtype == .f64)
    }

    @Test func bytesAreLittleEndian() {
        let entry = SafetensorsEntry([Float(1)], shape: [1])
        #expect(entry.bytes == [0x00, 0x00, 0x80, 0x3F])
        #expect(SafetensorsEntry([Double(-2)], shape: []).bytes == [0, 0, 0, 0, 0, 0, 0, 0xC0])
    }

    @Test func scalarsAndEmptyTensorsRoundTrip() throws {
        let archive = SafetensorsArchive(tensors: [
            "scalar": SafetensorsEntry([Float(42)], shape: []),
            "empty": SafetensorsEntry([Float](), shape: [0, 3]),
            "empty64": SafetensorsEntry([Double](), shape: [5, 0]),
        ])
        #expect(try SafetensorsArchive(bytes: archive.serialized()) == archive)
    }

    @Test func emptyArchiveRoundTrips() throws {
        let bytes = SafetensorsArchive().serialized()
        #expect(bytes == lengthPrefix(8) + Array("{}      ".utf8))
        #expect(try SafetensorsArchive(bytes: bytes) == SafetensorsArchive())
    }

    @Test func metadataRoundTrips() throws {
        let metadata = [
            "format": "pt", "epochs": "3", "": "empty key",
            "quote\"back\\slash": "line\nbreak\ttab\u{0}nul\u{1F}", "caf\u{E9} \u{1F642}": "\u{2713}",
        ]
        let archive = SafetensorsArchive(tensors: ["x": SafetensorsEntry([Float(1)], shape: [1])], metadata: metadata)
        #expect(try SafetensorsArchive(bytes: archive.serialized()).metadata == metadata)
    }

    @Test(arguments: [
        "", " ", "\"", "\\", "a\"b\\c", "new\nline", "\u{0}\u{1}\u{8}\u{C}\u{1F}\u{7F}", "/slash/",
        "caf\u{E9}", "cafe\u{301}", "\u{1F642}\u{1F3FD}", "\u{10FFFF}", "\u{FFFE}\u{2028}", "__metadata", "tab\t",
    ])
    func unusualKeysRoundTrip(name: String) throws {
        let archive = SafetensorsArchive(tensors: [
            name: SafetensorsEntry([Float(7)], shape: [1]),
            name + "2": SafetensorsEntry([Double(8)], shape: [1]),
        ])
        let read = try SafetensorsArchive(bytes: archive.serialized())
        #expect(read == archive)
        #expect(read.tensors[name]?.floats() == [7])
    }

    @Test func writerEscapesLikeSerdeJSON() {
        let archive = SafetensorsArchive(tensors: ["q\"\\\n\u{1}\u{E9}": SafetensorsEntry([Float](), shape: [0])])
        let header = String(decoding: archive.serialized().dropFirst(8), as: UTF8.self)
        #expect(header.hasPrefix(#"{"q\"\\\n\u0001é":{"#))
    }

    @Test func writerLayoutMatchesReferenceLibrary() {
        // Larger elements first (so every tensor stays aligned), then byte-wise name order;
        // metadata first; compact JSON padded with spaces to a multiple of 8.
        let archive = SafetensorsArchive(
            tensors: [
                "b": SafetensorsEntry([Float(1)], shape: [1]),
                "a": SafetensorsEntry([Float(2), 3], shape: [2]),
                "z": SafetensorsEntry([Double(4)], shape: [1, 1]),
            ],
            metadata: ["k2": "v", "k1": "w"]
        )
        let expectedHeader = #"{"__metadata__":{"k1":"w","k2":"v"},"#
            + #""z":{"dtype":"F64","shape":[1,1],"data_offsets":[0,8]},"#
            + #""a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]},"#
            + #""b":{"dtype":"F32","shape":[1],"data_offsets":[16,20]}}"#
        let padded = expectedHeader + String(repeating: " ", count: (8 - expectedHeader.utf8.count % 8) % 8)
        let expected = lengthPrefix(UInt64(padded.utf8.count)) + Array(padded.utf8)
            + SafetensorsEntry([Double(4)], shape: [1]).bytes
            + SafetensorsEntry([Float(2), 3, 1], shape: [3]).bytes
        #expect(archive.serialized() == expected)
        #expect((archive.serialized().count - 8 - 20) % 8 == 0)
    }

    @Test(arguments: [0, 1, 7, 8, 100])
    func headerPaddingIsAccepted(extraSpaces: Int) throws {
        let header = oneTensor(#"{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#)
            + String(repeating: " ", count: extraSpaces)
        let archive = try SafetensorsArchive(bytes: file(header, data: [0, 0, 0x80, 0x3F]))
        #expect(archive.tensors["t"]?.floats() == [1])
    }

    @Test func headerWhitespaceOfAnyJSONKindIsAccepted() throws {
        let header = "\n\t {\r\n \"t\" :\t{ \"dtype\" : \"F32\" , \"shape\" : [ ] , \"data_offsets\" : [ 0 , 4 ] } } \n"
        #expect(try SafetensorsArchive(bytes: file(header, data: [0, 0, 0, 0])).tensors["t"]?.shape == [])
    }

    @Test func unknownEntryFieldsAreIgnoredAndOffsetsMayBeInAnyOrder() throws {
        let header = #"{"b":{"data_offsets":[0,4],"shape":[1],"dtype":"F32","extra":{"x":[1,2.5,null,true]}},"#
            + #""a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        let archive = try SafetensorsArchive(bytes: file(header, data: [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40]))
        #expect(archive.tensors["b"]?.floats() == [1])
        #expect(archive.tensors["a"]?.floats() == [2])
    }

    @Test func conversionsBetweenPrecisions() throws {
        let single = SafetensorsEntry([Float(0.1), .nan, -.infinity], shape: [3])
        #expect(single.doubles()[0] == Double(Float(0.1)))
        #expect(single.doubles()[1].isNaN)
        #expect(single.values(as: Double.self)[2] == -.infinity)
        #expect(single.values(as: Float.self).map(\.bitPattern) == single.floats().map(\.bitPattern))

        let double = SafetensorsEntry([0.1, 1e300, -Double.leastNonzeroMagnitude], shape: [3])
        #expect(double.floats() == [Float(0.1), .infinity, -0.0])
        #expect(double.floats()[2].sign == .minus)
        #expect(double.values(as: Float.self) == double.floats())
        #expect(double.values(as: Double.self) == [0.1, 1e300, -Double.leastNonzeroMagnitude])
        #if os(Linux)
        #expect(double.values(as: Float16.self) == [Float16(0.1), .infinity, -0.0])
        #expect(single.values(as: Float16.self)[1].isNaN)
        #endif
    }

    @Test func decodingIgnoresATrailingPartialElement() {
        let entry = SafetensorsEntry(dtype: .f32, shape: [1], bytes: [0, 0, 0x80, 0x3F, 1, 2])
        #expect(entry.floats() == [1])
        #expect(entry.doubles() == [1])
    }

    @Test func readsTheFileItWrites() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("model.safetensors")
        let archive = SafetensorsArchive(tensors: ["w": SafetensorsEntry(floatSpecials, shape: [14])], metadata: ["a": "b"])
        try archive.write(to: url)
        #expect(try SafetensorsArchive(contentsOf: url) == archive)
        #expect(try contents(of: directory) == ["model.safetensors"])
    }
}

// MARK: - Python reference file

@Suite("Safetensors Python reference file")
struct SafetensorsGoldenTests {
    /// Written by Golden/make_safetensors_golden.py, a stdlib replica of bench/torch_train.py's writer.
    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden/reference.safetensors")

    @Test func readsTensorsWrittenByThePythonWriter() throws {
        let archive = try SafetensorsArchive(contentsOf: Self.url)
        #expect(archive.metadata == ["format": "pt", "epochs": "3", "note": "caf\u{E9} \u{2713}"])
        #expect(Set(archive.tensors.keys) == [
            "rnn.weight_ih_l0", "rnn.bias_hh_l0", "fc.weight", "scalar", "empty", "double.weight", "double.nan",
            "h\u{E9}llo \u{1F642} \"quoted\" \\ back\nslash",
        ])

        let weight = try #require(archive.tensors["rnn.weight_ih_l0"])
        #expect(weight.dtype == .f32 && weight.shape == [3, 2])
        #expect(weight.floats().map(\.bitPattern) == ([0.5, -1.25, 3, 1024, -0.0, .leastNonzeroMagnitude] as [Float]).map(\.bitPattern))
        #expect(archive.tensors["rnn.bias_hh_l0"]?.floats() == [.infinity, -.infinity])
        #expect(archive.tensors["fc.weight"]?.shape == [1, 3])
        #expect(archive.tensors["fc.weight"]?.floats().map(\.bitPattern) == [0x7FC0_0000, 0x7FC0_0ABC, 0xFFC0_0001])
        #expect(archive.tensors["scalar"]?.shape == [])
        #expect(archive.tensors["scalar"]?.floats() == [42])
        #expect(archive.tensors["empty"]?.shape == [0])
        #expect(archive.tensors["empty"]?.bytes == [])

        let double = try #require(archive.tensors["double.weight"])
        #expect(double.dtype == .f64 && double.shape == [2, 2])
        #expect(double.doubles().map(\.bitPattern) == [0.1, 1e300, -Double.leastNonzeroMagnitude, -0.0].map(\.bitPattern))
        #expect(archive.tensors["double.nan"]?.doubles().map(\.bitPattern) == [0x7FF8_0000_0000_0123])
        #expect(archive.tensors["h\u{E9}llo \u{1F642} \"quoted\" \\ back\nslash"]?.floats() == [-7.5])
    }

    @Test func rewritingThePythonFileKeepsItsContents() throws {
        let archive = try SafetensorsArchive(contentsOf: Self.url)
        #expect(try SafetensorsArchive(bytes: archive.serialized()) == archive)
    }
}

// MARK: - Corrupt files

/// A hostile or broken file and the exact error reading it must produce.
struct CorruptCase: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var error: SafetensorsError
    var testDescription: String { name }
}

private let validEntry = #"{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#
private let fourBytes: [UInt8] = [0, 0, 0, 0]

/// `{"t": {"dtype": "F32", "shape": <shape>, "data_offsets": [0, 4]}}` with four data bytes.
private func shapeCase(_ shape: String, index: Int, value: String) -> CorruptCase {
    CorruptCase(
        name: "shape \(shape)",
        bytes: file(oneTensor(#"{"dtype":"F32","shape":"# + shape + #","data_offsets":[0,4]}"#), data: fourBytes),
        error: .invalidDimension(tensor: "t", index: index, value: value)
    )
}

/// `{"t": {"dtype": "F32", "shape": [1], "data_offsets": <offsets>}}` with four data bytes.
private func offsetsCase(_ offsets: String, _ error: SafetensorsError) -> CorruptCase {
    CorruptCase(
        name: "data_offsets \(offsets)",
        bytes: file(oneTensor(#"{"dtype":"F32","shape":[1],"data_offsets":"# + offsets + "}"), data: fourBytes),
        error: error
    )
}

private func jsonCase(_ name: String, _ header: String, offset: Int, _ reason: String) -> CorruptCase {
    CorruptCase(name: name, bytes: file(header), error: .malformedHeaderJSON(offset: offset, reason: reason))
}

private let corruptCases: [CorruptCase] = [
    // Length prefix.
    CorruptCase(name: "empty file", bytes: [], error: .fileTooSmall(size: 0)),
    CorruptCase(name: "7 bytes", bytes: [2, 0, 0, 0, 0, 0, 0], error: .fileTooSmall(size: 7)),
    CorruptCase(name: "length UInt64.max", bytes: lengthPrefix(.max) + Array("{}".utf8),
                error: .headerLengthExceedsFile(length: .max, fileSize: 10)),
    CorruptCase(name: "length 2^63", bytes: lengthPrefix(1 << 63) + Array("{}".utf8),
                error: .headerLengthExceedsFile(length: 1 << 63, fileSize: 10)),
    CorruptCase(name: "length one past the end", bytes: lengthPrefix(3) + Array("{}".utf8),
                error: .headerLengthExceedsFile(length: 3, fileSize: 10)),
    CorruptCase(name: "truncated after the prefix", bytes: lengthPrefix(64), error: .headerLengthExceedsFile(length: 64, fileSize: 8)),

    // Header text.
    CorruptCase(name: "invalid UTF-8", bytes: file(headerBytes: Array(#"{"a"#.utf8) + [0xFF] + Array(#"":1}"#.utf8)),
                error: .headerNotUTF8(offset: 3)),
    CorruptCase(name: "overlong UTF-8", bytes: file(headerBytes: [0x7B, 0xC0, 0xAF, 0x7D]), error: .headerNotUTF8(offset: 1)),
    CorruptCase(name: "UTF-8 surrogate", bytes: file(headerBytes: [0x7B, 0x7D, 0xED, 0xA0, 0x80]), error: .headerNotUTF8(offset: 2)),
    CorruptCase(name: "truncated UTF-8", bytes: file(headerBytes: [0x7B, 0x7D, 0xE2, 0x9C]), error: .headerNotUTF8(offset: 2)),
    jsonCase("empty header", "", offset: 0, "unexpected end of input, expected a value"),
    jsonCase("only spaces", "        ", offset: 8, "unexpected end of input, expected a value"),
    jsonCase("unclosed object", "{", offset: 1, "unexpected end of input, expected a string key"),
    jsonCase("missing value", #"{"a":}"#, offset: 5, "unexpected '}', expected a value"),
    jsonCase("trailing comma", #"{"a":1,}"#, offset: 7, "unexpected '}', expected a string key"),
    jsonCase("trailing comma in array", #"{"a":[1,]}"#, offset: 8, "unexpected ']', expected a value"),
    jsonCase("single quotes", "{'a':1}", offset: 1, "unexpected ''', expected a string key"),
    jsonCase("unquoted key", "{a:1}", offset: 1, "unexpected 'a', expected a string key"),
    jsonCase("missing colon", #"{"a" 1}"#, offset: 5, "unexpected '1', expected ':'"),
    jsonCase("missing comma", #"{"a":1 "b":2}"#, offset: 7, "unexpected '\"', expected ',' or '}'"),
    jsonCase("garbage after the object", "{} x", offset: 3, "unexpected 'x' after the JSON value"),
    jsonCase("NUL padding", "{}\u{0}", offset: 2, "unexpected byte 0x00 after the JSON value"),
    jsonCase("two objects", "{}{}", offset: 2, "unexpected '{' after the JSON value"),
    jsonCase("unterminated string", #"{"abc"#, offset: 1, "unterminated string"),
    jsonCase("raw newline in string", "{\"a\nb\":1}", offset: 3, "raw control character 0x0A in a string (must be escaped)"),
    jsonCase("bad escape", #"{"a\x":1}"#, offset: 3, #"invalid escape: '\' followed by 'x'"#),
    jsonCase("escaped NUL byte", "{\"a\\\u{0}\":1}", offset: 3, #"invalid escape: '\' followed by byte 0x00"#),
    jsonCase("short unicode escape", #"{"\u12":1}"#, offset: 2, #"\u escape needs four hex digits"#),
    jsonCase("lone high surrogate", #"{"\ud83d":1}"#, offset: 2, #"\u escape leaves a high surrogate unpaired"#),
    jsonCase("high surrogate then letter", #"{"\ud83dx":1}"#, offset: 2, #"\u escape leaves a high surrogate unpaired"#),
    jsonCase("two high surrogates", #"{"\ud83d\ud83d":1}"#, offset: 2, #"\u escape leaves a high surrogate unpaired"#),
    jsonCase("lone low surrogate", #"{"\ude42":1}"#, offset: 2, #"\u escape leaves a low surrogate unpaired"#),
    jsonCase("leading zero", #"{"a":01}"#, offset: 6, "number has a leading zero"),
    jsonCase("plus sign", #"{"a":+1}"#, offset: 5, "unexpected '+', expected a value"),
    jsonCase("bare minus", #"{"a":-}"#, offset: 6, "expected a digit after '-'"),
    jsonCase("bare dot", #"{"a":1.}"#, offset: 7, "expected a digit after '.'"),
    jsonCase("bare exponent", #"{"a":1e}"#, offset: 7, "expected a digit in the exponent"),
    jsonCase("NaN literal", #"{"a":NaN}"#, offset: 5, "unexpected 'N', expected a value"),
    jsonCase("misspelled literal", #"{"a":tru}"#, offset: 5, "unexpected 't', expected a value"),
    jsonCase("nesting 65 deep", String(repeating: "[", count: 65) + String(repeating: "]", count: 65),
             offset: 64, "arrays and objects nested deeper than 64 levels"),
    jsonCase("nesting 100000 deep", String(repeating: "[", count: 100_000),
             offset: 64, "arrays and objects nested deeper than 64 levels"),
    CorruptCase(name: "header is an array", bytes: file("[]"), error: .headerNotObject(found: "an array")),
    CorruptCase(name: "header is a string", bytes: file(#""{}""#), error: .headerNotObject(found: "a string")),
    CorruptCase(name: "header is null", bytes: file("null"), error: .headerNotObject(found: "null")),

    // Duplicate keys.
    CorruptCase(name: "duplicate tensor", bytes: file(#"{"t":\#(validEntry),"t":\#(validEntry)}"#, data: fourBytes),
                error: .duplicateKey("t")),
    CorruptCase(name: "duplicate through escapes", bytes: file(#"{"t":\#(validEntry),"\u0074":\#(validEntry)}"#, data: fourBytes),
                error: .duplicateKey("t")),
    CorruptCase(name: "canonically equivalent keys",
                bytes: file("{\"caf\u{E9}\":\(validEntry),\"cafe\u{301}\":\(validEntry)}", data: fourBytes),
                error: .duplicateKey("cafe\u{301}")),
    CorruptCase(name: "duplicate field", bytes: file(oneTensor(#"{"dtype":"F32","dtype":"F64","shape":[1],"data_offsets":[0,4]}"#)),
                error: .duplicateKey("dtype")),
    CorruptCase(name: "duplicate metadata key", bytes: file(#"{"__metadata__":{"a":"1","a":"2"}}"#), error: .duplicateKey("a")),
    CorruptCase(name: "duplicate metadata", bytes: file(#"{"__metadata__":{},"__metadata__":{}}"#), error: .duplicateKey("__metadata__")),

    // Entries.
    CorruptCase(name: "entry is a number", bytes: file(oneTensor("1")), error: .entryNotObject(tensor: "t", found: "a number")),
    CorruptCase(name: "entry is an array", bytes: file(oneTensor("[]")), error: .entryNotObject(tensor: "t", found: "an array")),
    CorruptCase(name: "missing dtype", bytes: file(oneTensor(#"{"shape":[1],"data_offsets":[0,4]}"#), data: fourBytes),
                error: .missingField(tensor: "t", field: "dtype")),
    CorruptCase(name: "missing shape", bytes: file(oneTensor(#"{"dtype":"F32","data_offsets":[0,4]}"#), data: fourBytes),
                error: .missingField(tensor: "t", field: "shape")),
    CorruptCase(name: "missing data_offsets", bytes: file(oneTensor(#"{"dtype":"F32","shape":[1]}"#), data: fourBytes),
                error: .missingField(tensor: "t", field: "data_offsets")),
    CorruptCase(name: "misspelled field", bytes: file(oneTensor(#"{"dtype":"F32","shape":[1],"offsets":[0,4]}"#), data: fourBytes),
                error: .missingField(tensor: "t", field: "data_offsets")),
    CorruptCase(name: "dtype is a number", bytes: file(oneTensor(#"{"dtype":32,"shape":[1],"data_offsets":[0,4]}"#)),
                error: .invalidFieldType(tensor: "t", field: "dtype", found: "a number")),
    CorruptCase(name: "shape is a string", bytes: file(oneTensor(#"{"dtype":"F32","shape":"[1]","data_offsets":[0,4]}"#)),
                error: .invalidFieldType(tensor: "t", field: "shape", found: "a string")),
    CorruptCase(name: "shape is a number", bytes: file(oneTensor(#"{"dtype":"F32","shape":1,"data_offsets":[0,4]}"#)),
                error: .invalidFieldType(tensor: "t", field: "shape", found: "a number")),
    CorruptCase(name: "data_offsets is an object", bytes: file(oneTensor(#"{"dtype":"F32","shape":[1],"data_offsets":{}}"#)),
                error: .invalidFieldType(tensor: "t", field: "data_offsets", found: "an object")),

    // Dtypes.
    CorruptCase(name: "F16", bytes: file(oneTensor(#"{"dtype":"F16","shape":[2],"data_offsets":[0,4]}"#), data: fourBytes),
                error: .unsupportedDType(tensor: "t", dtype: "F16")),
    CorruptCase(name: "BF16", bytes: file(oneTensor(#"{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}"#), data: fourBytes),
                error: .unsupportedDType(tensor: "t", dtype: "BF16")),
    CorruptCase(name: "I64", bytes: file(oneTensor(#"{"dtype":"I64","shape":[],"data_offsets":[0,8]}"#), data: fourBytes + fourBytes),
                error: .unsupportedDType(tensor: "t", dtype: "I64")),
    CorruptCase(name: "lowercase f32", bytes: file(oneTensor(#"{"dtype":"f32","shape":[1],"data_offsets":[0,4]}"#), data: fourBytes),
                error: .unknownDType(tensor: "t", dtype: "f32")),
    CorruptCase(name: "made-up dtype", bytes: file(oneTensor(#"{"dtype":"F33","shape":[1],"data_offsets":[0,4]}"#), data: fourBytes),
                error: .unknownDType(tensor: "t", dtype: "F33")),

    // Shapes.
    shapeCase("[-1]", index: 0, value: "-1"),
    shapeCase("[1,2.5]", index: 1, value: "2.5"),
    shapeCase("[1e300]", index: 0, value: "1e300"),
    shapeCase("[1.0]", index: 0, value: "1.0"),
    shapeCase("[99999999999999999999]", index: 0, value: "99999999999999999999"),
    shapeCase("[-99999999999999999999]", index: 0, value: "-99999999999999999999"),
    shapeCase("[9223372036854775808]", index: 0, value: "9223372036854775808"),
    shapeCase(#"["1"]"#, index: 0, value: #""1""#),
    shapeCase("[null]", index: 0, value: "null"),
    shapeCase("[[1]]", index: 0, value: "an array"),
    shapeCase("[" + String(repeating: "9", count: 100) + "]", index: 0, value: String(repeating: "9", count: 40) + "…"),
    CorruptCase(name: "element count overflows",
                bytes: file(oneTensor(#"{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}"#), data: fourBytes),
                error: .shapeTooLarge(tensor: "t", shape: [4_294_967_296, 4_294_967_296])),
    CorruptCase(name: "byte count overflows",
                bytes: file(oneTensor(#"{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,4]}"#), data: fourBytes),
                error: .shapeTooLarge(tensor: "t", shape: [2_305_843_009_213_693_952])),
    CorruptCase(name: "Int.max elements",
                bytes: file(oneTensor(#"{"dtype":"F32","shape":[9223372036854775807],"data_offsets":[0,4]}"#), data: fourBytes),
                error: .shapeTooLarge(tensor: "t", shape: [.max])),
    CorruptCase(name: "huge shape with a zero is empty, not an overflow",
                bytes: file(oneTensor(#"{"dtype":"F32","shape":[9223372036854775807,2,0],"data_offsets":[0,4]}"#), data: fourBytes),
                error: .byteCountMismatch(tensor: "t", expected: 0, actual: 4)),

    // Offsets.
    offsetsCase("[0]", .invalidDataOffsets(tensor: "t", found: "[0]")),
    offsetsCase("[]", .invalidDataOffsets(tensor: "t", found: "[]")),
    offsetsCase("[0,4,8]", .invalidDataOffsets(tensor: "t", found: "[0, 4, 8]")),
    offsetsCase("[-4,0]", .invalidDataOffsets(tensor: "t", found: "[-4, 0]")),
    offsetsCase("[0,4.0]", .invalidDataOffsets(tensor: "t", found: "[0, 4.0]")),
    offsetsCase(#"["0",4]"#, .invalidDataOffsets(tensor: "t", found: #"["0", 4]"#)),
    offsetsCase("[0,18446744073709551620]", .invalidDataOffsets(tensor: "t", found: "[0, 18446744073709551620]")),
    offsetsCase("[8,4]", .offsetsReversed(tensor: "t", begin: 8, end: 4)),
    offsetsCase("[9223372036854775807,0]", .offsetsReversed(tensor: "t", begin: .max, end: 0)),
    offsetsCase("[0,8]", .offsetsBeyondData(tensor: "t", end: 8, dataSize: 4)),
    offsetsCase("[9223372036854775803,9223372036854775807]", .offsetsBeyondData(tensor: "t", end: .max, dataSize: 4)),
    offsetsCase("[0,0]", .byteCountMismatch(tensor: "t", expected: 4, actual: 0)),
    offsetsCase("[1,4]", .byteCountMismatch(tensor: "t", expected: 4, actual: 3)),

    // Tiling of the data section.
    CorruptCase(
        name: "overlapping tensors",
        bytes: file(#"{"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#,
                    data: fourBytes + fourBytes + fourBytes),
        error: .overlappingTensors(first: "a", second: "b")),
    CorruptCase(
        name: "identical ranges",
        bytes: file(#"{"b":\#(validEntry),"a":\#(validEntry)}"#, data: fourBytes),
        error: .overlappingTensors(first: "a", second: "b")),
    CorruptCase(
        name: "empty tensor inside another",
        bytes: file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"e":{"dtype":"F32","shape":[0],"data_offsets":[4,4]}}"#,
                    data: fourBytes + fourBytes),
        error: .overlappingTensors(first: "a", second: "e")),
    CorruptCase(name: "gap before the first tensor",
                bytes: file(oneTensor(#"{"dtype":"F32","shape":[1],"data_offsets":[4,8]}"#), data: fourBytes + fourBytes),
                error: .unusedDataBytes(begin: 0, end: 4)),
    CorruptCase(
        name: "gap between tensors",
        bytes: file(#"{"a":\#(validEntry),"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#, data: fourBytes + fourBytes + fourBytes),
        error: .unusedDataBytes(begin: 4, end: 8)),
    CorruptCase(name: "trailing bytes", bytes: file(oneTensor(validEntry), data: fourBytes + [1]), error: .unusedDataBytes(begin: 4, end: 5)),
    CorruptCase(name: "data without tensors", bytes: file("{}", data: fourBytes), error: .unusedDataBytes(begin: 0, end: 4)),

    // Metadata.
    CorruptCase(name: "metadata is a string", bytes: file(#"{"__metadata__":"x"}"#), error: .metadataNotObject(found: "a string")),
    CorruptCase(name: "metadata is null", bytes: file(#"{"__metadata__":null}"#), error: .metadataNotObject(found: "null")),
    CorruptCase(name: "metadata value is a number", bytes: file(#"{"__metadata__":{"epochs":3}}"#),
                error: .metadataValueNotString(key: "epochs", found: "a number")),
    CorruptCase(name: "metadata value is an object", bytes: file(#"{"__metadata__":{"a":{}}}"#),
                error: .metadataValueNotString(key: "a", found: "an object")),
]

@Suite("Safetensors corrupt files")
struct SafetensorsCorruptFileTests {
    @Test(arguments: corruptCases)
    func corruptFileIsRejectedWithItsError(_ corrupt: CorruptCase) {
        #expect(throws: corrupt.error) { try SafetensorsArchive(bytes: corrupt.bytes) }
        let description = corrupt.error.description
        #expect(description.hasPrefix("safetensors: "))
        #expect(!description.contains("\n"))
    }

    @Test func descriptionNamesTheProblem() {
        let error = SafetensorsError.headerLengthExceedsFile(length: .max, fileSize: 120)
        #expect(error.description == "safetensors: header length 18446744073709551615 exceeds the file size 120")
        #expect(SafetensorsError.duplicateKey("a\nb").description == #"safetensors: header has the key "a\nb" twice"#)
    }

    @Test func headerOverTheLimitIsRejectedBeforeParsing() {
        let length = SafetensorsArchive.maximumHeaderLength + 1
        let bytes = lengthPrefix(UInt64(length)) + [UInt8](repeating: 0xFF, count: length)
        #expect(throws: SafetensorsError.headerTooLarge(length: length, limit: SafetensorsArchive.maximumHeaderLength)) {
            try SafetensorsArchive(bytes: bytes)
        }
    }

    @Test func sixtyFourLevelsOfNestingAreAccepted() throws {
        // The top-level object is level 1; the ignored "extra" field nests 62 more arrays inside the entry.
        let extra = String(repeating: "[", count: 62) + String(repeating: "]", count: 62)
        let header = oneTensor(#"{"dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":"# + extra + "}")
        #expect(try SafetensorsArchive(bytes: file(header, data: fourBytes)).tensors["t"]?.shape == [1])
    }

    @Test func missingFileIsReportedAsNotFound() throws {
        let url = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/model.safetensors")
        #expect(throws: SafetensorsError.fileNotFound(path: url.path)) { try SafetensorsArchive(contentsOf: url) }
    }

    @Test func directoryIsReportedAsUnreadable() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: SafetensorsError.unreadableFile(path: directory.path, reason: "it is a directory, not a regular file")) {
            try SafetensorsArchive(contentsOf: directory)
        }
    }

    @Test func nonFileURLIsReportedAsUnreadable() throws {
        let url = try #require(URL(string: "https://example.com/model.safetensors"))
        #expect(throws: SafetensorsError.unreadableFile(path: url.absoluteString, reason: "not a file URL")) {
            try SafetensorsArchive(contentsOf: url)
        }
    }
}

// MARK: - JSON parser

@Suite("Safetensors header JSON parser")
struct SafetensorsJSONParserTests {
    @Test func decodesEscapes() throws {
        let text = #""\"\\\/\b\f\n\r\t\u0000\u00e9\u2713\ud83d\ude42\uDBFF\uDFFF""#
        #expect(try JSONParser.parse(Array(text.utf8)) == .string("\"\\/\u{8}\u{C}\n\r\t\u{0}\u{E9}\u{2713}\u{1F642}\u{10FFFF}"))
    }

    @Test(arguments: [
        ("0", JSONNumber.integer(0)),
        ("-0", .integer(0)),
        ("9223372036854775807", .integer(.max)),
        ("-9223372036854775808", .integer(.min)),
        ("9223372036854775808", .largeInteger("9223372036854775808")),
        ("-9223372036854775809", .largeInteger("-9223372036854775809")),
        ("123456789012345678901234567890", .largeInteger("123456789012345678901234567890")),
        ("16.0", .fractional("16.0")),
        ("1e2", .fractional("1e2")),
        ("-2.5E-3", .fractional("-2.5E-3")),
    ])
    func classifiesNumbersExactly(literal: String, expected: JSONNumber) throws {
        #expect(try JSONParser.parse(Array(literal.utf8)) == .number(expected))
    }

    @Test func keepsMemberOrderAndParsesAllKinds() throws {
        let text = #" {"b": [true, false, null, {}, []], "a": "x"} "#
        let expected = JSONValue.object([
            JSONMember(key: "b", value: .array([.bool(true), .bool(false), .null, .object([]), .array([])])),
            JSONMember(key: "a", value: .string("x")),
        ])
        #expect(try JSONParser.parse(Array(text.utf8)) == expected)
    }

    @Test func rejectsInvalidUTF8InsideStrings() {
        #expect(throws: JSONParseError.syntax(offset: 0, message: "string is not valid UTF-8")) {
            try JSONParser.parse([0x22, 0xC3, 0x22])
        }
    }
}

// MARK: - Writing

@Suite("Safetensors writing")
struct SafetensorsWritingTests {
    @Test func invalidArchivesAreNotWritten() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("bad.safetensors")
        let cases: [(SafetensorsArchive, SafetensorsError)] = [
            (SafetensorsArchive(tensors: ["__metadata__": SafetensorsEntry([Float(1)], shape: [1])]), .reservedTensorName),
            (SafetensorsArchive(tensors: ["t": SafetensorsEntry(dtype: .f32, shape: [2], bytes: [0, 0, 0, 0])]),
             .byteCountMismatch(tensor: "t", expected: 8, actual: 4)),
            (SafetensorsArchive(tensors: ["t": SafetensorsEntry(dtype: .f64, shape: [1, -1], bytes: [])]),
             .invalidDimension(tensor: "t", index: 1, value: "-1")),
            (SafetensorsArchive(tensors: ["t": SafetensorsEntry(dtype: .f64, shape: [1 << 62], bytes: [])]),
             .shapeTooLarge(tensor: "t", shape: [1 << 62])),
        ]
        for (archive, error) in cases {
            #expect(throws: error) { try archive.validate() }
            #expect(throws: error) { try archive.write(to: url) }
        }
        #expect(try contents(of: directory) == [])
    }

    @Test func failedWriteKeepsTheOldFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The destination is a non-empty directory: it is refused before anything is written.
        let destination = directory.appendingPathComponent("model.safetensors")
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: false)
        let old = destination.appendingPathComponent("old.txt")
        try Data("old".utf8).write(to: old)

        let archive = SafetensorsArchive(tensors: ["w": SafetensorsEntry([Float(1)], shape: [1])])
        #expect(throws: SafetensorsError.writeFailed(.notARegularFile(path: destination.path, kind: "a directory"))) {
            try archive.write(to: destination)
        }
        #expect(try contents(of: directory) == ["model.safetensors"])
        #expect(try String(contentsOf: old, encoding: .utf8) == "old")
    }

    @Test func serializedTrapsOnAnInvalidArchive() async {
        await #expect(processExitsWith: .failure) {
            let archive = SafetensorsArchive(tensors: ["t": SafetensorsEntry(dtype: .f32, shape: [2], bytes: [])])
            _ = archive.serialized()
        }
    }

    @Test func entryInitTrapsWhenValuesDoNotFillTheShape() async {
        await #expect(processExitsWith: .failure) {
            _ = SafetensorsEntry([Float(1), 2, 3], shape: [2, 2])
        }
    }
}

// MARK: - Atomic writes

@Suite("AtomicFile")
struct SafetensorsAtomicFileTests {
    @Test func createsAndReplacesFilesLeavingNoTemporaryFiles() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("losses.csv")
        try AtomicFile.write("epoch,loss\n", to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == "epoch,loss\n")
        try AtomicFile.write([UInt8]("1,0.5\n".utf8), to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == "1,0.5\n")
        try AtomicFile.write([UInt8](), to: url)
        #expect(try Data(contentsOf: url).isEmpty)
        #expect(try contents(of: directory) == ["losses.csv"])
    }

    @Test func longFileNamesGetAShorterTemporaryName() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let name = String(repeating: "\u{E9}", count: 127)  // 254 bytes: a legal name, too long to extend
        let url = directory.appendingPathComponent(name)
        try AtomicFile.write("x", to: url)
        #expect(try contents(of: directory) == [name])
    }

    @Test func writesLargeFiles() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("big.bin")
        let bytes = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try AtomicFile.write(bytes, to: url)
        #expect(try [UInt8](Data(contentsOf: url)) == bytes)
    }

    @Test func missingDirectoryFailsWithoutCreatingAnything() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("missing/plot.svg")
        let error = #expect(throws: AtomicFileError.self) { try AtomicFile.write("<svg/>", to: url) }
        #expect(error == .temporaryFileCreationFailed(directory: directory.appendingPathComponent("missing").path,
                                                      reason: "No such file or directory"))
        #expect(try contents(of: directory) == [])
    }

    @Test func destinationDirectoryIsNotReplaced() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let destination = directory.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: false)
        #expect(throws: AtomicFileError.notARegularFile(path: destination.path, kind: "a directory")) {
            try AtomicFile.write("x", to: destination)
        }
        #expect(try contents(of: directory) == ["out"])
        #expect(try contents(of: destination) == [])
    }

    @Test func fifoAndDeviceAreNotReplaced() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appendingPathComponent("pipe")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        #expect(throws: AtomicFileError.notARegularFile(path: fifo.path, kind: "a FIFO")) { try AtomicFile.write("x", to: fifo) }
        // A link to /dev/null (what `--losses /dev/null` would replace, as root) is followed and refused.
        let link = directory.appendingPathComponent("null")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "/dev/null")
        #expect(throws: AtomicFileError.notARegularFile(path: "/dev/null", kind: "a character device")) {
            try AtomicFile.write("x", to: link)
        }
        #expect(try contents(of: directory) == ["null", "pipe"])
    }

    @Test func symbolicLinksAreFollowedAndKept() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = directory.appendingPathComponent("store")
        try FileManager.default.createDirectory(at: store, withIntermediateDirectories: false)
        let target = store.appendingPathComponent("model.safetensors")
        try AtomicFile.write("old", to: target)
        let link = directory.appendingPathComponent("latest")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "store/model.safetensors")
        try AtomicFile.write("new", to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "store/model.safetensors")
        #expect(try String(contentsOf: target, encoding: .utf8) == "new")
        // A dangling link creates its target.
        let dangling = directory.appendingPathComponent("next")
        try FileManager.default.createSymbolicLink(atPath: dangling.path, withDestinationPath: "store/next.csv")
        try AtomicFile.write("a,b\n", to: dangling)
        #expect(try String(contentsOf: store.appendingPathComponent("next.csv"), encoding: .utf8) == "a,b\n")
        #expect(try contents(of: store) == ["model.safetensors", "next.csv"])
    }

    @Test func permissionsAreKept() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("secret.safetensors")
        try AtomicFile.write("old", to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        try AtomicFile.write("new", to: url)
        let mode = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func staleTemporariesOfDeadWritersAreRemoved() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A process that has exited: its id names no live writer.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let dead = child.processIdentifier
        let stale = ".ck.safetensors.tmp-\(dead)-abc", live = ".ck.safetensors.tmp-\(getpid())-def"
        for name in [stale, live, ".other.tmp-\(dead)-x"] {
            try "partial".write(to: directory.appendingPathComponent(name), atomically: false, encoding: .utf8)
        }
        try AtomicFile.write("whole", to: directory.appendingPathComponent("ck.safetensors"))
        #expect(try contents(of: directory) == [".ck.safetensors.tmp-\(getpid())-def", ".other.tmp-\(dead)-x", "ck.safetensors"])
    }

    @Test(.enabled(if: geteuid() != 0, "root ignores directory permissions"))
    func readOnlyDirectoryKeepsTheOldFile() throws {
        let directory = try temporaryDirectory()
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
            try? FileManager.default.removeItem(at: directory)
        }
        let url = directory.appendingPathComponent("model.safetensors")
        try AtomicFile.write("old", to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: directory.path)
        #expect(throws: AtomicFileError.self) { try AtomicFile.write("new", to: url) }
        #expect(try String(contentsOf: url, encoding: .utf8) == "old")
        #expect(try contents(of: directory) == ["model.safetensors"])
    }

    @Test func nonFileURLIsRejected() throws {
        let url = try #require(URL(string: "https://example.com/a.csv"))
        #expect(throws: AtomicFileError.notAFileURL("https://example.com/a.csv")) { try AtomicFile.write("x", to: url) }
    }

    @Test func descriptionsAreSingleLines() {
        let error = AtomicFileError.renameFailed(from: "/d/.a.tmp-1", to: "/d/a", reason: "Is a directory")
        #expect(error.description == "atomic write: renaming /d/.a.tmp-1 to /d/a failed: Is a directory")
        #expect(SafetensorsError.writeFailed(error).description
            == "safetensors: write failed: atomic write: renaming /d/.a.tmp-1 to /d/a failed: Is a directory")
    }
}
