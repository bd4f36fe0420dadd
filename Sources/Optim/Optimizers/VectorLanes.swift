import Tensor

/// Eight-lane loads and stores for the optimizers' element loops.
///
/// The update rules divide by square roots; written on `SIMD8` lanes they compile to packed
/// `sqrtps`/`divps` instructions. Each lane computes exactly what the scalar formula computes
/// (the same IEEE operations in the same order), so results are unchanged.
extension UnsafeMutableBufferPointer where Element: TensorFloatingPoint {
    /// The eight elements starting at `index`.
    @inline(__always)
    func lanes(at index: Int) -> SIMD8<Element> {
        UnsafeRawPointer(baseAddress! + index).loadUnaligned(as: SIMD8<Element>.self)
    }

    /// Writes eight elements starting at `index`.
    @inline(__always)
    func setLanes(_ value: SIMD8<Element>, at index: Int) {
        UnsafeMutableRawPointer(baseAddress! + index).storeBytes(of: value, as: SIMD8<Element>.self)
    }
}

extension UnsafeBufferPointer where Element: TensorFloatingPoint {
    /// The eight elements starting at `index`.
    @inline(__always)
    func lanes(at index: Int) -> SIMD8<Element> {
        UnsafeRawPointer(baseAddress! + index).loadUnaligned(as: SIMD8<Element>.self)
    }
}
