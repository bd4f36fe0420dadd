/// The shared, mutable element buffer behind one or more tensors.
///
/// Tensors produced by `reshape`, `view` and `detach` share their source's storage,
/// as in PyTorch: writing through one is visible through the others.
///
/// A buffer of 64 bytes or more starts on a 64-byte boundary, as PyTorch's CPU allocator aligns
/// its tensors: a cache line, and a whole AVX-512 vector, so that the vector stores of a matrix
/// product never straddle two lines. (A Swift array's elements start wherever malloc's 16-byte
/// alignment puts them, most often 16, 32 or 48 bytes into a line: the straddling stores cost
/// about 3 % of a 1024 x 1024 product at best.)
@usableFromInline
final class TensorStorage<Scalar: TensorElement> {
    /// The first element.
    @usableFromInline let base: UnsafeMutablePointer<Scalar>
    /// The block `base` lies in.
    @usableFromInline let allocation: UnsafeMutableRawPointer
    /// The number of elements.
    @usableFromInline let count: Int
    /// How many tensors view this storage (kept by `Tensor`'s initialiser and deinitialiser): a
    /// backward pass may adopt a gradient's storage as a `grad` when no other tensor sees it.
    var tensorCount = 0

    /// Storage of `count` elements, which `initialize` writes.
    ///
    /// - Precondition: `initialize` initializes every element of the buffer it is given.
    @inlinable
    init(count: Int, initializingWith initialize: (UnsafeMutableBufferPointer<Scalar>) -> Void) {
        let bytes = count * MemoryLayout<Scalar>.stride
        // Aligned by hand within a plain malloc block, 63 bytes larger: posix_memalign's blocks,
        // freed, are each a little too small for the next request of the same size, so a loop of
        // equal products would take fresh pages every time (seen: 15,000 page faults instead of
        // 4,000 for 11 products of 1024 x 1024).
        let padding = bytes >= 64 ? 63 : 0
        allocation = UnsafeMutableRawPointer.allocate(
            byteCount: Swift.max(bytes + padding, 1), alignment: MemoryLayout<Scalar>.alignment)
        let aligned = padding == 0 ? allocation : UnsafeMutableRawPointer(bitPattern: (Int(bitPattern: allocation) + 63) & ~63)!
        base = aligned.bindMemory(to: Scalar.self, capacity: count)
        self.count = count
        initialize(UnsafeMutableBufferPointer(start: base, count: count))
    }

    /// Storage holding a copy of `values`.
    @inlinable
    convenience init(_ values: some Collection<Scalar>) {
        self.init(count: values.count) { out in _ = out.initialize(from: values) }
    }

    /// Storage of `count` copies of `value`.
    @inlinable
    convenience init(repeating value: Scalar, count: Int) {
        self.init(count: count) { out in out.initialize(repeating: value) }
    }

    /// The elements, in place.
    @inlinable
    var buffer: UnsafeMutableBufferPointer<Scalar> { UnsafeMutableBufferPointer(start: base, count: count) }

    /// Calls `body` with the elements in place, keeping the storage alive until it returns.
    @inlinable
    func withBuffer<R>(_ body: (UnsafeMutableBufferPointer<Scalar>) -> R) -> R {
        withExtendedLifetime(self) { body(buffer) }
    }

    deinit {
        if !_isPOD(Scalar.self) { base.deinitialize(count: count) }
        allocation.deallocate()
    }
}
