import Tensor

/// Sums in the order of PyTorch's `nll_loss` reduction (ATen, LossNLL.cpp), so that a loss
/// agrees with PyTorch's to the last bit. Each element is added to the first of eight partial
/// sums; then, for j = 0, 1, ... while 16^(j+1) divides the element's index, level j passes its
/// sum up to level j + 1 (16 is PyTorch's step below 2^32 elements). The levels are added last,
/// lowest first.
enum CascadeSum {
    /// Σ value(m) over m in 0..<count where !skipped(m), in PyTorch's order.
    @inline(__always)
    static func sum<Scalar: TensorFloatingPoint>(
        count: Int, skipped: (Int) -> Bool, _ value: (Int) -> Scalar
    ) -> Scalar {
        let levels = 8
        let ceilLog2 = count > 1 ? Int.bitWidth - (count - 1).leadingZeroBitCount : 0
        let levelBits = Swift.max(4, ceilLog2 / levels)
        let mask = (1 << levelBits) - 1
        var partial = [Scalar](repeating: 0, count: levels)
        for m in 0..<count where !skipped(m) {
            partial[0] += value(m)
            for j in 0..<(levels - 1) {
                if m & (mask << (j * levelBits)) != 0 { break }
                partial[j + 1] += partial[j]
                partial[j] = 0
            }
        }
        var total: Scalar = 0
        for level in partial { total += level }
        return total
    }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// The sum of this 1-d tensor's elements, leaving out those where `skipped[m]`, added in
    /// PyTorch's `nll_loss` order (``CascadeSum``).
    ///
    /// Shape: `[]`. Backward: g at every element (left-out ones included, as for ``sum()``).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func cascadeSum(skipping skipped: [Bool]) -> Tensor {
        check(rank == 1 && skipped.count == shape[0], "cascadeSum: expected a 1-d tensor and a flag per element, got shape \(shape) and \(skipped.count) flags")
        let total = withUnsafeBufferPointer { x in CascadeSum.sum(count: x.count, skipped: { skipped[$0] }) { x[$0] } }
        let inputShape = shape
        return Tensor(scalar: total).recording("SumBackward", [self]) { g in [g.expand(to: inputShape)] }
    }
}
