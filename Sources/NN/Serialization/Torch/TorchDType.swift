/// The element types of PyTorch storages that `.pt` files can hold here, named as in
/// PyTorch (`torch.float32` is ``float32``), with their pickled storage class names.
public enum TorchDType: String, CaseIterable, Sendable {
    /// IEEE 754 binary32 (`FloatStorage`).
    case float32
    /// IEEE 754 binary64 (`DoubleStorage`).
    case float64
    /// IEEE 754 binary16 (`HalfStorage`).
    case float16
    /// The upper half of a binary32 (`BFloat16Storage`).
    case bfloat16
    /// Signed 64-bit integers (`LongStorage`).
    case int64
    /// Signed 32-bit integers (`IntStorage`).
    case int32
    /// Signed 16-bit integers (`ShortStorage`).
    case int16
    /// Signed 8-bit integers (`CharStorage`).
    case int8
    /// Unsigned 8-bit integers (`ByteStorage`).
    case uint8
    /// Booleans, one byte each (`BoolStorage`).
    case bool

    /// The storage class `torch.save` pickles for this dtype (`torch.FloatStorage` is `"FloatStorage"`).
    public var storageName: String {
        switch self {
        case .float32: "FloatStorage"
        case .float64: "DoubleStorage"
        case .float16: "HalfStorage"
        case .bfloat16: "BFloat16Storage"
        case .int64: "LongStorage"
        case .int32: "IntStorage"
        case .int16: "ShortStorage"
        case .int8: "CharStorage"
        case .uint8: "ByteStorage"
        case .bool: "BoolStorage"
        }
    }

    /// The dtype whose storage class is `name`, or nil.
    public init?(storageName name: String) {
        guard let dtype = Self.allCases.first(where: { $0.storageName == name }) else { return nil }
        self = dtype
    }

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .float64, .int64: 8
        case .float32, .int32: 4
        case .float16, .bfloat16, .int16: 2
        case .int8, .uint8, .bool: 1
        }
    }

    /// The little-endian element at byte `offset` of `bytes` as a `Double`: exact for every dtype
    /// but `int64` beyond 2⁵³ (rounded to nearest); booleans are 0 and 1 (any non-zero byte is 1).
    @inlinable
    func double(in bytes: UnsafeRawBufferPointer, at offset: Int) -> Double {
        switch self {
        case .float32: Double(Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))))
        case .float64: Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
        case .float16: Double(halfToFloat(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))))
        case .bfloat16:
            Double(Float(bitPattern: UInt32(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))) << 16))
        case .int64: Double(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self)))
        case .int32: Double(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
        case .int16: Double(Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int16.self)))
        case .int8: Double(Int8(bitPattern: bytes[offset]))
        case .uint8: Double(bytes[offset])
        case .bool: bytes[offset] != 0 ? 1 : 0
        }
    }
}

/// The binary32 value of the binary16 bit pattern `bits` (exact: every half is a float).
@usableFromInline
func halfToFloat(_ bits: UInt16) -> Float {
    let sign = UInt32(bits >> 15) << 31
    let exponent = Int(bits >> 10) & 0x1f
    let fraction = UInt32(bits & 0x3ff)
    switch exponent {
    case 0:
        // Zero or subnormal: fraction × 2⁻²⁴.
        let magnitude = Float(fraction) * Float(sign: .plus, exponent: -24, significand: 1)
        return sign != 0 ? -magnitude : magnitude
    case 0x1f:
        return Float(bitPattern: sign | 0x7f80_0000 | fraction << 13)
    default:
        return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | fraction << 13)
    }
}
