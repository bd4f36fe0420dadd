/// Arithmetic on integer tensors (`Int`, `Int32`): index arithmetic such as `idx + 1` or
/// `idx % n`, elementwise with broadcasting, outside the graph (integers have no gradient).
extension Tensor where Scalar: BinaryInteger {
    /// The elementwise sum, broadcasting.
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.zipWith(rhs, op: "add") { $0 + $1 } }
    /// The elementwise difference, broadcasting.
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.zipWith(rhs, op: "sub") { $0 - $1 } }
    /// The elementwise product, broadcasting.
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.zipWith(rhs, op: "mul") { $0 * $1 } }
    /// Each element plus a scalar.
    public static func + (lhs: Tensor, rhs: Scalar) -> Tensor { lhs.map { $0 + rhs } }
    /// Each element minus a scalar.
    public static func - (lhs: Tensor, rhs: Scalar) -> Tensor { lhs.map { $0 - rhs } }
    /// Each element times a scalar.
    public static func * (lhs: Tensor, rhs: Scalar) -> Tensor { lhs.map { $0 * rhs } }

    /// The remainder of each element divided by `divisor`, with the divisor's sign, as Python's
    /// `%` (`torch.remainder`, `x % n` in PyTorch): `Tensor<Int>([-1, 5]) % 3` is `[2, 2]`.
    /// - Precondition: `divisor != 0`.
    public func remainder(_ divisor: Scalar) -> Tensor {
        check(divisor != 0, "remainder: division by zero")
        return map { value in
            let r = value % divisor
            return r != 0 && (r < 0) != (divisor < 0) ? r + divisor : r
        }
    }

    /// The remainder with the divisor's sign, as Python's `%` (see ``remainder(_:)``).
    public static func % (lhs: Tensor, rhs: Scalar) -> Tensor { lhs.remainder(rhs) }
}
