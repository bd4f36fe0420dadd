/// A tensor read from (or to be written to) a `.pt` file: a strided view of a ``TorchStorage``,
/// as `torch._utils._rebuild_tensor_v2` builds it.
///
/// Element `[i₀, i₁, ...]` is storage element `storageOffset + Σ iₖ·strides[k]`. Reading checks
/// that every element of the view lies inside the storage, so the accessors never fail.
///
/// ```swift
/// let file = try TorchFile(contentsOf: url)
/// if case .tensor(let weight)? = file.value["fc.weight"] {
///     print(weight.dtype, weight.shape, weight.doubles())      // row-major values
/// }
/// ```
public struct TorchTensor: Sendable {
    /// The storage the tensor views (shared with other tensors of the same file that view it).
    public let storage: TorchStorage
    /// The index of the first element in the storage.
    public let storageOffset: Int
    /// The dimensions, outermost first.
    public let shape: [Int]
    /// The distance in storage elements between neighbours along each dimension.
    public let strides: [Int]
    /// Whether the tensor was saved with `requires_grad=True`.
    public var requiresGrad: Bool
    /// Whether the tensor was saved as an `nn.Parameter`.
    public var isParameter: Bool

    /// The element type.
    public var dtype: TorchDType { storage.dtype }
    /// The number of elements (1 for a 0-d tensor).
    public var count: Int { shape.reduce(1, *) }

    /// The most elements a view may have beyond its storage's count (zero strides, as
    /// `expand` makes, repeat elements): 2²⁴, so that a small file cannot make a reader
    /// materialise gigabytes.
    public static let maximumRepeatedCount = 1 << 24

    /// A view of `storage` checked to lie inside it, as the reader builds it.
    ///
    /// - Throws: ``TorchFileError/viewOutsideStorage(key:offset:shape:strides:count:)`` for a
    ///   negative offset, dimension or stride, or an element outside the storage;
    ///   ``TorchFileError/valueTooLarge(reason:)`` for more than ``maximumRepeatedCount`` elements
    ///   from a smaller storage.
    init(storage: TorchStorage, key: String, storageOffset: Int, shape: [Int], strides: [Int]) throws(TorchFileError) {
        let outside = TorchFileError.viewOutsideStorage(
            key: key, offset: storageOffset, shape: shape, strides: strides, count: storage.count)
        guard shape.count == strides.count, storageOffset >= 0, shape.allSatisfy({ $0 >= 0 }),
              strides.allSatisfy({ $0 >= 0 })
        else { throw outside }
        var elements = 1
        for size in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: size)
            guard !overflow else { throw outside }
            elements = product
        }
        guard elements <= Swift.max(storage.count, Self.maximumRepeatedCount) else {
            throw .valueTooLarge(reason: "a view of \(elements) elements repeats the \(storage.count) elements of storage \(key.debugDescription)")
        }
        if elements == 0 {
            guard storageOffset <= storage.count else { throw outside }
        } else {
            var last = storageOffset
            for (size, stride) in zip(shape, strides) {
                let (reach, overflow) = (size - 1).multipliedReportingOverflow(by: stride)
                let (sum, overflow2) = last.addingReportingOverflow(reach)
                guard !overflow, !overflow2 else { throw outside }
                last = sum
            }
            guard last < storage.count else { throw outside }
        }
        self.storage = storage
        self.storageOffset = storageOffset
        self.shape = shape
        self.strides = strides
        requiresGrad = false
        isParameter = false
    }

    /// A contiguous row-major tensor of shape `shape` over the whole of `storage`, for writing.
    ///
    /// - Precondition: `storage.count` equals the product of `shape` (1 for `[]`).
    public init(storage: TorchStorage, shape: [Int]) {
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == storage.count else {
            fatalError("TorchTensor(storage:shape:): \(storage.count) elements do not fill shape \(shape)")
        }
        self.storage = storage
        storageOffset = 0
        self.shape = shape
        strides = Self.contiguousStrides(shape)
        requiresGrad = false
        isParameter = false
    }

    /// The row-major strides of `shape` (PyTorch's for a contiguous tensor).
    public static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for index in shape.indices.reversed() {
            strides[index] = step
            step *= Swift.max(shape[index], 1)
        }
        return strides
    }

    /// Whether the elements are the storage's elements from `storageOffset`, in row-major order.
    public var isContiguous: Bool {
        zip(zip(shape, strides), Self.contiguousStrides(shape)).allSatisfy { $0.0.0 <= 1 || $0.0.1 == $0.1 }
    }

    /// The elements in row-major order as `Double` (see ``TorchDType`` for the conversions).
    public func doubles() -> [Double] {
        values(as: Double.self)
    }

    /// The elements in row-major order converted to `T`, rounding to nearest (float32 and float64
    /// elements convert exactly as `T(Float)`/`T(Double)` do; integers and booleans exactly when
    /// `T` can hold them).
    public func values<T: BinaryFloatingPoint>(as type: T.Type) -> [T] {
        let total = count
        guard total > 0 else { return [] }
        let dtype = storage.dtype, size = dtype.byteSize
        return storage.bytes.withUnsafeBytes { raw in
            var result = [T]()
            result.reserveCapacity(total)
            if isContiguous {
                for index in storageOffset..<(storageOffset + total) { result.append(T(dtype.double(in: raw, at: index * size))) }
                return result
            }
            // An odometer over the multi-index, innermost dimension fastest.
            var index = [Int](repeating: 0, count: shape.count)
            var position = storageOffset
            for _ in 0..<total {
                result.append(T(dtype.double(in: raw, at: position * size)))
                var dimension = shape.count - 1
                while dimension >= 0 {
                    index[dimension] += 1
                    position += strides[dimension]
                    if index[dimension] < shape[dimension] { break }
                    position -= strides[dimension] * shape[dimension]
                    index[dimension] = 0
                    dimension -= 1
                }
            }
            return result
        }
    }
}
