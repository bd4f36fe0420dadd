/// Writes a zip archive of stored (uncompressed) records as `torch.save` lays them out: each
/// record's data aligned to 64 bytes (the padding is an extra field with id `FB`, as PyTorch's
/// writer makes it), CRC-32 checked, with zip64 fields where a size or offset needs them and the
/// zip64 end records PyTorch always writes.
struct ZipWriter {
    /// The archive so far.
    private(set) var bytes: [UInt8] = []
    private var central: [UInt8] = []
    private var count = 0

    /// The alignment of every record's data, in bytes.
    static let alignment = 64
    private static let saturated: UInt64 = 0xFFFF_FFFF

    /// Appends the record `name` holding `data`.
    mutating func add(_ name: String, _ data: some Collection<UInt8>) {
        let nameBytes = Array(name.utf8)
        let size = UInt64(data.count), offset = UInt64(bytes.count)
        let crc = crc32(data)
        let large = size >= Self.saturated
        var localExtra: [UInt8] = []
        if large {
            localExtra += le(1, 2) + le(16, 2) + le(size, 8) + le(size, 8)
        }
        // Pad with an "FB" field (at least its 4-byte header) so the data starts on the alignment.
        let unpadded = bytes.count + 30 + nameBytes.count + localExtra.count + 4
        let padding = (Self.alignment - unpadded % Self.alignment) % Self.alignment
        localExtra += [0x46, 0x42] + le(UInt64(padding), 2) + [UInt8](repeating: 0x5a, count: padding)

        let sizeField = large ? Self.saturated : size
        bytes += le(0x0403_4b50, 4) + le(large ? 45 : 20, 2) + le(0x0800, 2) + le(0, 2) + le(0, 2) + le(0x21, 2)
        bytes += le(UInt64(crc), 4) + le(sizeField, 4) + le(sizeField, 4)
        bytes += le(UInt64(nameBytes.count), 2) + le(UInt64(localExtra.count), 2) + nameBytes + localExtra
        bytes.append(contentsOf: data)

        var centralExtra: [UInt8] = []
        let farOffset = offset >= Self.saturated
        if large || farOffset {
            let fields = (large ? le(size, 8) + le(size, 8) : []) + (farOffset ? le(offset, 8) : [])
            centralExtra = le(1, 2) + le(UInt64(fields.count), 2) + fields
        }
        central += le(0x0201_4b50, 4) + le(45, 2) + le(large || farOffset ? 45 : 20, 2) + le(0x0800, 2) + le(0, 2)
        central += le(0, 2) + le(0x21, 2) + le(UInt64(crc), 4) + le(sizeField, 4) + le(sizeField, 4)
        central += le(UInt64(nameBytes.count), 2) + le(UInt64(centralExtra.count), 2) + le(0, 2) + le(0, 2) + le(0, 2)
        central += le(0, 4) + le(farOffset ? Self.saturated : offset, 4) + nameBytes + centralExtra
        count += 1
    }

    /// The complete archive: the records, the central directory and the end records.
    func finished() -> [UInt8] {
        var result = bytes
        let directoryOffset = UInt64(result.count), directorySize = UInt64(central.count)
        let entries = UInt64(count)
        result += central
        let end64 = UInt64(result.count)
        result += le(0x0606_4b50, 4) + le(44, 8) + le(45, 2) + le(45, 2) + le(0, 4) + le(0, 4)
        result += le(entries, 8) + le(entries, 8) + le(directorySize, 8) + le(directoryOffset, 8)
        result += le(0x0706_4b50, 4) + le(0, 4) + le(end64, 8) + le(1, 4)
        result += le(0x0605_4b50, 4) + le(0, 2) + le(0, 2) + le(min(entries, 0xFFFF), 2) + le(min(entries, 0xFFFF), 2)
        result += le(min(directorySize, Self.saturated), 4) + le(min(directoryOffset, Self.saturated), 4) + le(0, 2)
        return result
    }

    /// `value`'s low `width` bytes, little-endian.
    private func le(_ value: UInt64, _ width: Int) -> [UInt8] {
        (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// The CRC-32 (ISO 3309, polynomial 0xEDB88320) of `data`, as zip records it.
    private func crc32(_ data: some Collection<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = Self.crcTable[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8) }
        return ~crc
    }

    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 != 0 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }
}
