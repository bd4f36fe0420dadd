/// A mask for ``Tensor/scaledDotProductAttention(query:key:value:mask:isCausal:dropoutP:scale:generator:)``
/// (`attn_mask` of `F.scaled_dot_product_attention`), broadcastable to `[..., L, S]`.
public enum AttentionMask<Scalar: TensorFloatingPoint> {
    /// `true` where a query may attend to a key; `false` positions get probability 0.
    case allowed(Tensor<Bool>)
    /// Added to the scaled scores before the softmax (`-infinity` blocks a position).
    case additive(Tensor<Scalar>)
}

/// Scaled dot-product attention as one differentiable operation with its own backward.
extension Tensor where Scalar: TensorFloatingPoint {
    /// softmax(Q Kᵀ · scale + mask) V for every batch index (`F.scaled_dot_product_attention(query,
    /// key, value, attn_mask, dropout_p, is_causal, scale)`).
    ///
    /// Shapes: `query` `[..., L, E]`, `key` `[..., S, E]`, `value` `[..., S, Ev]` with the same
    /// leading dimensions (heads are a batch dimension); the result is `[..., L, Ev]`.
    ///
    /// - `mask`: see ``AttentionMask``, broadcast to `[..., L, S]`; a query row whose every key is
    ///   masked gets zero probabilities (a zero output and zero gradients), as in PyTorch.
    /// - `isCausal`: query i attends to keys 0...i (the lower triangle of an L × S matrix,
    ///   aligned top-left); not together with `mask`.
    /// - `dropoutP`: the probabilities are dropped with this probability and the kept ones
    ///   scaled by 1 / (1 - p), with masks drawn from `generator` (PyTorch's distribution, not
    ///   its stream). Pass 0 in evaluation.
    /// - `scale`: 1 / √E when `nil`.
    ///
    /// Each batch index runs as a few ``GEMM`` products on one of the kernel threads (see
    /// ``AttentionKernels``). The probabilities P are saved for backward: with D the dropout
    /// mask and G the output's gradient, dV = (P·D)ᵀ G, dP = (G Vᵀ)·D, dS = P·(dP - rowsum(dP·P)),
    /// dQ = scale · dS K, dK = scale · dSᵀ Q. The mask gets no gradient.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func scaledDotProductAttention(
        query: Tensor, key: Tensor, value: Tensor, mask: AttentionMask<Scalar>? = nil, isCausal: Bool = false,
        dropoutP: Double = 0, scale: Scalar? = nil, generator: Generator = .default
    ) -> Tensor {
        let op = "scaledDotProductAttention"
        let r = query.rank
        check(
            r >= 2 && key.rank == r && value.rank == r
                && query.shape.dropLast(2) == key.shape.dropLast(2) && key.shape.dropLast(2) == value.shape.dropLast(2)
                && query.shape[r - 1] == key.shape[r - 1] && key.shape[r - 2] == value.shape[r - 2],
            "\(op): query \(query.shape), key \(key.shape) and value \(value.shape) do not fit [..., L, E], [..., S, E], [..., S, Ev]")
        check(mask == nil || !isCausal, "\(op): an explicit mask must not be set when isCausal is true")
        check(dropoutP >= 0 && dropoutP <= 1, "\(op): dropoutP has to be between 0 and 1, but got \(dropoutP)")
        let batchShape = Array(query.shape.dropLast(2))
        let kernels = AttentionKernels<Scalar>(
            batches: Shape.count(batchShape), l: query.shape[r - 2], s: key.shape[r - 2],
            e: query.shape[r - 1], ev: value.shape[r - 1],
            scale: scale ?? 1 / Scalar(query.shape[r - 1]).squareRoot(), isCausal: isCausal)
        let scoreShape = [kernels.batches, kernels.l, kernels.s]
        let additive = mask.map { additiveMask($0, to: batchShape + [kernels.l, kernels.s], op: op) }
        let keep = dropoutP > 0 ? dropoutMask(scoreShape, p: dropoutP, generator: generator) : nil
        let probabilities = Tensor(shape: scoreShape) { $0.initialize(repeating: 0) }
        let output = Tensor(shape: batchShape + [kernels.l, kernels.ev]) { $0.initialize(repeating: 0) }
        kernels.forward(
            query: query.storage.base, key: key.storage.base, value: value.storage.base,
            mask: additive?.storage.base, keep: keep?.storage.base,
            probabilities: probabilities.storage.base, output: output.storage.base)
        withExtendedLifetime((additive, query, key, value)) {}
        return output.recording("ScaledDotProductAttentionBackward", [query, key, value]) { g in
            let dq = zeros(query.shape), dk = zeros(key.shape), dv = zeros(value.shape)
            kernels.backward(
                query: query.storage.base, key: key.storage.base, value: value.storage.base,
                keep: keep?.storage.base, probabilities: probabilities.storage.base, gradient: g.storage.base,
                queryGradient: dq.storage.base, keyGradient: dk.storage.base, valueGradient: dv.storage.base)
            withExtendedLifetime((keep, probabilities, g)) {}
            return [query.requiresGrad ? dq : nil, key.requiresGrad ? dk : nil, value.requiresGrad ? dv : nil]
        }
    }

    /// `mask` as additive values of shape `target` (`false` becomes -infinity).
    private static func additiveMask(_ mask: AttentionMask<Scalar>, to target: [Int], op: String) -> Tensor {
        let values: Tensor
        switch mask {
        case .allowed(let allowed): values = allowed.map { $0 ? Scalar(0) : -Scalar.infinity }
        case .additive(let additive): values = additive.detach()
        }
        check(
            Shape.broadcast(values.shape, target) == target,
            "\(op): mask of shape \(values.shape) cannot be broadcast to \(target)")
        return values.broadcastValues(to: target, op: op)
    }

    /// 1 / (1 - p) with probability 1 - p, else 0: the distribution of ``dropout``'s masks.
    static func dropoutMask(_ shape: [Int], p: Double, generator: Generator) -> Tensor {
        let keep = 1 - p, scale = p == 1 ? 0 : Scalar(1 / keep)
        let draws = Tensor<Double>.uniform(shape, generator: generator).scalars
        return Tensor(shape: shape, scalars: draws.map { $0 < keep ? scale : 0 })
    }
}
