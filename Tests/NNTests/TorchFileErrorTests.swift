import Foundation
import Tensor
import Testing

@testable import NN

/// Hostile and damaged `.pt` files: each gives its own error, never a crash, a hang or a huge allocation.
@Suite struct TorchFileErrorTests {
    // MARK: - Building pickles by hand

    static func string(_ text: String) -> [UInt8] {
        let utf8 = Array(text.utf8)
        return [0x58] + (0..<4).map { UInt8(truncatingIfNeeded: utf8.count >> (8 * $0)) } + utf8
    }

    static func int(_ value: Int) -> [UInt8] {
        [0x4a] + (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    static func long(_ value: Int) -> [UInt8] {
        [0x8a, 8] + (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    static func tuple(_ items: [[UInt8]]) -> [UInt8] { [0x28] + items.flatMap { $0 } + [0x74] }

    static func global(_ module: String, _ name: String) -> [UInt8] { [0x63] + Array("\(module)\n\(name)\n".utf8) }

    /// `{"w": _rebuild_tensor_v2(storage "0" of `count` floats, offset, shape, strides, False, OrderedDict())}`.
    static func tensorPickle(count: Int, offset: Int, shape: [Int], strides: [Int], storage: String = "FloatStorage") -> [UInt8] {
        let id = tuple([string("storage"), global("torch", storage), string("0"), string("cpu"), long(count)])
        let arguments = tuple([
            id + [0x51], long(offset), tuple(shape.map(long)), tuple(strides.map(long)), [0x89],
            global("collections", "OrderedDict") + [0x29, 0x52],
        ])
        return [0x80, 2, 0x7d, 0x28] + string("w") + global("torch._utils", "_rebuild_tensor_v2") + arguments + [0x52, 0x75, 0x2e]
    }

    /// A zip of `archive/data.pkl` = `pickle` and the given `archive/data/<key>` records.
    static func file(pickle: [UInt8]?, records: [String: [UInt8]] = [:]) -> [UInt8] {
        var zip = ZipWriter()
        if let pickle { zip.add("archive/data.pkl", pickle) }
        for (key, bytes) in records.sorted(by: { $0.key < $1.key }) { zip.add("archive/data/\(key)", bytes) }
        zip.add("archive/version", Array("3\n".utf8))
        return zip.finished()
    }

    static func error(_ bytes: [UInt8]) -> TorchFileError? {
        do {
            _ = try TorchFile(bytes: bytes)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Cases

    @Test func wellFormedHandMadeFileReads() throws {
        let bytes = Self.file(pickle: Self.tensorPickle(count: 4, offset: 1, shape: [3], strides: [1]), records: ["0": [UInt8](repeating: 0, count: 16)])
        let tensor = try #require(try TorchFile(bytes: bytes).value["w"]?.tensor)
        #expect(tensor.doubles() == [0, 0, 0])
    }

    @Test func notAZip() {
        #expect(Self.error(Array("definitely not a zip file".utf8)) == .notAZip)
        #expect(Self.error([]) == .notAZip)
        // A safetensors file is not a .pt file either.
        #expect(Self.error([8, 0, 0, 0, 0, 0, 0, 0] + Array("{}      ".utf8)) == .notAZip)
    }

    @Test func missingPickle() {
        #expect(Self.error(Self.file(pickle: nil)) == .missingPickle)
    }

    @Test func missingOrShortRecord() {
        let pickle = Self.tensorPickle(count: 4, offset: 0, shape: [4], strides: [1])
        #expect(Self.error(Self.file(pickle: pickle)) == .missingStorage(key: "0"))
        #expect(Self.error(Self.file(pickle: pickle, records: ["0": [UInt8](repeating: 0, count: 15)])) == .shortRecord(key: "0", expected: 16, actual: 15))
        // A storage claiming 2⁶⁰ elements is refused without allocating.
        let huge = Self.tensorPickle(count: 1 << 60, offset: 0, shape: [1 << 60], strides: [1])
        #expect(Self.error(Self.file(pickle: huge, records: ["0": [0, 0, 0, 0]])) == .shortRecord(key: "0", expected: 1 << 62, actual: 4))
    }

    @Test func viewOutsideStorage() {
        let record = ["0": [UInt8](repeating: 0, count: 16)]
        for (offset, shape, strides) in [(2, [3], [1]), (0, [2, 3], [3, 1]), (0, [5], [1]), (-1, [1], [1]), (0, [2], [-1]),
                                         (0, [-2], [1]), (0, [1 << 40, 1 << 40], [1, 1]), (0, [2, 2], [1 << 62, 1 << 62]), (5, [0], [1])] {
            let bytes = Self.file(pickle: Self.tensorPickle(count: 4, offset: offset, shape: shape, strides: strides), records: record)
            #expect(
                Self.error(bytes) == .viewOutsideStorage(key: "0", offset: offset, shape: shape, strides: strides, count: 4),
                "offset \(offset) shape \(shape) strides \(strides)")
        }
        // The last element exactly at the end of the storage, and an empty view at its end, are fine.
        let inside = Self.file(pickle: Self.tensorPickle(count: 4, offset: 1, shape: [2, 2], strides: [1, 1]), records: record)
        #expect(Self.error(inside) == nil)
        let emptyAtEnd = Self.file(pickle: Self.tensorPickle(count: 4, offset: 4, shape: [0], strides: [1]), records: record)
        #expect(Self.error(emptyAtEnd) == nil)
    }

    @Test func repeatedElementsAreBounded() throws {
        // A one-element storage expanded (stride 0) to 2²⁵ elements: refused before anything is materialised.
        let huge = Self.file(pickle: Self.tensorPickle(count: 1, offset: 0, shape: [1 << 25], strides: [0]), records: ["0": [0, 0, 0x80, 0x3f]])
        guard case .valueTooLarge? = Self.error(huge) else {
            Issue.record("a 2^25-element expansion was accepted: \(String(describing: Self.error(huge)))")
            return
        }
        // Within the bound, an expanded view reads and repeats its element.
        let small = Self.file(pickle: Self.tensorPickle(count: 1, offset: 0, shape: [3, 2], strides: [0, 0]), records: ["0": [0, 0, 0x80, 0x3f]])
        #expect(try TorchFile(bytes: small).value["w"]?.tensor?.doubles() == [1, 1, 1, 1, 1, 1])
    }

    @Test func truncatedPickle() throws {
        let pickle = Self.tensorPickle(count: 4, offset: 0, shape: [4], strides: [1])
        for cut in [1, 2, 10, pickle.count - 1] {
            let error = Self.error(Self.file(pickle: Array(pickle.prefix(cut)), records: ["0": [UInt8](repeating: 0, count: 16)]))
            guard case .truncatedPickle? = error else {
                Issue.record("cut at \(cut): \(String(describing: error))")
                continue
            }
        }
        // A string claiming 4 GB.
        #expect(Self.error(Self.file(pickle: [0x80, 2, 0x58, 0xff, 0xff, 0xff, 0xff, 0x61])) == .truncatedPickle(offset: 8))
    }

    @Test func forbiddenGlobalsAndOpcodes() {
        let system = [0x80, 2] + Self.global("os", "system") + Self.tuple([Self.string("echo pwned")]) + [0x52, 0x2e]
        #expect(Self.error(Self.file(pickle: system)) == .forbiddenGlobal("os.system", offset: 2))
        let eval = [0x80, 2] + Self.global("builtins", "eval") + [0x2e]
        #expect(Self.error(Self.file(pickle: eval)) == .forbiddenGlobal("builtins.eval", offset: 2))
        // STACK_GLOBAL (0x93), INST ('i'), OBJ ('o'), NEWOBJ (0x81), EXT1 (0x82): not in the allow-list.
        for opcode: UInt8 in [0x93, 0x69, 0x6f, 0x81, 0x82, 0x94, 0x8c] {
            #expect(Self.error(Self.file(pickle: [0x80, 2, 0x4e, opcode, 0x2e])) == .forbiddenOpcode(opcode: opcode, offset: 3))
        }
        // A storage type PyTorch has but this reader does not.
        let complex = Self.tensorPickle(count: 1, offset: 0, shape: [1], strides: [1], storage: "ComplexFloatStorage")
        #expect(Self.error(Self.file(pickle: complex, records: ["0": [UInt8](repeating: 0, count: 8)])) == .unsupportedStorage("ComplexFloatStorage"))
    }

    @Test func buildAndReduceOnlyOnAllowedObjects() {
        // BUILD on a list.
        guard case .malformedPickle? = Self.error(Self.file(pickle: [0x80, 2, 0x5d, 0x7d, 0x62, 0x2e])) else {
            Issue.record("BUILD on a list was accepted")
            return
        }
        // REDUCE of a non-callable, OrderedDict with arguments, a rebuild with wrong arguments.
        for pickle in [
            [0x80, 2, 0x4e, 0x29, 0x52, 0x2e],
            [0x80, 2] + Self.global("collections", "OrderedDict") + Self.tuple([Self.int(1)]) + [0x52, 0x2e],
            [0x80, 2] + Self.global("torch._utils", "_rebuild_tensor_v2") + Self.tuple([Self.int(1)]) + [0x52, 0x2e],
            [0x80, 2, 0x4e, 0x51, 0x2e],  // a persistent id that is not a storage
            [0x80, 2, 0x61, 0x2e],  // stack underflow
            [0x80, 2, 0x68, 7, 0x2e],  // memo entry never stored
            [0x80, 2] + Self.global("torch", "FloatStorage") + [0x2e],  // a global as the result
        ] as [[UInt8]] {
            guard case .malformedPickle? = Self.error(Self.file(pickle: pickle)) else {
                Issue.record("accepted \(pickle): \(String(describing: Self.error(Self.file(pickle: pickle))))")
                continue
            }
        }
    }

    @Test func cyclesDeepNestingAndExponentialSharing() {
        // A list appended to itself.
        let cycle: [UInt8] = [0x80, 2, 0x5d, 0x71, 0, 0x68, 0, 0x61, 0x2e]
        guard case .valueTooLarge? = Self.error(Self.file(pickle: cycle)) else {
            Issue.record("a cyclic list was accepted")
            return
        }
        // 100 000 nested lists (and tuples): refused without deep recursion.
        let deepLists = [0x80, 2] + [UInt8](repeating: 0x5d, count: 100_000) + [UInt8](repeating: 0x61, count: 99_999) + [0x2e]
        guard case .valueTooLarge? = Self.error(Self.file(pickle: deepLists)) else {
            Issue.record("deeply nested lists were accepted")
            return
        }
        let deepTuples = [0x80, 2, 0x4e] + [UInt8](repeating: 0x85, count: 100_000) + [0x2e]
        guard case .valueTooLarge? = Self.error(Self.file(pickle: deepTuples)) else {
            Issue.record("deeply nested tuples were accepted")
            return
        }
        // x = (); x = (x, x) forty times: 2⁴⁰ values from 200 bytes.
        var doubling: [UInt8] = [0x80, 2, 0x29]
        for _ in 0..<40 { doubling += [0x71, 0, 0x68, 0, 0x86] }
        doubling.append(0x2e)
        guard case .valueTooLarge? = Self.error(Self.file(pickle: doubling)) else {
            Issue.record("exponential sharing was accepted")
            return
        }
    }

    @Test func damagedZipStructures() throws {
        let valid = Self.file(pickle: [0x80, 2, 0x4e, 0x2e])
        #expect(Self.error(valid) == nil)
        // A compressed (deflate) entry: method 8 in the central directory.
        var compressed = valid
        let central = try #require(Self.find([0x50, 0x4b, 0x01, 0x02], in: compressed))
        compressed[central + 10] = 8
        #expect(Self.error(compressed) == .compressedEntry(name: "archive/data.pkl", method: 8))
        // An entry count the directory cannot hold, a directory offset past the end, a local header missing.
        var counted = valid
        let end = try #require(Self.find([0x50, 0x4b, 0x06, 0x06], in: counted))
        counted[end + 32 + 4] = 0xff
        guard case .malformedZip? = Self.error(counted) else {
            Issue.record("a huge entry count was accepted: \(String(describing: Self.error(counted)))")
            return
        }
        var moved = valid
        moved[central + 42] = 0xf0
        guard case .malformedZip? = Self.error(moved) else {
            Issue.record("a bad local header offset was accepted")
            return
        }
        // Every truncation of a valid file is refused with an error, none traps.
        let full = Self.file(pickle: Self.tensorPickle(count: 4, offset: 0, shape: [2, 2], strides: [2, 1]), records: ["0": [UInt8](repeating: 1, count: 16)])
        for length in stride(from: 0, to: full.count, by: 7) { #expect(Self.error(Array(full.prefix(length))) != nil) }
    }

    @Test func stateDictErrorsThroughModuleLoad() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pt-errors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("bad.pt")
        try TorchFile(value: .dict(TorchDictionary([("weight", .int(1))]))).write(to: url)
        let model = Linear<Float>(1, 1)
        #expect(throws: CheckpointError.torch(.notATensor(key: "weight", found: "an int"))) { try model.load(from: url) }
        try TorchFile(value: .list([])).write(to: url)
        #expect(throws: CheckpointError.torch(.notAStateDict(found: "a list"))) { try model.load(from: url) }
        try Array("PK\u{3}\u{4} but not a zip".utf8).withUnsafeBytes { try Data($0).write(to: url) }
        #expect(throws: CheckpointError.torch(.notAZip)) { try model.load(from: url) }
        #expect(throws: CheckpointError.torch(.fileNotFound(path: directory.appendingPathComponent("none.pt").path))) {
            try model.load(from: directory.appendingPathComponent("none.pt"))
        }
    }

    static func find(_ pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        (0...(bytes.count - pattern.count)).first { bytes[$0..<($0 + pattern.count)].elementsEqual(pattern) }
    }
}
