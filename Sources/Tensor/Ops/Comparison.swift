infix operator .== : ComparisonPrecedence
infix operator .!= : ComparisonPrecedence
infix operator .< : ComparisonPrecedence
infix operator .<= : ComparisonPrecedence
infix operator .> : ComparisonPrecedence
infix operator .>= : ComparisonPrecedence

/// Elementwise comparisons, broadcasting, producing boolean masks (`x < y`, `x == 0`, `0.5 < x`
/// in PyTorch). Swift's `<` and `==` keep their usual meaning; the pointwise forms are dotted,
/// as for SIMD: `x .< y`, `x .== 0`, `0.5 .< x`. Equality is defined for every element type,
/// the orderings for the ordered ones (`Float`, `Double`, `Int`, `Int32`); NaN compares as in
/// IEEE 754 (unequal to everything, itself included).
extension Tensor {
    /// The mask of `lhs == rhs`, elementwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double) @_specialize(where Scalar == Int)
    public static func .== (lhs: Tensor, rhs: Tensor) -> Tensor<Bool> { lhs.zipWith(rhs, op: "eq") { $0 == $1 } }
    /// The mask of `lhs != rhs`, elementwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double) @_specialize(where Scalar == Int)
    public static func .!= (lhs: Tensor, rhs: Tensor) -> Tensor<Bool> { lhs.zipWith(rhs, op: "ne") { $0 != $1 } }
    /// The mask of elements equal to a scalar.
    public static func .== (lhs: Tensor, rhs: Scalar) -> Tensor<Bool> { lhs.map { $0 == rhs } }
    /// The mask of elements not equal to a scalar.
    public static func .!= (lhs: Tensor, rhs: Scalar) -> Tensor<Bool> { lhs.map { $0 != rhs } }
    /// The mask of elements equal to a scalar (scalar first).
    public static func .== (lhs: Scalar, rhs: Tensor) -> Tensor<Bool> { rhs .== lhs }
    /// The mask of elements not equal to a scalar (scalar first).
    public static func .!= (lhs: Scalar, rhs: Tensor) -> Tensor<Bool> { rhs .!= lhs }

    /// Whether both tensors have the same shape and equal elements (`torch.equal`).
    public func equal(_ other: Tensor) -> Bool {
        shape == other.shape && withUnsafeBufferPointer { a in other.withUnsafeBufferPointer { b in a.elementsEqual(b) } }
    }
}

extension Tensor where Scalar: Comparable {
    /// The mask of `lhs < rhs`, elementwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double) @_specialize(where Scalar == Int)
    public static func .< (lhs: Tensor, rhs: Tensor) -> Tensor<Bool> { lhs.zipWith(rhs, op: "lt") { $0 < $1 } }
    /// The mask of `lhs <= rhs`, elementwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double) @_specialize(where Scalar == Int)
    public static func .<= (lhs: Tensor, rhs: Tensor) -> Tensor<Bool> { lhs.zipWith(rhs, op: "le") { $0 <= $1 } }
    /// The mask of `lhs > rhs`, elementwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double) @_specialize(where Scalar == Int)
    public static func .> (lhs: Tensor, rhs: Tensor) -> Tensor<Bool> { lhs.zipWith(rhs, op: "gt") { $0 > $1 } }
    /// The mask of `lhs >= rhs`, elementwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double) @_specialize(where Scalar == Int)
    public static func .>= (lhs: Tensor, rhs: Tensor) -> Tensor<Bool> { lhs.zipWith(rhs, op: "ge") { $0 >= $1 } }

    /// The mask of elements less than a scalar.
    public static func .< (lhs: Tensor, rhs: Scalar) -> Tensor<Bool> { lhs.map { $0 < rhs } }
    /// The mask of elements at most a scalar.
    public static func .<= (lhs: Tensor, rhs: Scalar) -> Tensor<Bool> { lhs.map { $0 <= rhs } }
    /// The mask of elements greater than a scalar.
    public static func .> (lhs: Tensor, rhs: Scalar) -> Tensor<Bool> { lhs.map { $0 > rhs } }
    /// The mask of elements at least a scalar.
    public static func .>= (lhs: Tensor, rhs: Scalar) -> Tensor<Bool> { lhs.map { $0 >= rhs } }

    /// The mask of `lhs < rhs` for a scalar `lhs` (`0.5 < x` in PyTorch).
    public static func .< (lhs: Scalar, rhs: Tensor) -> Tensor<Bool> { rhs.map { lhs < $0 } }
    /// The mask of `lhs <= rhs` for a scalar `lhs`.
    public static func .<= (lhs: Scalar, rhs: Tensor) -> Tensor<Bool> { rhs.map { lhs <= $0 } }
    /// The mask of `lhs > rhs` for a scalar `lhs`.
    public static func .> (lhs: Scalar, rhs: Tensor) -> Tensor<Bool> { rhs.map { lhs > $0 } }
    /// The mask of `lhs >= rhs` for a scalar `lhs`.
    public static func .>= (lhs: Scalar, rhs: Tensor) -> Tensor<Bool> { rhs.map { lhs >= $0 } }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// `self` where `condition` holds, else `other`, broadcasting all three
    /// (`x.where(condition, other)`, i.e. `torch.where(condition, x, other)`).
    ///
    /// Backward: the gradient flows to `self` where the condition holds and to `other` elsewhere.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func `where`(_ condition: Tensor<Bool>, _ other: Tensor) -> Tensor {
        guard let shape3 = Shape.broadcast(shape, other.shape).flatMap({ Shape.broadcast($0, condition.shape) }) else {
            fatalError("where: shapes \(condition.shape), \(shape) and \(other.shape) cannot be broadcast together")
        }
        let mask = condition.broadcastValues(to: shape3, op: "where")
        let a = broadcastValues(to: shape3, op: "where").scalars, b = other.broadcastValues(to: shape3, op: "where").scalars
        let result = mask.map { _ in Scalar.zero }
        result.withUnsafeMutableBufferPointer { out in
            mask.withUnsafeBufferPointer { m in
                for i in 0..<out.count { out[i] = m[i] ? a[i] : b[i] }
            }
        }
        return result.recording("WhereBackward", [self, other]) { [self] g in
            let zero = Scalar.zero
            return [
                g.zipWith(mask, op: "where") { $1 ? $0 : zero }.sum(toShape: shape),
                g.zipWith(mask, op: "where") { $1 ? zero : $0 }.sum(toShape: other.shape),
            ]
        }
    }

    /// `self` where `condition` holds, else the scalar `other` (`torch.where(condition, x, other)`).
    ///
    /// Shape: `self` and `condition` broadcast together. Backward: the gradient where the condition holds.
    public func `where`(_ condition: Tensor<Bool>, _ other: Scalar) -> Tensor { self.where(condition, Tensor(scalar: other)) }

    /// `a` where `condition` holds, else `b`, broadcasting all three (`torch.where(condition, a, b)`).
    ///
    /// Backward: the gradient flows to `a` where the condition holds and to `b` elsewhere.
    public static func `where`(_ condition: Tensor<Bool>, _ a: Tensor, _ b: Tensor) -> Tensor { a.where(condition, b) }

    /// The scalar `a` where `condition` holds, else `b` (`torch.where(condition, a, b)`).
    ///
    /// Backward: the gradient flows to `b` where the condition does not hold.
    public static func `where`(_ condition: Tensor<Bool>, _ a: Scalar, _ b: Tensor) -> Tensor { Tensor(scalar: a).where(condition, b) }

    /// `a` where `condition` holds, else the scalar `b` (`torch.where(condition, a, b)`).
    ///
    /// Backward: the gradient flows to `a` where the condition holds.
    public static func `where`(_ condition: Tensor<Bool>, _ a: Tensor, _ b: Scalar) -> Tensor { a.where(condition, Tensor(scalar: b)) }

    /// The scalar `a` where `condition` holds, else `b`, with the condition's shape (`torch.where(condition, a, b)`).
    public static func `where`(_ condition: Tensor<Bool>, _ a: Scalar, _ b: Scalar) -> Tensor { condition.map { $0 ? a : b } }

    /// Whether every element is finite (no NaN or infinity).
    public var isFinite: Bool { withUnsafeBufferPointer { $0.allSatisfy { $0.isFinite } } }

    /// Whether the two tensors have equal shapes and every pair of elements satisfies
    /// |a - b| <= atol + rtol * |b| (`torch.allclose`).
    public func isClose(to other: Tensor, rtol: Scalar = 1e-5, atol: Scalar = 1e-8) -> Bool {
        guard shape == other.shape else { return false }
        let a = scalars, b = other.scalars
        for i in a.indices where a[i] != b[i] {
            let difference: Scalar = Swift.abs(a[i] - b[i])
            let tolerance: Scalar = atol + rtol * Swift.abs(b[i])
            if !(difference <= tolerance) { return false }
        }
        return true
    }
}

extension Tensor<Bool> {
    /// Elementwise logical and of two masks, broadcasting.
    public static func && (lhs: Tensor<Bool>, rhs: Tensor<Bool>) -> Tensor<Bool> { lhs.zipWith(rhs, op: "logical_and") { $0 && $1 } }
    /// Elementwise logical or of two masks, broadcasting.
    public static func || (lhs: Tensor<Bool>, rhs: Tensor<Bool>) -> Tensor<Bool> { lhs.zipWith(rhs, op: "logical_or") { $0 || $1 } }
    /// Elementwise logical and of two masks, broadcasting (`mask1 & mask2` in PyTorch).
    public static func & (lhs: Tensor<Bool>, rhs: Tensor<Bool>) -> Tensor<Bool> { lhs && rhs }
    /// Elementwise logical or of two masks, broadcasting (`mask1 | mask2` in PyTorch).
    public static func | (lhs: Tensor<Bool>, rhs: Tensor<Bool>) -> Tensor<Bool> { lhs || rhs }
    /// Elementwise exclusive or of two masks, broadcasting (`mask1 ^ mask2` in PyTorch).
    public static func ^ (lhs: Tensor<Bool>, rhs: Tensor<Bool>) -> Tensor<Bool> { lhs.zipWith(rhs, op: "logical_xor") { $0 != $1 } }
    /// Elementwise logical not.
    public static prefix func ! (mask: Tensor<Bool>) -> Tensor<Bool> { mask.map { !$0 } }
    /// Elementwise logical not (`~mask` in PyTorch).
    public static prefix func ~ (mask: Tensor<Bool>) -> Tensor<Bool> { !mask }
    /// The number of `true` elements.
    public var trueCount: Int { scalars.reduce(0) { $0 + ($1 ? 1 : 0) } }
}

/// PyTorch's logical functions, for every element type: an element is true when it is non-zero
/// (NaN included), as in `torch.logical_and`.
extension Tensor {
    /// Elementwise `self != 0 and other != 0`, broadcasting (`torch.logical_and`).
    public func logicalAnd(_ other: Tensor) -> Tensor<Bool> { zipWith(other, op: "logical_and") { $0 != .zero && $1 != .zero } }
    /// Elementwise `self != 0 or other != 0`, broadcasting (`torch.logical_or`).
    public func logicalOr(_ other: Tensor) -> Tensor<Bool> { zipWith(other, op: "logical_or") { $0 != .zero || $1 != .zero } }
    /// Elementwise exclusive or of `self != 0` and `other != 0`, broadcasting (`torch.logical_xor`).
    public func logicalXor(_ other: Tensor) -> Tensor<Bool> { zipWith(other, op: "logical_xor") { ($0 != .zero) != ($1 != .zero) } }
    /// Elementwise `self == 0` (`torch.logical_not`).
    public func logicalNot() -> Tensor<Bool> { map { $0 == .zero } }

    /// Whether any element is non-zero, as a 0-d mask (`x.any()`; false for an empty tensor).
    public func any() -> Tensor<Bool> { Tensor<Bool>(scalar: withUnsafeBufferPointer { $0.contains { $0 != .zero } }) }

    /// Whether every element is non-zero, as a 0-d mask (`x.all()`; true for an empty tensor).
    public func all() -> Tensor<Bool> { Tensor<Bool>(scalar: withUnsafeBufferPointer { $0.allSatisfy { $0 != .zero } }) }

    /// Whether any element along `axis` is non-zero (`x.any(dim, keepdim)`).
    ///
    /// Shape: the input's without `axis` (kept as 1 with `keepDim`).
    public func any(axis: Int, keepDim: Bool = false) -> Tensor<Bool> {
        reduceTruth(axis: axis, keepDim: keepDim, op: "any", initial: false) { $0 || $1 }
    }

    /// Whether every element along `axis` is non-zero (`x.all(dim, keepdim)`).
    ///
    /// Shape: the input's without `axis` (kept as 1 with `keepDim`).
    public func all(axis: Int, keepDim: Bool = false) -> Tensor<Bool> {
        reduceTruth(axis: axis, keepDim: keepDim, op: "all", initial: true) { $0 && $1 }
    }

    /// Folds the truth of the elements along `axis` with `combine`, starting from `initial`.
    private func reduceTruth(axis: Int, keepDim: Bool, op: String, initial: Bool, _ combine: (Bool, Bool) -> Bool) -> Tensor<Bool> {
        let axis = normalizedAxis(axis, rank: rank, op: op)
        guard rank > 0 else { return Tensor<Bool>(scalar: combine(initial, item != .zero)) }
        let (outer, size, inner) = Shape.split(shape, at: axis)
        var result = [Bool](repeating: initial, count: outer * inner)
        withUnsafeBufferPointer { x in
            for o in 0..<outer {
                for k in 0..<size {
                    for i in 0..<inner { result[o * inner + i] = combine(result[o * inner + i], x[(o * size + k) * inner + i] != .zero) }
                }
            }
        }
        var resultShape = shape
        if keepDim { resultShape[axis] = 1 } else { resultShape.remove(at: axis) }
        return Tensor<Bool>(shape: resultShape, scalars: result)
    }

    /// A copy with `value` wherever `mask` is true (`x.masked_fill(mask, value)`).
    ///
    /// Shapes: `mask` broadcasts to the input's shape, which the result keeps.
    /// Backward: the gradient where the mask is false, zero where it was filled.
    /// - Precondition: `mask` broadcasts to the input's shape.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func maskedFill(_ mask: Tensor<Bool>, _ value: Scalar) -> Tensor {
        let full = mask.broadcastValues(to: shape, op: "maskedFill")
        let zero = Scalar.zero
        return zipWith(full, op: "maskedFill") { $1 ? value : $0 }
            .recording("MaskedFillBackward", [self]) { g in [g.zipWith(full, op: "maskedFill") { $1 ? zero : $0 }] }
    }
}
