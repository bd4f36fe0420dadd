/// Indexing by integer tensors (`torch.gather`, `index_select`) and their adjoints, which
/// add values at indexed positions (`scatter_add`, `index_add`). Each pair is the other's
/// backward. Indices must be in `0..<size` (no negative indices, as in PyTorch). As in
/// PyTorch, a 0-d input, index or source is treated as 1-d of size 1 (with axis 0 or -1).
///
/// Available for every numeric element type (`Float`, `Double`, `Int`, `Int32`).
extension Tensor where Scalar: AdditiveArithmetic {
    /// Values picked along `axis` by `index` (`torch.gather(x, dim, index)`): for a 3-d tensor and axis 1,
    /// `out[i][j][k] = x[i][index[i][j][k]][k]`.
    ///
    /// Shapes: `index` has the input's rank and `index.shape[d] <= shape[d]` for `d != axis`;
    /// the result has `index.shape`. Backward: the gradient added back at the gathered
    /// positions (a scatter-add into zeros), so repeated indices accumulate.
    /// - Precondition: the shapes fit and every index is in `0..<shape[axis]`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func gather(axis: Int, index: Tensor<Int>) -> Tensor {
        if rank == 0 || index.rank == 0 {
            let axis = rank == 0 ? 0 : normalizedAxis(axis, rank: rank, op: "gather")
            return atLeast1D().gather(axis: axis, index: index.atLeast1D()).reshape(index.shape)
        }
        let axis = checkIndexShapes(op: "gather", axis: axis, index: index, other: nil)
        let n = index.count
        let values = withUnsafeBufferPointer { x in
            TensorStorage<Scalar>(count: n) { out in
                forEachIndexedPosition(op: "gather", axis: axis, index: index, otherShape: index.shape) { position, offset, _ in
                    (out.baseAddress! + position).initialize(to: x[offset])
                }
            }
        }
        let inputShape = shape
        return Tensor(shape: index.shape, storage: values).recording("GatherBackward", [self]) { g in
            [Tensor.zeros(inputShape).scatterAdd(axis: axis, index: index, source: g)]
        }
    }

    /// A copy of `self` with `source` added at the positions `index` names along `axis`
    /// (`x.scatter_add(dim, index, src)`): for a 3-d tensor and axis 0,
    /// `out[index[i][j][k]][j][k] += source[i][j][k]` for every position of `index`.
    ///
    /// Shapes: `index` and `source` have the input's rank; `index.shape[d] <= source.shape[d]`
    /// for all d and `<= shape[d]` for `d != axis`; only `source`'s first `index.shape`
    /// elements are used. The result has the input's shape.
    /// Backward: dself = g; dsource = g gathered at `index` (zero where unused).
    /// - Precondition: the shapes fit and every index is in `0..<shape[axis]`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func scatterAdd(axis: Int, index: Tensor<Int>, source: Tensor) -> Tensor {
        if rank == 0 || index.rank == 0 || source.rank == 0 {
            let axis = rank == 0 ? 0 : normalizedAxis(axis, rank: rank, op: "scatterAdd")
            return atLeast1D().scatterAdd(axis: axis, index: index.atLeast1D(), source: source.atLeast1D()).reshape(shape)
        }
        let axis = checkIndexShapes(op: "scatterAdd", axis: axis, index: index, other: source)
        let result = copy()
        result.withUnsafeMutableBufferPointer { out in
            source.withUnsafeBufferPointer { y in
                forEachIndexedPosition(op: "scatterAdd", axis: axis, index: index, otherShape: source.shape) { _, offset, other in
                    out[offset] += y[other]
                }
            }
        }
        let sourceShape = source.shape
        return result.recording("ScatterAddBackward", [self, source]) { g in
            guard source.requiresGrad else { return [g, nil] }
            let picked = g.gather(axis: axis, index: index)
            if sourceShape == index.shape { return [g, picked] }
            let padded = Tensor.zeros(sourceShape)
            var region = StridedRegion(covering: sourceShape)
            region.counts = index.shape
            padded.write(picked, into: region)
            return [g, padded]
        }
    }

    /// The slices at positions `index` along `axis`, in that order (`x.index_select(dim, index)`).
    ///
    /// Shapes: `index` is 1-d (or 0-d) with n entries; the result is the input's shape with
    /// `shape[axis]` replaced by n: `[5, 3].indexSelect(axis: 0, [4, 0]) -> [2, 3]`.
    /// Backward: each gradient slice added back at its index (repeated indices accumulate).
    /// - Precondition: every index is in `0..<shape[axis]`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func indexSelect(axis: Int, index: Tensor<Int>) -> Tensor {
        if rank == 0 {
            _ = normalizedAxis(axis, rank: rank, op: "indexSelect")
            check(index.rank <= 1 && index.count == 1, "indexSelect: index into a 0-d tensor must have one value, got shape \(index.shape)")
            return reshape([1]).indexSelect(axis: 0, index: index.reshape([1])).reshape([])
        }
        let axis = checkSelectIndex(op: "indexSelect", axis: axis, index: index)
        let (outer, size, inner) = Shape.split(shape, at: axis)
        let positions = index.scalars
        var resultShape = shape
        resultShape[axis] = positions.count
        let n = outer * positions.count * inner
        let values = withUnsafeBufferPointer { x in
            TensorStorage<Scalar>(count: n) { out in
                var start = 0
                for o in 0..<outer {
                    for k in positions {
                        (out.baseAddress! + start).initialize(from: x.baseAddress! + (o * size + k) * inner, count: inner)
                        start += inner
                    }
                }
            }
        }
        let inputShape = shape
        return Tensor(shape: resultShape, storage: values).recording("IndexSelectBackward", [self]) { g in
            [Tensor.zeros(inputShape).indexAdd(axis: axis, index: index, source: g)]
        }
    }

    /// A copy of `self` with slice i of `source` along `axis` added at position `index[i]`
    /// (`x.index_add(dim, index, source)`).
    ///
    /// Shapes: `index` is 1-d (or 0-d) with n entries; `source` is the input's shape with
    /// `shape[axis]` replaced by n; the result has the input's shape.
    /// Backward: dself = g; dsource = g.indexSelect(axis, index).
    /// - Precondition: the shapes fit and every index is in `0..<shape[axis]`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func indexAdd(axis: Int, index: Tensor<Int>, source: Tensor) -> Tensor {
        if rank == 0 {
            _ = normalizedAxis(axis, rank: rank, op: "indexAdd")
            check(index.rank <= 1 && index.count == 1, "indexAdd: index into a 0-d tensor must have one value, got shape \(index.shape)")
            check(source.rank == 0, "indexAdd: the source for a 0-d tensor must be 0-d, got shape \(source.shape)")
            return reshape([1]).indexAdd(axis: 0, index: index.reshape([1]), source: source.reshape([1])).reshape([])
        }
        let axis = checkSelectIndex(op: "indexAdd", axis: axis, index: index)
        let positions = index.scalars
        var expected = shape
        expected[axis] = positions.count
        check(
            source.shape == expected,
            "indexAdd: source of shape \(source.shape) does not fit \(positions.count) indices into shape \(shape) "
                + "along dimension \(axis) (expected \(expected))")
        let (outer, size, inner) = Shape.split(shape, at: axis)
        let result = copy()
        result.withUnsafeMutableBufferPointer { out in
            source.withUnsafeBufferPointer { y in
                var start = 0
                for o in 0..<outer {
                    for k in positions {
                        let row = (o * size + k) * inner
                        for i in 0..<inner { out[row + i] += y[start + i] }
                        start += inner
                    }
                }
            }
        }
        return result.recording("IndexAddBackward", [self, source]) { g in
            [g, source.requiresGrad ? g.indexSelect(axis: axis, index: index) : nil]
        }
    }

    /// This tensor, or for a 0-d tensor its one element as shape `[1]` (differentiably).
    private func atLeast1D() -> Tensor { rank == 0 ? reshape([1]) : self }

    /// Checks `index` (and `other`, the source of a scatter) against this tensor for
    /// gather/scatter; returns the normalised axis.
    private func checkIndexShapes(op: String, axis: Int, index: Tensor<Int>, other: Tensor?) -> Int {
        let axis = normalizedAxis(axis, rank: rank, op: op)
        check(
            index.rank == rank,
            "\(op): index of shape \(index.shape) must have the same number of dimensions as the input of shape \(shape)")
        for d in 0..<rank where d != axis {
            check(
                index.shape[d] <= shape[d],
                "\(op): index of shape \(index.shape) is larger than the input of shape \(shape) in dimension \(d)")
        }
        if let other {
            check(
                other.rank == rank && Swift.zip(index.shape, other.shape).allSatisfy { $0 <= $1 },
                "\(op): index of shape \(index.shape) is larger than the source of shape \(other.shape)")
        }
        return axis
    }

    /// Checks a 0-d or 1-d `index` for indexSelect/indexAdd; returns the normalised axis.
    private func checkSelectIndex(op: String, axis: Int, index: Tensor<Int>) -> Int {
        let axis = normalizedAxis(axis, rank: rank, op: op)
        check(index.rank <= 1, "\(op): index must be 0-d or 1-d, got shape \(index.shape)")
        let size = shape[axis]
        for k in index.scalars {
            check(
                k >= 0 && k < size,
                "\(op): index \(k) is out of bounds for dimension \(axis) with size \(size) (shape \(shape))")
        }
        return axis
    }

    /// Walks the positions of `index` in row-major order and calls
    /// `body(position, offset, otherOffset)`: `position` is the flat position in `index`,
    /// `offset` the element of `self` at that multi-index with coordinate `axis` replaced by
    /// the index value, and `otherOffset` the element at the same multi-index in a tensor of
    /// `otherShape`. Traps naming `op` on an index outside `0..<shape[axis]`.
    @inline(__always)
    private func forEachIndexedPosition(
        op: String, axis: Int, index: Tensor<Int>, otherShape: [Int], _ body: (Int, Int, Int) -> Void
    ) {
        let strides = Shape.strides(shape), otherStrides = Shape.strides(otherShape)
        let size = shape[axis], axisStride = strides[axis]
        let extents = index.shape
        var counter = [Int](repeating: 0, count: rank)
        var base = 0, other = 0
        index.withUnsafeBufferPointer { positions in
            for position in positions.indices {
                let k = positions[position]
                check(
                    k >= 0 && k < size,
                    "\(op): index \(k) is out of bounds for dimension \(axis) with size \(size) (shape \(shape))")
                body(position, base + k * axisStride, other)
                var d = rank - 1
                while d >= 0 {
                    counter[d] += 1
                    if d != axis { base += strides[d] }
                    other += otherStrides[d]
                    if counter[d] < extents[d] { break }
                    if d != axis { base -= strides[d] * extents[d] }
                    other -= otherStrides[d] * extents[d]
                    counter[d] = 0
                    d -= 1
                }
            }
        }
    }
}
