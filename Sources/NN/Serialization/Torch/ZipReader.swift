// The zip container of `torch.save` (PyTorch >= 1.6), as its writer (miniz in
// caffe2/serialize/inline_container.cc) produces it:
//
//     [local header "PK\3\4" + name + extra (padding so data starts on 64 bytes)] [data] [data descriptor "PK\7\8"]
//     ... one per record: <archive>/data.pkl, <archive>/data/<key>, <archive>/version, ...
//     [central directory: one "PK\1\2" entry per record, with the true sizes and offsets]
//     [zip64 end of central directory "PK\6\6" and its locator "PK\6\7", always written]
//     [end of central directory "PK\5\6"]
//
// Every record is stored (method 0). The reader trusts only the central directory for sizes
// (local headers carry zeros when a data descriptor follows), and checks every size, count and
// offset against the actual input before using it.

/// The stored records of a zip archive, located by name (their bytes are not copied).
///
/// Only what `torch.save` writes is supported: stored (uncompressed, unencrypted) entries, with
/// zip64 sizes and offsets where needed, in a single-disk archive. A compressed or encrypted entry
/// gives ``TorchFileError/compressedEntry(name:method:)``. CRCs are not verified (as PyTorch's
/// reader does not by default).
struct ZipReader {
    /// Each record's bytes as a range of the input, by entry name.
    let records: [String: Range<Int>]
    /// The entry names in central-directory order.
    let names: [String]

    private static let endSignature: UInt32 = 0x0605_4b50
    private static let end64Signature: UInt32 = 0x0606_4b50
    private static let locator64Signature: UInt32 = 0x0706_4b50
    private static let centralSignature: UInt32 = 0x0201_4b50
    private static let localSignature: UInt32 = 0x0403_4b50
    /// The smallest central-directory entry (46 bytes), which bounds the entry count by the input size.
    private static let centralEntrySize = 46

    /// Locates every record of the zip archive `bytes`.
    ///
    /// - Throws: ``TorchFileError/notAZip`` without an end-of-central-directory record,
    ///   ``TorchFileError/malformedZip(reason:)`` for inconsistent structures, and
    ///   ``TorchFileError/compressedEntry(name:method:)``.
    init(bytes: [UInt8]) throws(TorchFileError) {
        let input = ByteReader(bytes)
        guard let end = Self.findEnd(input) else { throw .notAZip }
        var entryCount = Int(try input.u16(end + 10))
        var directorySize = Int(try input.u32(end + 12))
        var directoryOffset = Int(try input.u32(end + 16))
        let disk = try input.u16(end + 4), directoryDisk = try input.u16(end + 6)
        if disk != 0 || directoryDisk != 0 {
            throw .malformedZip(reason: "multi-disk archives are not supported")
        }
        // Zip64: the locator sits just before the classic record and points at the zip64 record.
        if end >= 20, try input.u32(end - 20) == Self.locator64Signature {
            let record64 = try input.u64(end - 12)
            guard record64 <= UInt64(end - 20), try input.u32(Int(record64)) == Self.end64Signature else {
                throw .malformedZip(reason: "the zip64 locator does not point at a zip64 end record")
            }
            let at = Int(record64)
            let count64 = try input.u64(at + 32), size64 = try input.u64(at + 40), offset64 = try input.u64(at + 48)
            guard count64 <= UInt64(bytes.count), size64 <= UInt64(bytes.count), offset64 <= UInt64(bytes.count) else {
                throw .malformedZip(reason: "the zip64 end record declares sizes beyond the file")
            }
            entryCount = Int(count64)
            directorySize = Int(size64)
            directoryOffset = Int(offset64)
        }
        guard directoryOffset <= bytes.count, directorySize <= bytes.count - directoryOffset else {
            throw .malformedZip(reason: "the central directory (offset \(directoryOffset), \(directorySize) bytes) lies outside the file")
        }
        guard entryCount <= directorySize / Self.centralEntrySize else {
            throw .malformedZip(reason: "\(entryCount) entries cannot fit in a \(directorySize)-byte central directory")
        }

        var records: [String: Range<Int>] = [:]
        var names: [String] = []
        var cursor = directoryOffset
        let directoryEnd = directoryOffset + directorySize
        for _ in 0..<entryCount {
            guard directoryEnd - cursor >= Self.centralEntrySize, try input.u32(cursor) == Self.centralSignature else {
                throw .malformedZip(reason: "central directory entry at byte \(cursor) is missing or damaged")
            }
            let flags = try input.u16(cursor + 8)
            let method = Int(try input.u16(cursor + 10))
            var compressedSize = UInt64(try input.u32(cursor + 20))
            var size = UInt64(try input.u32(cursor + 24))
            let nameLength = Int(try input.u16(cursor + 28))
            let extraLength = Int(try input.u16(cursor + 30))
            let commentLength = Int(try input.u16(cursor + 32))
            var localOffset = UInt64(try input.u32(cursor + 42))
            let nameStart = cursor + Self.centralEntrySize
            let entryEnd = nameStart + nameLength + extraLength + commentLength
            guard entryEnd <= directoryEnd else {
                throw .malformedZip(reason: "central directory entry at byte \(cursor) runs past the directory")
            }
            let name = String(decoding: bytes[nameStart..<(nameStart + nameLength)], as: UTF8.self)
            try Self.readZip64Extra(
                input, from: nameStart + nameLength, length: extraLength,
                size: &size, compressedSize: &compressedSize, offset: &localOffset)
            if method != 0 || flags & 1 != 0 { throw .compressedEntry(name: name, method: method) }
            guard compressedSize == size else {
                throw .malformedZip(reason: "stored entry \(name.debugDescription) has different compressed and plain sizes")
            }
            let range = try Self.dataRange(input, name: name, localOffset: localOffset, size: size)
            guard records.updateValue(range, forKey: name) == nil else {
                throw .malformedZip(reason: "entry \(name.debugDescription) appears twice")
            }
            names.append(name)
            cursor = entryEnd
        }
        self.records = records
        self.names = names
    }

    /// The offset of the end-of-central-directory record, searched backwards over the largest
    /// possible comment (65 535 bytes); nil if there is none.
    private static func findEnd(_ input: ByteReader) -> Int? {
        let count = input.bytes.count
        guard count >= 22 else { return nil }
        let lowest = max(0, count - 22 - 65_535)
        var at = count - 22
        while at >= lowest {
            if input.bytes[at] == 0x50, (try? input.u32(at)) == endSignature,
               let commentLength = try? input.u16(at + 20), at + 22 + Int(commentLength) <= count {
                return at
            }
            at -= 1
        }
        return nil
    }

    /// Replaces the 32-bit fields saturated at `0xFFFFFFFF` by their values in the zip64 extra field (id 1).
    private static func readZip64Extra(
        _ input: ByteReader, from start: Int, length: Int, size: inout UInt64, compressedSize: inout UInt64,
        offset: inout UInt64
    ) throws(TorchFileError) {
        var at = start
        let end = start + length
        while end - at >= 4 {
            let id = try input.u16(at), fieldLength = Int(try input.u16(at + 2))
            let body = at + 4
            guard fieldLength <= end - body else { throw .malformedZip(reason: "an extra field runs past its entry") }
            if id == 1 {
                // The zip64 values appear in this order, each only if its 32-bit field is saturated.
                var fields = [size, compressedSize, offset]
                var field = body
                for index in fields.indices where fields[index] == 0xFFFF_FFFF {
                    guard field + 8 <= body + fieldLength else { throw .malformedZip(reason: "the zip64 extra field is too short") }
                    fields[index] = try input.u64(field)
                    field += 8
                }
                (size, compressedSize, offset) = (fields[0], fields[1], fields[2])
            }
            at = body + fieldLength
        }
    }

    /// The bytes of a stored entry: after its local header, whose name and extra field lengths
    /// are its own (the central directory's may differ).
    private static func dataRange(_ input: ByteReader, name: String, localOffset: UInt64, size: UInt64) throws(TorchFileError) -> Range<Int> {
        let count = input.bytes.count
        guard localOffset <= UInt64(count), Int(localOffset) <= count - 30,
              try input.u32(Int(localOffset)) == localSignature
        else {
            throw .malformedZip(reason: "the local header of entry \(name.debugDescription) is missing")
        }
        let header = Int(localOffset)
        let start = header + 30 + Int(try input.u16(header + 26)) + Int(try input.u16(header + 28))
        guard start <= count, size <= UInt64(count - start) else {
            throw .malformedZip(reason: "the data of entry \(name.debugDescription) (\(size) bytes) runs past the end of the file")
        }
        return start..<(start + Int(size))
    }
}

/// Bounds-checked little-endian reads from a byte array.
struct ByteReader {
    /// The input.
    let bytes: [UInt8]

    /// A reader of `bytes`.
    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The `width`-byte little-endian unsigned integer at `offset`.
    func unsigned(_ offset: Int, width: Int) throws(TorchFileError) -> UInt64 {
        guard offset >= 0, offset <= bytes.count - width else {
            throw .malformedZip(reason: "a \(width)-byte field at byte \(offset) lies past the end of the file")
        }
        var value: UInt64 = 0
        for index in (0..<width).reversed() { value = value << 8 | UInt64(bytes[offset + index]) }
        return value
    }

    /// The 2-byte little-endian integer at `offset`.
    func u16(_ offset: Int) throws(TorchFileError) -> UInt16 { UInt16(try unsigned(offset, width: 2)) }
    /// The 4-byte little-endian integer at `offset`.
    func u32(_ offset: Int) throws(TorchFileError) -> UInt32 { UInt32(try unsigned(offset, width: 4)) }
    /// The 8-byte little-endian integer at `offset`.
    func u64(_ offset: Int) throws(TorchFileError) -> UInt64 { try unsigned(offset, width: 8) }
}
