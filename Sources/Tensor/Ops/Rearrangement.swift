/// Operations that rearrange or repeat elements: `flip`, `roll`, `repeat`, `tile`, `movedim`,
/// `swapaxes`, `unflatten`. Each result is a new tensor; the backward adds the gradient back at
/// the positions each element came from (repeated elements accumulate).
extension Tensor {
    /// The elements in reverse order along each of `axes` (`x.flip(dims)`).
    ///
    /// Shape: unchanged. Backward: `FlipBackward`, the gradient flipped back.
    public func flip(_ axes: [Int]) -> Tensor {
        let flipped = Set(axes.map { normalizedAxis($0, rank: rank, op: "flip") })
        check(flipped.count == axes.count, "flip: dims \(axes) has a repeated dimension")
        let strides = Shape.strides(shape)
        let offsets = offsets(of: shape) { index in
            var offset = 0
            for d in index.indices { offset += (flipped.contains(d) ? shape[d] - 1 - index[d] : index[d]) * strides[d] }
            return offset
        }
        return reading(offsets: offsets, shape: shape, name: "FlipBackward")
    }

    /// The elements in reverse order along each axis given (variadic form: `x.flip(0, 1)`).
    public func flip(_ axes: Int...) -> Tensor { flip(axes) }

    /// The elements shifted cyclically by `shifts[i]` along `axes[i]` (`x.roll(shifts, dims)`):
    /// element j moves to (j + shift) mod size. With no axes, the flattened tensor is rolled by
    /// the single shift and the shape restored.
    ///
    /// Backward: `RollBackward`, the gradient rolled back.
    /// - Precondition: as many shifts as axes (one shift when no axes are given).
    public func roll(_ shifts: [Int], axes: [Int] = []) -> Tensor {
        if axes.isEmpty {
            check(shifts.count == 1, "roll: expected one shift without dims, got \(shifts)")
            return reshape([-1]).roll(shifts, axes: [0]).reshape(shape)
        }
        check(shifts.count == axes.count, "roll: shifts \(shifts) and dims \(axes) should have the same length")
        var shift = [Int](repeating: 0, count: rank)
        for (s, axis) in zip(shifts, axes) { shift[normalizedAxis(axis, rank: rank, op: "roll")] += s }
        let strides = Shape.strides(shape)
        let offsets = offsets(of: shape) { index in
            var offset = 0
            for d in index.indices {
                let size = shape[d]
                let from = size == 0 ? 0 : ((index[d] - shift[d]) % size + size) % size
                offset += from * strides[d]
            }
            return offset
        }
        return reading(offsets: offsets, shape: shape, name: "RollBackward")
    }

    /// The elements shifted cyclically by `shift` along `axis` (`x.roll(shift, dim)`).
    public func roll(_ shift: Int, axis: Int) -> Tensor { roll([shift], axes: [axis]) }

    /// The tensor repeated `counts[d]` times along each dimension (`x.repeat(*sizes)`); with more
    /// counts than dimensions, size-1 dimensions are added in front first.
    ///
    /// Shape: `shape[d] * counts[d]` (after the leading 1s). Backward: `RepeatBackward`, the
    /// gradients of the copies summed.
    /// - Precondition: `counts.count >= rank` and every count is non-negative.
    public func `repeat`(_ counts: [Int]) -> Tensor {
        check(
            counts.count >= rank && counts.allSatisfy { $0 >= 0 },
            "repeat: number of repeat dims \(counts) can not be smaller than number of tensor dims \(rank)")
        let inner = [Int](repeating: 1, count: counts.count - rank) + shape
        let strides = Shape.strides(inner)
        let resultShape = zip(inner, counts).map { $0 * $1 }
        let offsets = offsets(of: resultShape) { index in
            var offset = 0
            for d in index.indices { offset += (index[d] % inner[d]) * strides[d] }
            return offset
        }
        return reading(offsets: offsets, shape: resultShape, name: "RepeatBackward")
    }

    /// The tensor repeated along each dimension (variadic form: `x.repeat(2, 1)`).
    public func `repeat`(_ counts: Int...) -> Tensor { self.repeat(counts) }

    /// The tensor repeated `counts[d]` times along each dimension (`torch.tile`): like
    /// ``repeat(_:)``, but fewer counts than dimensions are padded with 1s in front.
    public func tile(_ counts: [Int]) -> Tensor {
        self.repeat([Int](repeating: 1, count: Swift.max(0, rank - counts.count)) + counts)
    }

    /// Dimensions `axis0` and `axis1` exchanged (`x.swapaxes(a, b)`, `x.swapdims`, `x.transpose`).
    public func swapAxes(_ axis0: Int, _ axis1: Int) -> Tensor { transposed(axis0, axis1) }

    /// The dimensions `source` moved to positions `destination`, the others keeping their
    /// order (`torch.movedim(x, source, destination)`).
    /// - Precondition: as many sources as destinations, each list without repeats.
    public func movedim(_ source: [Int], _ destination: [Int]) -> Tensor {
        check(source.count == destination.count, "movedim: invalid source or destination dims: source \(source) and destination \(destination)")
        let from = source.map { normalizedAxis($0, rank: rank, op: "movedim") }
        let to = destination.map { normalizedAxis($0, rank: rank, op: "movedim") }
        check(Set(from).count == from.count && Set(to).count == to.count, "movedim: repeated dim in source \(source) or destination \(destination)")
        var order = [Int](repeating: -1, count: rank)
        for (f, t) in zip(from, to) { order[t] = f }
        var rest = (0..<rank).filter { !from.contains($0) }.makeIterator()
        for d in order.indices where order[d] == -1 { order[d] = rest.next()! }
        return permute(order)
    }

    /// Dimension `source` moved to position `destination` (`torch.movedim(x, 0, -1)`).
    public func movedim(_ source: Int, _ destination: Int) -> Tensor { movedim([source], [destination]) }

    /// Dimension `axis` split into `sizes` (`x.unflatten(dim, sizes)`); one size may be -1.
    public func unflatten(axis: Int, sizes: [Int]) -> Tensor {
        let axis = normalizedAxis(axis, rank: rank, op: "unflatten")
        return reshape(Array(shape[..<axis]) + sizes + Array(shape[(axis + 1)...]))
    }
}

/// Triangular parts of matrices (the last two dimensions): `tril` and `triu`.
extension Tensor {
    /// The lower triangle: elements with column - row <= `diagonal` kept, the rest zero
    /// (`torch.tril(x, diagonal)`); applied to each matrix of a batch.
    ///
    /// Backward: the gradient's lower triangle.
    /// - Precondition: rank >= 2.
    public func tril(diagonal: Int = 0) -> Tensor { triangle(op: "tril") { column, row in column - row > diagonal } }

    /// The upper triangle: elements with column - row >= `diagonal` kept, the rest zero
    /// (`torch.triu(x, diagonal)`); applied to each matrix of a batch.
    ///
    /// Backward: the gradient's upper triangle.
    /// - Precondition: rank >= 2.
    public func triu(diagonal: Int = 0) -> Tensor { triangle(op: "triu") { column, row in column - row < diagonal } }

    /// `self` with zeros where `cleared(column, row)` holds, over the last two dimensions.
    private func triangle(op: String, _ cleared: (Int, Int) -> Bool) -> Tensor {
        check(rank >= 2, "\(op): input tensor must have at least 2 dimensions, got shape \(shape)")
        let rows = shape[rank - 2], columns = shape[rank - 1]
        let mask = Tensor<Bool>(shape: [rows, columns], scalars: (0..<(rows * columns)).map { cleared($0 % columns, $0 / columns) })
        return maskedFill(mask, .zero)
    }
}
