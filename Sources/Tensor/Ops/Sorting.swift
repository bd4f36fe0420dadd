/// Sorting along an axis: `sort`, `argsort`, `topk`. The values are gathered at the sorted
/// indices, so their gradient flows back to the positions they came from.
extension Tensor where Scalar: TensorFloatingPoint {
    /// The elements of each line along `axis` in ascending (or `descending`) order, and the
    /// indices they came from (`torch.sort(x, dim, descending, stable=True)`).
    ///
    /// The sort is stable: equal elements keep their order. NaN sorts above every number, as
    /// in PyTorch (last ascending, first descending). Shapes: both the input's.
    /// Backward: the gradient scattered back to the original positions.
    public func sort(axis: Int = -1, descending: Bool = false) -> (values: Tensor, indices: Tensor<Int>) {
        let indices = sortedIndices(axis: axis, descending: descending, op: "sort")
        guard rank > 0 else { return (self.reshape([1]).gather(axis: 0, index: indices.reshape([1])).reshape([]), indices) }
        return (gather(axis: axis, index: indices), indices)
    }

    /// The indices that sort each line along `axis` (`torch.argsort(x, dim, descending, stable=True)`).
    public func argsort(axis: Int = -1, descending: Bool = false) -> Tensor<Int> {
        sortedIndices(axis: axis, descending: descending, op: "argsort")
    }

    /// The `k` largest (or smallest) elements of each line along `axis`, in sorted order, and
    /// their indices (`torch.topk(x, k, dim, largest, sorted=True)`).
    ///
    /// Shapes: the input's with `shape[axis]` replaced by k. Equal elements are taken in index
    /// order (PyTorch leaves the order of ties unspecified).
    /// Backward: the gradient scattered back to the chosen positions.
    /// - Precondition: `0 <= k <= shape[axis]`.
    public func topk(_ k: Int, axis: Int = -1, largest: Bool = true) -> (values: Tensor, indices: Tensor<Int>) {
        let size = rank == 0 ? 1 : shape[normalizedAxis(axis, rank: rank, op: "topk")]
        check(k >= 0 && k <= size, "topk: k (\(k)) is out of range for dimension of size \(size) (shape \(shape))")
        guard rank > 0 else { return sort(axis: axis, descending: largest) }
        let indices = sortedIndices(axis: axis, descending: largest, op: "topk").narrow(axis: axis, start: 0, length: k)
        return (gather(axis: axis, index: indices), indices)
    }

    /// The stable sorting permutation of each line along `axis`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    private func sortedIndices(axis: Int, descending: Bool, op: String) -> Tensor<Int> {
        guard rank > 0 else { return Tensor<Int>(scalar: 0) }
        let axis = normalizedAxis(axis, rank: rank, op: op)
        let (outer, size, inner) = Shape.split(shape, at: axis)
        var result = [Int](repeating: 0, count: count)
        withUnsafeBufferPointer { x in
            for o in 0..<outer {
                for i in 0..<inner {
                    let first = o * size * inner + i
                    // NaN ranks above every number; ties keep index order.
                    let order = (0..<size).sorted { a, b in
                        let u = x[first + a * inner], v = x[first + b * inner]
                        if u.isNaN || v.isNaN {
                            if u.isNaN == v.isNaN { return a < b }
                            return descending ? u.isNaN : v.isNaN
                        }
                        if u == v { return a < b }
                        return descending ? u > v : u < v
                    }
                    for (k, position) in order.enumerated() { result[first + k * inner] = position }
                }
            }
        }
        return Tensor<Int>(shape: shape, scalars: result)
    }
}
