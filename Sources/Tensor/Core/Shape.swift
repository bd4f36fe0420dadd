/// Shape arithmetic shared by the operations: element counts, strides and broadcasting.
@usableFromInline
enum Shape {
    /// The number of elements of a tensor of this shape.
    @usableFromInline
    static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// Row-major strides: `strides[i]` is the distance between consecutive indices of dimension i.
    @usableFromInline
    static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for i in shape.indices.reversed() {
            strides[i] = step
            step *= shape[i]
        }
        return strides
    }

    /// The shape two operands broadcast to under NumPy/PyTorch rules, or `nil` if they do not.
    ///
    /// Shapes are aligned at their trailing dimensions; each pair must be equal or contain a 1.
    @usableFromInline
    static func broadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = Swift.max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let x = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let y = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            guard x == y || x == 1 || y == 1 else { return nil }
            result[i] = x == 1 ? y : x
        }
        return result
    }

    /// Strides for reading a tensor of `shape` as if it had the (broadcast) shape `target`:
    /// 0 along every broadcast dimension.
    @usableFromInline
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = strides(shape)
        let offset = target.count - shape.count
        return target.indices.map { i in
            i < offset || shape[i - offset] == 1 ? 0 : own[i - offset]
        }
    }

    /// Splits `shape` around `axis` into (outer, size, inner) element counts, so that element
    /// `[o, k, i]` of the 3-d view sits at `(o * size + k) * inner + i`.
    @usableFromInline
    static func split(_ shape: [Int], at axis: Int) -> (outer: Int, size: Int, inner: Int) {
        (count(Array(shape[..<axis])), shape[axis], count(Array(shape[(axis + 1)...])))
    }
}
