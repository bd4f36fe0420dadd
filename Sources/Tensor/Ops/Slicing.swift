/// A box-shaped selection of a tensor's elements: along dimension d, the `counts[d]`
/// indices `starts[d], starts[d] + steps[d], ...`. Slicing, integer indexing, `narrow`,
/// `select` and `split` all read such a region; their backward writes the gradient back
/// into the same region of a zero tensor.
struct StridedRegion: Sendable, Equatable {
    /// The first index along each dimension.
    var starts: [Int]
    /// The distance between selected indices along each dimension (positive).
    var steps: [Int]
    /// How many indices are selected along each dimension: the region's shape.
    var counts: [Int]

    /// The whole of a tensor of `shape`.
    init(covering shape: [Int]) {
        starts = [Int](repeating: 0, count: shape.count)
        steps = [Int](repeating: 1, count: shape.count)
        counts = shape
    }

    /// The number of selected elements.
    var elementCount: Int { Shape.count(counts) }

    /// Calls `body(sourceOffset, regionOffset, length)` for each run of `length` consecutive
    /// region elements, in row-major order; along the last dimension the source elements
    /// of a run are `steps.last` apart in a tensor of `shape`.
    @inline(__always)
    func forEachRun(in shape: [Int], _ body: (_ source: Int, _ region: Int, _ length: Int) -> Void) {
        let total = elementCount
        guard total > 0 else { return }
        guard let last = counts.indices.last else {
            body(0, 0, 1)
            return
        }
        let strides = Shape.strides(shape)
        var offset = 0
        for d in counts.indices { offset += starts[d] * strides[d] }
        let run = counts[last]
        var index = [Int](repeating: 0, count: counts.count)
        var produced = 0
        while produced < total {
            body(offset, produced, run)
            produced += run
            var d = last - 1
            while d >= 0 {
                index[d] += 1
                offset += steps[d] * strides[d]
                if index[d] < counts[d] { break }
                offset -= steps[d] * strides[d] * counts[d]
                index[d] = 0
                d -= 1
            }
        }
    }
}

extension Tensor {
    /// The elements of `region`, row-major, as a tensor of `shape` (the region's element
    /// count), outside the graph.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func values(in region: StridedRegion, shape target: [Int]) -> Tensor {
        let n = region.elementCount
        let step = region.steps.last ?? 1
        let values = withUnsafeBufferPointer { x in
            TensorStorage<Scalar>(count: n) { out in
                region.forEachRun(in: shape) { source, start, length in
                    let destination = out.baseAddress! + start
                    if step == 1 {
                        destination.initialize(from: x.baseAddress! + source, count: length)
                    } else {
                        for j in 0..<length { (destination + j).initialize(to: x[source + j * step]) }
                    }
                }
            }
        }
        return Tensor(shape: target, storage: values)
    }

    /// Overwrites the elements of `region` with `source`'s, in row-major order, in place.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func write(_ source: Tensor, into region: StridedRegion) {
        let step = region.steps.last ?? 1
        let inputShape = shape
        source.withUnsafeBufferPointer { y in
            withUnsafeMutableBufferPointer { x in
                region.forEachRun(in: inputShape) { target, start, length in
                    if step == 1 {
                        (x.baseAddress! + target).update(from: y.baseAddress! + start, count: length)
                    } else {
                        for j in 0..<length { x[target + j * step] = y[start + j] }
                    }
                }
            }
        }
    }

    /// Reads `region` as a new tensor of `shape`, recording `name` for autograd.
    ///
    /// Backward: the gradient written into `region` of a zero tensor of the input's shape.
    func regionRead(_ region: StridedRegion, shape target: [Int], name: String) -> Tensor {
        let inputShape = shape
        return values(in: region, shape: target).recording(name, [self]) { g in
            let grad = Tensor.zeros(inputShape)
            grad.write(g, into: region)
            return [grad]
        }
    }

    /// The `length` indices of `axis` starting at `start`, as a new tensor (`x.narrow(dim, start, length)`).
    ///
    /// Shape: the input's with `shape[axis]` replaced by `length`. `start` may be negative
    /// (counted from the end). Unlike PyTorch the result is a copy, not a view.
    /// Backward: the gradient placed at those indices, zero elsewhere.
    /// - Precondition: `0 <= start` (after wrapping) and `start + length <= shape[axis]`.
    public func narrow(axis: Int, start: Int, length: Int) -> Tensor {
        narrowed(axis: axis, start: start, length: length, op: "narrow", name: "NarrowBackward")
    }

    /// `narrow` under another operation's name (for traps and `gradFnName`).
    func narrowed(axis: Int, start: Int, length: Int, op: String, name: String) -> Tensor {
        check(rank > 0, "\(op): cannot be applied to a 0-d tensor")
        let axis = normalizedAxis(axis, rank: rank, op: op)
        let size = shape[axis]
        let first = start < 0 && start >= -size ? start + size : start
        check(
            first >= 0 && length >= 0 && first + length <= size,
            "\(op): start \(start) and length \(length) exceed dimension \(axis) of size \(size) (shape \(shape))")
        var region = StridedRegion(covering: shape)
        region.starts[axis] = first
        region.counts[axis] = length
        return regionRead(region, shape: region.counts, name: name)
    }

    /// The slice at `index` along `axis`, with that dimension removed (`x.select(dim, index)`,
    /// i.e. `x[:, index]` for `axis` 1). Negative `index` counts from the end.
    ///
    /// Shape: the input's without `axis`. Backward: the gradient placed at `index`, zero elsewhere.
    /// - Precondition: `-shape[axis] <= index < shape[axis]`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func select(axis: Int, index: Int) -> Tensor {
        check(rank > 0, "select: cannot be applied to a 0-d tensor")
        let axis = normalizedAxis(axis, rank: rank, op: "select")
        let size = shape[axis]
        check(
            index >= -size && index < size,
            "select: index \(index) is out of bounds for dimension \(axis) with size \(size) (shape \(shape))")
        var region = StridedRegion(covering: shape)
        region.starts[axis] = index < 0 ? index + size : index
        region.counts[axis] = 1
        var resultShape = shape
        resultShape.remove(at: axis)
        return regionRead(region, shape: resultShape, name: "SelectBackward")
    }

    /// Every slice along `axis`, each with that dimension removed (`x.unbind(dim)`):
    /// `shape[axis]` tensors of the input's shape without `axis`.
    public func unbind(axis: Int = 0) -> [Tensor] {
        check(rank > 0, "unbind: cannot be applied to a 0-d tensor")
        let axis = normalizedAxis(axis, rank: rank, op: "unbind")
        return (0..<shape[axis]).map { select(axis: axis, index: $0) }
    }
}
