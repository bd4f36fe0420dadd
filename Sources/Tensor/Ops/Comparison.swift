infix operator .== : ComparisonPrecedence
infix operator .!= : ComparisonPrecedence
infix operator .< : ComparisonPrecedence
infix operator .<= : ComparisonPrecedence
infix operator .> : ComparisonPrecedence
infix operator .>= : ComparisonPrecedence

/// Elementwise comparisons, broadcasting, producing boolean masks (`x < y`, `x == 0` in PyTorch).
/// Swift's `<` and `==` keep their usual meaning; the pointwise forms are dotted, as for SIMD.
extension Tensor where Scalar: TensorFloatingPoint {
    /// The mask of `lhs == rhs`, elementwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func .== (lhs: Tensor, rhs: Tensor) -> Tensor<Bool> { lhs.zipWith(rhs, op: "eq") { $0 == $1 } }
    /// The mask of `lhs != rhs`, elementwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func .!= (lhs: Tensor, rhs: Tensor) -> Tensor<Bool> { lhs.zipWith(rhs, op: "ne") { $0 != $1 } }
    /// The mask of `lhs < rhs`, elementwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func .< (lhs: Tensor, rhs: Tensor) -> Tensor<Bool> { lhs.zipWith(rhs, op: "lt") { $0 < $1 } }
    /// The mask of `lhs <= rhs`, elementwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func .<= (lhs: Tensor, rhs: Tensor) -> Tensor<Bool> { lhs.zipWith(rhs, op: "le") { $0 <= $1 } }
    /// The mask of `lhs > rhs`, elementwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func .> (lhs: Tensor, rhs: Tensor) -> Tensor<Bool> { lhs.zipWith(rhs, op: "gt") { $0 > $1 } }
    /// The mask of `lhs >= rhs`, elementwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func .>= (lhs: Tensor, rhs: Tensor) -> Tensor<Bool> { lhs.zipWith(rhs, op: "ge") { $0 >= $1 } }

    /// The mask of elements equal to a scalar.
    public static func .== (lhs: Tensor, rhs: Scalar) -> Tensor<Bool> { lhs.map { $0 == rhs } }
    /// The mask of elements not equal to a scalar.
    public static func .!= (lhs: Tensor, rhs: Scalar) -> Tensor<Bool> { lhs.map { $0 != rhs } }
    /// The mask of elements less than a scalar.
    public static func .< (lhs: Tensor, rhs: Scalar) -> Tensor<Bool> { lhs.map { $0 < rhs } }
    /// The mask of elements at most a scalar.
    public static func .<= (lhs: Tensor, rhs: Scalar) -> Tensor<Bool> { lhs.map { $0 <= rhs } }
    /// The mask of elements greater than a scalar.
    public static func .> (lhs: Tensor, rhs: Scalar) -> Tensor<Bool> { lhs.map { $0 > rhs } }
    /// The mask of elements at least a scalar.
    public static func .>= (lhs: Tensor, rhs: Scalar) -> Tensor<Bool> { lhs.map { $0 >= rhs } }

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
    /// Elementwise logical not.
    public static prefix func ! (mask: Tensor<Bool>) -> Tensor<Bool> { mask.map { !$0 } }
    /// The number of `true` elements.
    public var trueCount: Int { scalars.reduce(0) { $0 + ($1 ? 1 : 0) } }
}
