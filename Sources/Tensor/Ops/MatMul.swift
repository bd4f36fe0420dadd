/// Matrix products with PyTorch's `torch.matmul` rules.
extension Tensor where Scalar: TensorFloatingPoint {
    /// The matrix product (`a @ b`, `torch.matmul`):
    ///
    /// - 1-d · 1-d: the dot product, a 0-d tensor;
    /// - 2-d · 2-d: `[m, k] · [k, n] -> [m, n]`;
    /// - 1-d · n-d: the vector is treated as `[1, k]` and the 1 removed; n-d · 1-d likewise as `[k, 1]`;
    /// - n-d · n-d: a batch of matrix products over the leading dimensions, which broadcast:
    ///   `[b, 1, m, k] · [c, k, n] -> [b, c, m, n]`.
    ///
    /// Backward: dA = g · Bᵀ, dB = Aᵀ · g (summed over broadcast batch dimensions).
    public func matmul(_ other: Tensor) -> Tensor {
        check(
            rank >= 1 && other.rank >= 1 && shape[rank - 1] == other.shape[Swift.max(other.rank - 2, 0)],
            "matmul: shapes \(shape) and \(other.shape) cannot be multiplied")
        let a = rank == 1 ? unsqueeze(0) : self
        let b = other.rank == 1 ? other.unsqueeze(1) : other
        var result = a.batchedMatmul(b)
        if rank == 1 { result = result.squeeze(-2) }
        if other.rank == 1 { result = result.squeeze(-1) }
        return result
    }

    /// The matrix product; see ``matmul(_:)``.
    public static func • (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.matmul(rhs) }

    /// The matrix product of operands of rank >= 2, broadcasting the batch dimensions.
    private func batchedMatmul(_ other: Tensor) -> Tensor {
        let result = Tensor.product(self, transposed: false, other, transposed: false)
        return result.recording("MatmulBackward", [self, other]) { [self] g in
            [
                requiresGrad ? Tensor.product(g, transposed: false, other, transposed: true).sum(toShape: shape) : nil,
                other.requiresGrad
                    ? Tensor.product(self, transposed: true, g, transposed: false).sum(toShape: other.shape) : nil,
            ]
        }
    }

    /// op(a) · op(b) for operands of rank >= 2 (op = transpose of the last two dimensions when
    /// requested), broadcasting batch dimensions; no graph is recorded.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    static func product(_ a: Tensor, transposed transA: Bool, _ b: Tensor, transposed transB: Bool) -> Tensor {
        let (ra, rb) = (a.rank, b.rank)
        let m = transA ? a.shape[ra - 1] : a.shape[ra - 2]
        let k = transA ? a.shape[ra - 2] : a.shape[ra - 1]
        let kb = transB ? b.shape[rb - 1] : b.shape[rb - 2]
        let n = transB ? b.shape[rb - 2] : b.shape[rb - 1]
        check(k == kb, "matmul: shapes \(a.shape) and \(b.shape) cannot be multiplied")
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
        guard let batch = Shape.broadcast(batchA, batchB) else {
            fatalError("matmul: batch dimensions of \(a.shape) and \(b.shape) cannot be broadcast together")
        }
        let batches = Shape.count(batch)
        let offsetsA = Shape.broadcastStrides(batchA, to: batch), offsetsB = Shape.broadcastStrides(batchB, to: batch)
        let batchStrides = Shape.strides(batch)
        guard batches * m * n > 0, k > 0 else {
            return zeros(batch + [m, n])
        }
        // Every product writes its whole block (beta = 0), so the result starts uninitialised.
        let values = TensorStorage<Scalar>(count: batches * m * n) { pc in
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    for index in 0..<batches {
                        var ia = 0, ib = 0, rest = index
                        for d in batch.indices {
                            let i = rest / batchStrides[d]
                            rest %= batchStrides[d]
                            ia += i * offsetsA[d]
                            ib += i * offsetsB[d]
                        }
                        GEMM.multiply(
                            transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1,
                            a: pa.baseAddress! + ia * m * k, lda: transA ? m : k,
                            b: pb.baseAddress! + ib * k * n, ldb: transB ? k : n,
                            beta: 0, c: pc.baseAddress! + index * m * n, ldc: n)
                    }
                }
            }
        }
        return Tensor(shape: batch + [m, n], storage: values)
    }
}

infix operator • : MultiplicationPrecedence

