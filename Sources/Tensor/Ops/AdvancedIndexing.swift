/// PyTorch's advanced indexing: subscripts with `Int` and `Bool` tensors (`x[idx]`, `x[mask]`,
/// `x[rows, cols]`, `x[.all, idx]`), reading, writing and `indexPut`.
///
/// Every form resolves to one list: for each element of the result, in row-major order, the
/// offset of the element of `self` it comes from. Reading gathers those offsets, its backward
/// adds the gradient back at them, writing stores at them.
extension Tensor {
    /// The offsets into `self` that `indices` select, one per result element in row-major order,
    /// and the result's shape (the rules are in ``subscript(_:)``).
    func advancedSelection(_ indices: [TensorIndex]) -> (offsets: [Int], shape: [Int]) {
        let consuming = indices.reduce(0) { $0 + $1.consumedDimensions }
        let ellipses = indices.filter { $0.kind == .ellipsis }.count
        check(ellipses <= 1, "index: an index can only have a single ellipsis, got \(ellipses)")
        check(
            consuming <= rank,
            "index: too many indices for tensor of dimension \(rank) (\(consuming) given for shape \(shape))")
        let strides = Shape.strides(shape)
        var base = 0
        // One entry per group of result dimensions: its offsets and its shape. The advanced
        // indices together make one group, whose slot is `advancedSlot`.
        var groups: [(offsets: [Int], shape: [Int])] = []
        // Each advanced index: the dimension it indexes (`nil` for a 0-d mask), its shape and positions.
        var advanced: [(dimension: Int?, shape: [Int], values: [Int])] = []
        var advancedSlot: Int?
        var separated = false, gapSinceAdvanced = false
        var dimension = 0

        func addAdvanced(dimension: Int?, shape indexShape: [Int], values: [Int]) {
            if advancedSlot == nil {
                advancedSlot = groups.count
                groups.append(([], []))
            } else if gapSinceAdvanced {
                separated = true
            }
            advanced.append((dimension, indexShape, values))
        }

        for entry in indices + (ellipses == 0 ? [.ellipsis] : []) {
            switch entry.kind {
            case .position(let position):
                let size = shape[dimension]
                check(
                    position >= -size && position < size,
                    "index: index \(position) is out of bounds for dimension \(dimension) with size \(size) (shape \(shape))")
                base += (position < 0 ? position + size : position) * strides[dimension]
                dimension += 1
            case .slice(let start, let end, let step):
                check(step > 0, "index: slice step must be positive, got \(step)")
                let size = shape[dimension], stride = strides[dimension]
                func clamped(_ bound: Int?, default value: Int) -> Int {
                    guard let bound else { return value }
                    return Swift.min(Swift.max(bound < 0 ? bound + size : bound, 0), size)
                }
                let first = clamped(start, default: 0), last = clamped(end, default: size)
                let count = last > first ? (last - first + step - 1) / step : 0
                groups.append(((0..<count).map { (first + $0 * step) * stride }, [count]))
                if advancedSlot != nil { gapSinceAdvanced = true }
                dimension += 1
            case .newAxis:
                groups.append(([0], [1]))
                if advancedSlot != nil { gapSinceAdvanced = true }
            case .ellipsis:
                for _ in 0..<(rank - consuming) {
                    let size = shape[dimension], stride = strides[dimension]
                    groups.append(((0..<size).map { $0 * stride }, [size]))
                    if advancedSlot != nil { gapSinceAdvanced = true }
                    dimension += 1
                }
            case .indices(let indexShape, let values):
                let size = shape[dimension]
                let wrapped = values.map { position in
                    check(
                        position >= -size && position < size,
                        "index: index \(position) is out of bounds for dimension \(dimension) with size \(size) (shape \(shape))")
                    return position < 0 ? position + size : position
                }
                addAdvanced(dimension: dimension, shape: indexShape, values: wrapped)
                dimension += 1
            case .mask(let maskShape, let values):
                for (k, size) in maskShape.enumerated() {
                    check(
                        size == shape[dimension + k],
                        "index: the shape of the mask \(maskShape) at index \(k) does not match the shape of the "
                            + "indexed tensor \(shape) at index \(dimension + k)")
                }
                let maskStrides = Shape.strides(maskShape)
                let chosen = values.indices.filter { values[$0] }
                for (k, stride) in maskStrides.enumerated() {
                    let coordinates = chosen.map { ($0 / stride) % maskShape[k] }
                    addAdvanced(dimension: dimension + k, shape: [chosen.count], values: coordinates)
                }
                if maskShape.isEmpty {
                    // A 0-d mask adds a dimension of size 1 (true) or 0 (false), as in PyTorch.
                    addAdvanced(dimension: nil, shape: [chosen.count], values: [])
                }
                dimension += maskShape.count
            }
        }

        if let slot = advancedSlot {
            var broadcastShape: [Int] = []
            for index in advanced {
                guard let joined = Shape.broadcast(broadcastShape, index.shape) else {
                    fatalError(
                        "index: shape mismatch: indexing tensors could not be broadcast together with shapes "
                            + advanced.map { "\($0.shape)" }.joined(separator: ", "))
                }
                broadcastShape = joined
            }
            var offsets = [Int](repeating: 0, count: Shape.count(broadcastShape))
            for index in advanced {
                guard let indexed = index.dimension else { continue }
                let stride = strides[indexed]
                let picked = Tensor<Int>(shape: index.shape, scalars: index.values)
                    .broadcastValues(to: broadcastShape, op: "index").scalars
                for i in offsets.indices { offsets[i] += picked[i] * stride }
            }
            groups[slot] = (offsets, broadcastShape)
            if separated { groups.insert(groups.remove(at: slot), at: 0) }
        }

        var offsets = [base]
        for group in groups {
            var next: [Int] = []
            next.reserveCapacity(offsets.count * group.offsets.count)
            for offset in offsets {
                for step in group.offsets { next.append(offset + step) }
            }
            offsets = next
        }
        return (offsets, groups.flatMap(\.shape))
    }

    /// The elements that advanced `indices` select, recording `IndexBackward`.
    func advancedRead(_ indices: [TensorIndex]) -> Tensor {
        let (offsets, resultShape) = advancedSelection(indices)
        return reading(offsets: offsets, shape: resultShape, name: "IndexBackward")
    }

    /// A tensor of `shape` whose element i (row-major) is this tensor's element at `offsets[i]`,
    /// recording `name`: the one kernel behind advanced indexing, `flip`, `roll`, `repeat` and `tile`.
    ///
    /// Backward: the gradient added into a zero tensor at those offsets (an offset read twice
    /// gets both gradients, as PyTorch's `index_put_(accumulate=True)`).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func reading(offsets: [Int], shape resultShape: [Int], name: String) -> Tensor {
        let values = withUnsafeBufferPointer { x in
            TensorStorage<Scalar>(count: offsets.count) { out in
                for (i, offset) in offsets.enumerated() { (out.baseAddress! + i).initialize(to: x[offset]) }
            }
        }
        let inputShape = shape
        return Tensor(shape: resultShape, storage: values).recording(name, [self]) { g in
            let grad = Tensor.zeros(inputShape)
            grad.accumulateConverting(g, at: offsets)
            return [grad]
        }
    }

    /// For each element of a tensor of `resultShape` (row-major), the offset in this tensor that
    /// `source` maps its multi-index to.
    func offsets(of resultShape: [Int], _ source: (_ index: [Int]) -> Int) -> [Int] {
        let n = Shape.count(resultShape)
        var offsets = [Int](repeating: 0, count: n)
        var index = [Int](repeating: 0, count: resultShape.count)
        for position in 0..<n {
            offsets[position] = source(index)
            var d = resultShape.count - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < resultShape[d] { break }
                index[d] = 0
                d -= 1
            }
        }
        return offsets
    }

    /// Stores `value`, broadcast to the selected shape (after dropping leading size-1
    /// dimensions), at the positions advanced `indices` select; adds it there when `accumulate`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func advancedWrite(_ indices: [TensorIndex], _ value: Tensor, accumulate: Bool) {
        let (offsets, resultShape) = advancedSelection(indices)
        var valueShape = value.shape
        while valueShape.count > resultShape.count && valueShape.first == 1 { valueShape.removeFirst() }
        let source = (value.sharesStorage(with: self) ? value.copy() : value.detach()).reshape(valueShape)
            .broadcastValues(to: resultShape, op: "index assignment")
        if accumulate {
            accumulateConverting(source, at: offsets)
            return
        }
        source.withUnsafeBufferPointer { v in
            withUnsafeMutableBufferPointer { x in
                for (i, offset) in offsets.enumerated() { x[offset] = v[i] }
            }
        }
    }

    /// Adds element i of `values` to the element at `offsets[i]`, in place.
    ///
    /// The sum is formed in `Double` and converted back: exact for `Double`, correctly rounded
    /// for `Float` (a `Double` holds more than twice a `Float`'s precision, so rounding twice
    /// gives the `Float` sum), exact for integers up to 2^53 in magnitude, and `or` for `Bool`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func accumulateConverting(_ values: Tensor, at offsets: [Int]) {
        values.withUnsafeBufferPointer { v in
            withUnsafeMutableBufferPointer { x in
                for (i, offset) in offsets.enumerated() {
                    x[offset] = Scalar(converting: x[offset].doubleValue + v[i].doubleValue)
                }
            }
        }
    }

    /// Writes `values` at the positions `indices` select, in place (`x.index_put_(indices, values,
    /// accumulate)`, i.e. `x[indices] = values`, or `x[indices] += values` with repeated positions
    /// all counted when `accumulate`). Entries are any subscript entries, usually `Int` and
    /// `Bool` tensors: `x.indexPut([rows, cols], Tensor(scalar: 1), accumulate: true)`.
    ///
    /// Shapes: `values` broadcasts to the shape `x[indices]` has. No autograd is recorded; a
    /// tensor that requires grad can be written only inside ``withNoGrad(_:)``.
    /// - Precondition: as for the subscript.
    public func indexPut(_ indices: [any TensorIndexConvertible], _ values: Tensor, accumulate: Bool = false) {
        check(
            !(requiresGrad && GradMode.isEnabled),
            "indexPut: a tensor that requires grad cannot be written in place (shape \(shape)); "
                + "write inside withNoGrad { } or into a detached tensor")
        advancedWrite(indices.map(\.tensorIndex), values, accumulate: accumulate)
    }

    /// The elements where `mask` is true, as a 1-d tensor (`x[mask]`, `torch.masked_select`),
    /// with `mask` broadcast to this tensor's shape.
    ///
    /// Backward: the gradient put back at the selected positions, zero elsewhere.
    /// - Precondition: `mask` broadcasts to the shape of `self`.
    public func maskedSelect(_ mask: Tensor<Bool>) -> Tensor {
        let full = mask.broadcastValues(to: shape, op: "maskedSelect")
        return self[full]
    }
}
