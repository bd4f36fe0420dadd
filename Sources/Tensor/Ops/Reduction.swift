/// Reductions over all elements or over chosen axes, with PyTorch's `keepdim`.
extension Tensor where Scalar: TensorFloatingPoint {
    /// The sum of all elements, as a 0-d tensor.
    public func sum() -> Tensor { sum(axes: Array(0..<rank)) }

    /// The sum over `axis` (negative counts from the end); `keepDim` keeps it with size 1.
    public func sum(axis: Int, keepDim: Bool = false) -> Tensor { sum(axes: [axis], keepDim: keepDim) }

    /// The sum over several axes (`x.sum(dim=(0, 2))`); an empty list means every axis, as in
    /// PyTorch, and a 0-d tensor accepts axis 0 or -1.
    ///
    /// Shape: the input's with each reduced axis removed, or set to 1 when `keepDim`.
    /// - Precondition: each axis is in range and appears once.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func sum(axes: [Int], keepDim: Bool = false) -> Tensor {
        let axes = reductionAxes(axes, op: "sum")
        var kept = shape
        var values = storage
        for axis in axes {
            let (outer, size, inner) = Shape.split(kept, at: axis)
            values = values.withBuffer { Tensor.sumOverMiddle(UnsafeBufferPointer($0), outer: outer, size: size, inner: inner) }
            kept[axis] = 1
        }
        if values === storage { values = TensorStorage(storage.buffer) }
        let outShape = keepDim ? kept : shape.indices.filter { !axes.contains($0) }.map { shape[$0] }
        let inputShape = shape
        return Tensor(shape: outShape, storage: values).recording("SumBackward", [self]) { g in
            [g.reshape(kept).broadcastValues(to: inputShape, op: "sum")]
        }
    }

    /// Σ_k x[o, k, i] for `x` viewed as `[outer, size, inner]`: `[outer, inner]`, each sum from 0
    /// with k ascending (the order every sum over an axis here adds in).
    @inline(__always)
    static func sumOverMiddle(_ x: UnsafeBufferPointer<Scalar>, outer: Int, size: Int, inner: Int) -> TensorStorage<Scalar> {
        TensorStorage<Scalar>(count: outer * inner) { out in
            out.initialize(repeating: 0)
            // Row by row through pointers: indexed, the overflow checks kept the loop scalar. The
            // columns split over the threads when large (each column summed in the same order).
            guard let out = out.baseAddress, let x = x.baseAddress else { return }
            let (sums, rows) = (GEMM.WritePointer(out), GEMM.ReadPointer(x))
            parallelForColumns(inner, rows: size) { columns in
                for o in 0..<outer {
                    let sums = sums.pointer + o * inner + columns.lowerBound
                    for k in 0..<size {
                        let row = rows.pointer + (o * size + k) * inner + columns.lowerBound
                        for i in 0..<columns.count { sums[i] += row[i] }
                    }
                }
            }
        }
    }

    /// The column sums Σ_rows d of `d` viewed as `[rows, width]` (a bias gradient), `[width]`:
    /// ``sumOverMiddle(_:outer:size:inner:)`` with one outer block.
    @inline(__always)
    static func columnSums(_ d: UnsafeBufferPointer<Scalar>, rows: Int, width: Int) -> Tensor {
        Tensor(shape: [width], storage: sumOverMiddle(d, outer: 1, size: rows, inner: width))
    }

    /// The mean of all elements, as a 0-d tensor.
    public func mean() -> Tensor { mean(axes: Array(0..<rank)) }

    /// The mean over `axis`.
    public func mean(axis: Int, keepDim: Bool = false) -> Tensor { mean(axes: [axis], keepDim: keepDim) }

    /// The mean over several axes: the sum divided by the number of elements reduced (an
    /// empty list means every axis; a 0-d tensor accepts axis 0 or -1).
    ///
    /// - Precondition: each axis is in range and appears once.
    public func mean(axes: [Int], keepDim: Bool = false) -> Tensor {
        let reduced = reductionAxes(axes, op: "mean").reduce(1) { $0 * shape[$1] }
        return sum(axes: axes, keepDim: keepDim) / Scalar(reduced)
    }

    /// The sorted, normalised axes a reduction over `axes` reduces: every axis when `axes` is
    /// empty, none for a 0-d tensor (whose valid axes are 0 and -1), as in PyTorch.
    /// Traps, naming `op`, on an axis out of range or given twice (`sum(axes: [0, -3])` of a
    /// rank-3 tensor).
    func reductionAxes(_ axes: [Int], op: String) -> [Int] {
        let normalized = distinctAxes(axes, op: op)
        if rank == 0 { return [] }
        return axes.isEmpty ? Array(0..<rank) : normalized.sorted()
    }

    /// Sums a broadcast gradient back to `target`, the shape of the operand that was broadcast.
    ///
    /// Leading dimensions absent from `target` are summed away; dimensions where `target`
    /// has size 1 are summed with `keepDim`.
    public func sum(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        let lead = rank - target.count
        check(lead >= 0, "sum(toShape:): cannot reduce shape \(shape) to \(target)")
        var axes = Array(0..<lead)
        for (i, size) in target.enumerated() where size == 1 && shape[lead + i] != 1 { axes.append(lead + i) }
        return axes.isEmpty ? reshape(target) : sum(axes: axes, keepDim: true).reshape(target)
    }

    /// The largest element as a 0-d tensor (`x.max()`); NaN if any element is NaN.
    ///
    /// Backward: the gradient is shared evenly among tied maxima (among the NaNs, if the result
    /// is NaN), as in PyTorch.
    public func max() -> Tensor { extremum(of: "max", greater: true) }

    /// The smallest element as a 0-d tensor (`x.min()`); NaN if any element is NaN. Backward as
    /// ``max()``.
    public func min() -> Tensor { extremum(of: "min", greater: false) }

    private func extremum(of op: String, greater: Bool) -> Tensor {
        check(count > 0, "\(op): expected a non-empty tensor")
        let values = storage.buffer
        var best = values[0]
        for v in values where v.isNaN || (greater ? v > best : v < best) {
            best = v
            if v.isNaN { break }
        }
        let result = best
        let isNaN = result.isNaN
        return Tensor(shape: [], scalars: [result]).recording(greater ? "MaxBackward" : "MinBackward", [self]) { [self] g in
            let mask = map { $0 == result || (isNaN && $0.isNaN) ? Scalar(1) : 0 }
            let ties = mask.storage.buffer.reduce(0, +)
            return [mask * (g.item / ties)]
        }
    }

    /// The largest values along `axis` and their indices (`torch.max(x, dim)`).
    ///
    /// Shapes: both the input's with `axis` removed (or 1 with `keepDim`). The first
    /// maximum wins ties; NaN counts as the largest value, as in PyTorch.
    public func max(axis: Int, keepDim: Bool = false) -> (values: Tensor, indices: Tensor<Int>) {
        extremum(axis: axis, keepDim: keepDim, op: "max", greater: true)
    }

    /// The smallest values along `axis` and their indices (`torch.min(x, dim)`).
    public func min(axis: Int, keepDim: Bool = false) -> (values: Tensor, indices: Tensor<Int>) {
        extremum(axis: axis, keepDim: keepDim, op: "min", greater: false)
    }

    /// The index of the largest element of the flattened tensor, as a 0-d tensor (`x.argmax()`).
    public func argmax() -> Tensor<Int> { reshape([-1]).max(axis: 0).indices }

    /// The indices of the largest values along `axis` (`x.argmax(dim)`).
    public func argmax(axis: Int, keepDim: Bool = false) -> Tensor<Int> { max(axis: axis, keepDim: keepDim).indices }

    /// The indices of the smallest values along `axis` (`x.argmin(dim)`).
    public func argmin(axis: Int, keepDim: Bool = false) -> Tensor<Int> { min(axis: axis, keepDim: keepDim).indices }

    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    private func extremum(axis: Int, keepDim: Bool, op: String, greater: Bool) -> (values: Tensor, indices: Tensor<Int>) {
        let axis = normalizedAxis(axis, rank: rank, op: op)
        let (outer, size, inner) = rank == 0 ? (1, 1, 1) : Shape.split(shape, at: axis)
        check(size > 0, "\(op): cannot reduce an empty dimension of shape \(shape)")
        var values = [Scalar](repeating: 0, count: outer * inner)
        var indices = [Int](repeating: 0, count: outer * inner)
        withUnsafeBufferPointer { x in
            for o in 0..<outer {
                for i in 0..<inner {
                    var best = x[o * size * inner + i], bestIndex = 0
                    if !best.isNaN {
                        for k in 1..<Swift.max(size, 1) {
                            let v = x[(o * size + k) * inner + i]
                            if v.isNaN || (greater ? v > best : v < best) {
                                best = v
                                bestIndex = k
                                if v.isNaN { break }
                            }
                        }
                    }
                    values[o * inner + i] = best
                    indices[o * inner + i] = bestIndex
                }
            }
        }
        var kept = shape
        if rank > 0 { kept[axis] = 1 }
        var outShape = kept
        if !keepDim && rank > 0 { outShape.remove(at: axis) }
        let indexTensor = Tensor<Int>(shape: outShape, scalars: indices)
        let inputShape = shape
        let result = Tensor(shape: outShape, scalars: values).recording(greater ? "MaxBackward" : "MinBackward", [self]) { g in
            var grad = [Scalar](repeating: 0, count: Shape.count(inputShape))
            g.withUnsafeBufferPointer { g in
                for o in 0..<outer {
                    for i in 0..<inner { grad[(o * size + indices[o * inner + i]) * inner + i] += g[o * inner + i] }
                }
            }
            return [Tensor(shape: inputShape, scalars: grad)]
        }
        return (result, indexTensor)
    }

    /// log(sum(exp(x))) over `axes`, computed stably by subtracting the maximum first (an
    /// empty list means every axis; a 0-d tensor accepts axis 0 or -1).
    ///
    /// Backward: g * softmax(x) over the reduced axes.
    /// - Precondition: each axis is in range and appears once.
    public func logSumExp(axes: [Int], keepDim: Bool = false) -> Tensor {
        let axes = reductionAxes(axes, op: "logSumExp")
        var shift = detach()
        if axes.contains(where: { shape[$0] == 0 }) {
            // Nothing to reduce: the result is log 0 = -inf, as in PyTorch, with no shift.
            shift = Tensor.zeros(shape.indices.map { axes.contains($0) ? 1 : shape[$0] })
        } else {
            for axis in axes { shift = shift.max(axis: axis, keepDim: true).values }
        }
        let finiteShift = shift.map { $0.isFinite ? $0 : 0 }
        let result = (self - finiteShift).exp().sum(axes: axes, keepDim: true).log() + finiteShift
        return keepDim ? result : result.squeeze(axes: axes)
    }

    /// log(sum(exp(x))) over one axis.
    public func logSumExp(axis: Int, keepDim: Bool = false) -> Tensor { logSumExp(axes: [axis], keepDim: keepDim) }
}
