/// The affine map of a linear layer, as one graph node.
extension Tensor where Scalar: TensorFloatingPoint {
    /// `self · weightᵀ + bias` for a matrix `self` (ATen's `linear`, which `F.linear` runs),
    /// reading `weight` in place: neither the transpose nor the broadcast bias is materialised.
    ///
    /// Shapes: `self` `[rows, in]`, `weight` `[out, in]`, `bias` `[out]`; result `[rows, out]`.
    /// Each element is the product's sum plus the bias, rounded as `x.matmul(weight.T) + bias`
    /// rounds it. Backward: d self = g · weight, d weight = gᵀ · self, d bias = Σ_rows g.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func linear(weight: Tensor, bias: Tensor? = nil) -> Tensor {
        check(
            rank == 2 && weight.rank == 2 && shape[1] == weight.shape[1],
            "linear: input of shape \(shape) does not match weight of shape \(weight.shape)")
        let (rows, outputs) = (shape[0], weight.shape[0])
        if let bias {
            check(bias.shape == [outputs], "linear: bias of shape \(bias.shape) does not match weight of shape \(weight.shape)")
        }
        let result = Tensor.product(self, transposed: false, weight, transposed: true)
        if let bias {
            result.withUnsafeMutableBufferPointer { y in
                bias.withUnsafeBufferPointer { b in
                    // Row by row through pointers: indexed as y[row · outputs + o], the overflow
                    // checks kept this loop scalar. Rows split over the threads when large (a
                    // serial pass left the other core idle).
                    guard let y = y.baseAddress, let b = b.baseAddress else { return }
                    let (output, bias) = (GEMM.WritePointer(y), GEMM.ReadPointer(b))
                    parallelForRows(rows, width: outputs) { range in
                        for row in range {
                            let yRow = output.pointer + row * outputs
                            for o in 0..<outputs { yRow[o] += bias.pointer[o] }
                        }
                    }
                }
            }
        }
        let inputs = bias.map { [self, weight, $0] } ?? [self, weight]
        return result.recording(bias == nil ? "MmBackward" : "AddmmBackward", inputs) { [self] g in
            var gradients = [
                requiresGrad ? Tensor.product(g, transposed: false, weight, transposed: false) : nil,
                weight.requiresGrad ? Tensor.product(g, transposed: true, self, transposed: false) : nil,
            ]
            if let bias {
                // Σ_rows g, added as sum(axes: [0]) adds, without its general axis bookkeeping.
                gradients.append(bias.requiresGrad ? g.withUnsafeBufferPointer { Tensor.columnSums($0, rows: rows, width: outputs) } : nil)
            }
            return gradients
        }
    }
}
