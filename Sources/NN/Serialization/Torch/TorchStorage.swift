/// A PyTorch storage: a flat run of elements of one dtype that tensors view (`torch.UntypedStorage`
/// with its dtype), as found in a `.pt` file's `data/<key>` record or built for writing one.
///
/// It is a class so that tensors sharing a storage (tied weights, views) share one instance,
/// as they share one record in the file; its contents never change.
public final class TorchStorage: Sendable {
    /// The element type.
    public let dtype: TorchDType
    /// The number of elements.
    public let count: Int
    /// The elements, little-endian (at least `count × dtype.byteSize` bytes).
    let bytes: ArraySlice<UInt8>

    /// A storage of `count` elements held in `bytes`; the caller has checked that they are enough.
    init(dtype: TorchDType, count: Int, bytes: ArraySlice<UInt8>) {
        self.dtype = dtype
        self.count = count
        self.bytes = bytes
    }

    /// A storage holding `values` as `float32` or `float64` elements (bit-exact).
    ///
    /// - Precondition: `dtype` is ``TorchDType/float32`` or ``TorchDType/float64``.
    public convenience init(_ values: [Double], dtype: TorchDType) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * dtype.byteSize)
        switch dtype {
        case .float64:
            for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        case .float32:
            for value in values { withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        default:
            fatalError("TorchStorage(_:dtype:): writing \(dtype) storages is not supported (float32 and float64 are)")
        }
        self.init(dtype: dtype, count: values.count, bytes: bytes[...])
    }

    /// A storage holding `values` as `float32` elements (bit-exact, NaN payloads included).
    public convenience init(_ values: [Float]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 4)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        self.init(dtype: .float32, count: values.count, bytes: bytes[...])
    }
}
