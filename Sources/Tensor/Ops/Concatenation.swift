/// Joining tensors along an axis (`torch.cat`, `torch.stack`) and the inverse, splitting one
/// tensor into pieces (`split`, `chunk`).
extension Tensor {
    /// The tensors joined along an existing `axis` (`torch.cat(tensors, dim)`).
    ///
    /// Shapes: every tensor has the same rank and the same sizes except along `axis`; the
    /// result's `shape[axis]` is the sum of theirs: `cat([[2, 3], [4, 3]], axis: 0) -> [6, 3]`.
    /// Backward: each input receives its own slice of the gradient.
    /// - Precondition: `tensors` is non-empty and the shapes agree off `axis`.
    public static func cat(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        guard let first = tensors.first else { fatalError("cat: expected a non-empty list of tensors") }
        check(first.rank > 0, "cat: zero-dimensional tensor cannot be concatenated")
        let axis = normalizedAxis(axis, rank: first.rank, op: "cat")
        for (i, tensor) in tensors.enumerated() {
            var expected = tensor.shape
            if tensor.rank == first.rank { expected[axis] = first.shape[axis] }
            check(
                expected == first.shape,
                "cat: sizes of tensors must match except in dimension \(axis); "
                    + "tensor 0 has shape \(first.shape) but tensor \(i) has shape \(tensor.shape)")
        }
        let sizes = tensors.map { $0.shape[axis] }
        var resultShape = first.shape
        resultShape[axis] = sizes.reduce(0, +)
        let (outer, _, inner) = Shape.split(resultShape, at: axis)
        return interleaved(tensors, outer: outer, blockLengths: sizes.map { $0 * inner }, shape: resultShape)
            .recording("CatBackward", tensors) { g in
                var start = 0
                return tensors.indices.map { i in
                    defer { start += sizes[i] }
                    return tensors[i].requiresGrad ? g.narrow(axis: axis, start: start, length: sizes[i]) : nil
                }
            }
    }

    /// The tensors joined along a new `axis` (`torch.stack(tensors, dim)`); `axis` may be `rank`.
    ///
    /// Shapes: every tensor has the same shape `s`; the result has `s` with `tensors.count`
    /// inserted at `axis`: `stack([[2, 3], [2, 3], [2, 3]], axis: 1) -> [2, 3, 3]`.
    /// Backward: each input receives its slice of the gradient along `axis`.
    /// - Precondition: `tensors` is non-empty and all shapes are equal.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        guard let first = tensors.first else { fatalError("stack: expected a non-empty list of tensors") }
        let rank = first.rank
        check(
            axis >= -(rank + 1) && axis <= rank,
            "stack: dimension \(axis) out of range for tensors of rank \(rank) (a new dimension goes in 0...\(rank))")
        let axis = axis < 0 ? axis + rank + 1 : axis
        for (i, tensor) in tensors.enumerated() {
            check(
                tensor.shape == first.shape,
                "stack: expected each tensor to be equal size, but got \(first.shape) at entry 0 "
                    + "and \(tensor.shape) at entry \(i)")
        }
        var resultShape = first.shape
        resultShape.insert(tensors.count, at: axis)
        let (outer, _, inner) = Shape.split(resultShape, at: axis)
        return interleaved(tensors, outer: outer, blockLengths: tensors.map { _ in inner }, shape: resultShape)
            .recording("StackBackward", tensors) { g in
                tensors.indices.map { i in tensors[i].requiresGrad ? g.select(axis: axis, index: i) : nil }
            }
    }

    /// Row o of the result is block o of every tensor, one after another: tensor t
    /// contributes elements `[o * blockLengths[t], (o + 1) * blockLengths[t])`. No graph is recorded.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    static func interleaved(_ tensors: [Tensor], outer: Int, blockLengths: [Int], shape: [Int]) -> Tensor {
        let rowLength = blockLengths.reduce(0, +)
        let n = outer * rowLength
        let values = TensorStorage<Scalar>(count: n) { out in
            var column = 0
            for (tensor, length) in Swift.zip(tensors, blockLengths) {
                tensor.withUnsafeBufferPointer { x in
                    for o in 0..<outer where length > 0 {
                        (out.baseAddress! + o * rowLength + column).initialize(from: x.baseAddress! + o * length, count: length)
                    }
                }
                column += length
            }
        }
        return Tensor(shape: shape, storage: values)
    }

    /// Pieces of `size` along `axis`, the last one smaller if `size` does not divide it
    /// (`x.split(size, dim)`).
    ///
    /// Shapes: the input's with `shape[axis]` replaced by `size` (or the remainder).
    /// Each piece is a differentiable copy (`SplitBackward`), not a view.
    /// - Precondition: `size > 0`, or `size == 0` for an empty dimension.
    public func split(size: Int, axis: Int = 0) -> [Tensor] {
        check(rank > 0, "split: cannot be applied to a 0-d tensor")
        let axis = normalizedAxis(axis, rank: rank, op: "split")
        let total = shape[axis]
        check(size > 0 || (size == 0 && total == 0), "split: split size \(size) must be positive for dimension of size \(total)")
        guard total > 0 else { return [narrowed(axis: axis, start: 0, length: 0, op: "split", name: "SplitBackward")] }
        return stride(from: 0, to: total, by: size).map {
            narrowed(axis: axis, start: $0, length: Swift.min(size, total - $0), op: "split", name: "SplitBackward")
        }
    }

    /// Pieces with the given sizes along `axis` (`x.split([s0, s1, ...], dim)`).
    ///
    /// Shapes: piece i is the input's with `shape[axis]` replaced by `sizes[i]`.
    /// - Precondition: the sizes are non-negative and sum to `shape[axis]`.
    public func split(sizes: [Int], axis: Int = 0) -> [Tensor] {
        check(rank > 0, "split: cannot be applied to a 0-d tensor")
        let axis = normalizedAxis(axis, rank: rank, op: "split")
        check(
            sizes.allSatisfy { $0 >= 0 } && sizes.reduce(0, +) == shape[axis],
            "split: sizes \(sizes) do not sum to \(shape[axis]), the size of dimension \(axis) of shape \(shape)")
        var start = 0
        return sizes.map { length in
            defer { start += length }
            return narrowed(axis: axis, start: start, length: length, op: "split", name: "SplitWithSizesBackward")
        }
    }

    /// At most `chunks` pieces of equal size along `axis`, the last one smaller if needed
    /// (`x.chunk(chunks, dim)`): pieces of size ceil(shape[axis] / chunks), so fewer than
    /// `chunks` pieces may come back, as in PyTorch; an empty dimension gives `chunks` empty pieces.
    /// - Precondition: `chunks > 0`.
    public func chunk(_ chunks: Int, axis: Int = 0) -> [Tensor] {
        check(chunks > 0, "chunk: number of chunks \(chunks) must be greater than 0")
        check(rank > 0, "chunk: cannot be applied to a 0-d tensor")
        let size = shape[normalizedAxis(axis, rank: rank, op: "chunk")]
        if size == 0 { return split(sizes: Array(repeating: 0, count: chunks), axis: axis) }
        return split(size: (size + chunks - 1) / chunks, axis: axis)
    }
}
