/// PyTorch's named matrix and vector products, each a checked form of ``Tensor/matmul(_:)``.
extension Tensor where Scalar: TensorFloatingPoint {
    /// The product of two matrices (`torch.mm`): `[n, k] · [k, m] -> [n, m]`.
    /// - Precondition: both are 2-d with matching inner sizes.
    public func mm(_ other: Tensor) -> Tensor {
        check(rank == 2 && other.rank == 2, "mm: expected two 2-d tensors, got shapes \(shape) and \(other.shape)")
        return matmul(other)
    }

    /// Batched matrix products (`torch.bmm`): `[b, n, k] · [b, k, m] -> [b, n, m]`, no broadcasting.
    /// - Precondition: both are 3-d with equal batch sizes and matching inner sizes.
    public func bmm(_ other: Tensor) -> Tensor {
        check(
            rank == 3 && other.rank == 3 && shape[0] == other.shape[0],
            "bmm: expected two 3-d tensors with equal batch sizes, got shapes \(shape) and \(other.shape)")
        return matmul(other)
    }

    /// A matrix times a vector (`torch.mv`): `[n, k] · [k] -> [n]`.
    /// - Precondition: a 2-d and a 1-d tensor with matching sizes.
    public func mv(_ vector: Tensor) -> Tensor {
        check(rank == 2 && vector.rank == 1, "mv: expected a 2-d and a 1-d tensor, got shapes \(shape) and \(vector.shape)")
        return matmul(vector)
    }

    /// The dot product of two vectors (`torch.dot`), a 0-d tensor.
    /// - Precondition: two 1-d tensors of equal length.
    public func dot(_ other: Tensor) -> Tensor {
        check(
            rank == 1 && other.rank == 1 && count == other.count,
            "dot: expected two 1-d tensors of equal length, got shapes \(shape) and \(other.shape)")
        return matmul(other)
    }

    /// The outer product of two vectors (`torch.outer`): `[n] ⊗ [m] -> [n, m]`, out[i, j] = a[i] b[j].
    /// - Precondition: two 1-d tensors.
    public func outer(_ other: Tensor) -> Tensor {
        check(rank == 1 && other.rank == 1, "outer: expected two 1-d tensors, got shapes \(shape) and \(other.shape)")
        return unsqueeze(1) * other.unsqueeze(0)
    }

    /// `base` raised to each element (`torch.pow(base, x)`, `base ** x`).
    ///
    /// d/dx = base^x log(base); 0 where base is 0 and x >= 0, as in PyTorch.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func pow(_ base: Scalar, _ exponent: Tensor) -> Tensor {
        let result = exponent.map { Scalar.pow(base, $0) }
        let saved = result.detach()
        let logBase = Scalar.log(base)
        return result.recording("PowBackward", [exponent]) { g in
            [g.zipWith(saved, op: "pow") { $0 * $1 * logBase }.zipWith(exponent, op: "pow") { base == 0 && $1 >= 0 ? 0 : $0 }]
        }
    }
}
