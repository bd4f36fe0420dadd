/// Operations that change a tensor's shape or the order of its dimensions.
extension Tensor {
    /// The same elements in a new shape, sharing storage (`x.reshape(...)`, `x.view(...)`).
    ///
    /// One dimension may be `-1`: it is inferred from the element count.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func reshape(_ newShape: [Int]) -> Tensor {
        let resolved = resolveShape(newShape, op: "reshape")
        if resolved == shape { return self }
        let inputShape = shape
        return Tensor(shape: resolved, storage: storage).recording("ViewBackward", [self]) { g in
            [g.reshape(inputShape)]
        }
    }

    /// The same elements in a new shape, sharing storage; a synonym of ``reshape(_:)``
    /// (every tensor here is contiguous, so every view is valid).
    public func view(_ newShape: [Int]) -> Tensor { reshape(newShape) }

    /// The same elements in a new shape (variadic form: `x.reshape(2, -1)`).
    public func reshape(_ newShape: Int...) -> Tensor { reshape(newShape) }

    /// The same elements in a new shape (variadic form: `x.view(2, -1)`).
    public func view(_ newShape: Int...) -> Tensor { reshape(newShape) }

    /// The dimensions `startAxis...endAxis` merged into one (`x.flatten(start_dim, end_dim)`).
    public func flatten(startAxis: Int = 0, endAxis: Int = -1) -> Tensor {
        guard rank > 0 else { return reshape([1]) }
        let start = normalizedAxis(startAxis, rank: rank, op: "flatten")
        let end = normalizedAxis(endAxis, rank: rank, op: "flatten")
        check(start <= end, "flatten: startAxis \(startAxis) comes after endAxis \(endAxis)")
        let merged = shape[start...end].reduce(1, *)
        return reshape(Array(shape[..<start]) + [merged] + Array(shape[(end + 1)...]))
    }

    /// A size-1 dimension inserted at `axis` (`x.unsqueeze(dim)`); `axis` may be `rank`.
    public func unsqueeze(_ axis: Int) -> Tensor {
        check(axis >= -(rank + 1) && axis <= rank, "unsqueeze: dimension \(axis) out of range for rank \(rank)")
        var newShape = shape
        newShape.insert(1, at: axis < 0 ? axis + rank + 1 : axis)
        return reshape(newShape)
    }

    /// Every size-1 dimension removed (`x.squeeze()`).
    public func squeeze() -> Tensor { reshape(shape.filter { $0 != 1 }) }

    /// The size-1 dimension `axis` removed; other sizes are left as they are, like PyTorch.
    public func squeeze(_ axis: Int) -> Tensor { squeeze(axes: [axis]) }

    /// The given dimensions removed where their size is 1 (`x.squeeze(dims)`); an empty list
    /// removes none, and a 0-d tensor accepts axis 0 or -1, as in PyTorch.
    ///
    /// - Precondition: each axis is in range and appears once.
    public func squeeze(axes: [Int]) -> Tensor {
        let axes = Set(distinctAxes(axes, op: "squeeze"))
        guard rank > 0 else { return self }
        return reshape(shape.indices.filter { !(axes.contains($0) && shape[$0] == 1) }.map { shape[$0] })
    }

    /// This tensor's elements broadcast to `target`, as a new tensor outside the graph.
    @usableFromInline
    func broadcastValues(to target: [Int], op: String) -> Tensor {
        guard Shape.broadcast(shape, target) == target else {
            fatalError("\(op): shape \(shape) cannot be expanded to \(target)")
        }
        if target == shape { return detach() }
        return gathered(shape: target, strides: Shape.broadcastStrides(shape, to: target))
    }

    /// Dimensions `axis0` and `axis1` swapped (`x.transpose(d0, d1)`), as a new tensor.
    public func transposed(_ axis0: Int, _ axis1: Int) -> Tensor {
        var order = Array(0..<rank)
        order.swapAt(normalizedAxis(axis0, rank: rank, op: "transpose"), normalizedAxis(axis1, rank: rank, op: "transpose"))
        return permute(order)
    }

    /// The transpose of a matrix (`x.T` for 2-d; the reversed dimensions in general, like PyTorch).
    public var T: Tensor { permute(Array((0..<rank).reversed())) }

    /// The dimensions reordered: result dimension i is input dimension `order[i]` (`x.permute(...)`).
    ///
    /// Backward: the gradient permuted by the inverse order.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func permute(_ order: [Int]) -> Tensor {
        let order = order.map { normalizedAxis($0, rank: rank, op: "permute") }
        check(
            order.count == rank && Set(order).count == rank,
            "permute: \(order) is not a permutation of the \(rank) dimensions of shape \(shape)")
        if order == Array(0..<rank) { return self }
        let own = Shape.strides(shape)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, axis) in order.enumerated() { inverse[axis] = i }
        return gathered(shape: order.map { shape[$0] }, strides: order.map { own[$0] })
            .recording("PermuteBackward", [self]) { g in [g.permute(inverse)] }
    }

    /// The dimensions reordered (variadic form: `x.permute(1, 0, 2)`).
    public func permute(_ order: Int...) -> Tensor { permute(order) }

    /// A new contiguous tensor of `shape` whose element at index i reads this tensor's
    /// storage at the offset sum_d i_d * strides[d].
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    @usableFromInline
    func gathered(shape target: [Int], strides: [Int]) -> Tensor {
        let n = Shape.count(target)
        let values = withUnsafeBufferPointer { x in
            TensorStorage<Scalar>(count: n) { out in
                guard n > 0 else { return }
                if target.isEmpty {
                    out.baseAddress!.initialize(to: x[0])
                    return
                }
                let last = target.count - 1
                let inner = target[last], innerStride = strides[last]
                var index = [Int](repeating: 0, count: target.count)
                var offset = 0, start = 0
                while start < n {
                    for j in 0..<inner { (out.baseAddress! + start + j).initialize(to: x[offset + j * innerStride]) }
                    start += inner
                    var d = last - 1
                    while d >= 0 {
                        index[d] += 1
                        offset += strides[d]
                        if index[d] < target[d] { break }
                        offset -= strides[d] * target[d]
                        index[d] = 0
                        d -= 1
                    }
                }
            }
        }
        return Tensor(shape: target, storage: values)
    }

    /// `shape` with a `-1` entry inferred; traps naming `op` if the element count differs.
    func resolveShape(_ newShape: [Int], op: String) -> [Int] {
        let inferred = newShape.indices.filter { newShape[$0] == -1 }
        check(inferred.count <= 1, "\(op): only one dimension can be inferred in \(newShape)")
        check(newShape.allSatisfy { $0 >= -1 }, "\(op): invalid shape \(newShape)")
        var resolved = newShape
        if let i = inferred.first {
            let known = newShape.filter { $0 != -1 }.reduce(1, *)
            check(known > 0 && count % known == 0, "\(op): shape \(newShape) is invalid for input of size \(count)")
            resolved[i] = count / known
        }
        check(
            Shape.count(resolved) == count,
            "\(op): shape \(newShape) is invalid for input of shape \(shape) (\(count) elements)")
        return resolved
    }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// This tensor broadcast to `target` (`x.expand(...)`; `-1` keeps a size), as a new tensor.
    ///
    /// Backward: the gradient summed back to this tensor's shape.
    public func expand(to target: [Int]) -> Tensor {
        check(target.count >= rank, "expand: cannot expand shape \(shape) to fewer dimensions \(target)")
        let target = target.enumerated().map { i, size in
            size == -1 && i >= target.count - rank ? shape[i - (target.count - rank)] : size
        }
        if target == shape { return self }
        let inputShape = shape
        return broadcastValues(to: target, op: "expand").recording("ExpandBackward", [self]) { g in
            [g.sum(toShape: inputShape)]
        }
    }
}
