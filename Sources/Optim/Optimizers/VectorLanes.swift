import Tensor

/// Eight-lane loads and stores for the optimizers' element loops.
///
/// Written on `SIMD8` lanes, the update rules' products, sums and quotients compile to packed
/// instructions; each lane computes exactly what the scalar formula computes (the same IEEE
/// operations in the same order), so results are unchanged. Square roots do not vectorise this
/// way: Swift's is libm's `sqrt`, which must set `errno`, so each lane becomes a scalar square
/// root and a call. Adagrad, Adam and RMSprop take their square roots from
/// ``VectorMath/squareRoot(_:into:count:)`` chunk by chunk instead (AMSGrad still lane by lane).
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

/// Runs `body` over `0..<count` in chunks of at most ``VectorMath/chunk`` elements, as the
/// optimizers' loops take their square roots a chunk at a time. `body` gets the chunk, the end of
/// its eight-lane part (the rest, fewer than eight elements, goes one by one) and a chunk-sized
/// scratch buffer, indexed from the chunk's start.
@inline(__always)
func forEachChunk<Scalar: TensorFloatingPoint>(
    of count: Int, _ body: (_ chunk: Range<Int>, _ vectorEnd: Int, _ scratch: UnsafeMutableBufferPointer<Scalar>) -> Void
) {
    withUnsafeTemporaryAllocation(of: Scalar.self, capacity: VectorMath.chunk) { scratch in
        for start in stride(from: 0, to: count, by: VectorMath.chunk) {
            let end = Swift.min(start + VectorMath.chunk, count)
            body(start..<end, start + (end - start) / 8 * 8, scratch)
        }
    }
}
