/// Multi-head self-attention read straight from a packed query-key-value projection, as one
/// differentiable operation.
extension Tensor where Scalar: TensorFloatingPoint {
    /// Scaled dot-product attention of every head of a `[B, T, 3C]` projection, the heads'
    /// outputs side by side in `[B, T, C]`: exactly
    ///
    ///     let (q, k, v) = qkv.split(size: C, axis: 2) reshaped to [B, T, heads, C / heads]
    ///                     and permuted to [B, heads, T, C / heads]
    ///     scaledDotProductAttention(q, k, v, isCausal:, dropoutP:, scale:, generator:)
    ///         .permute(0, 2, 1, 3).reshape(B, T, C)
    ///
    /// (nanoGPT's `CausalSelfAttention` between `c_attn` and `c_proj`), the same numbers and the
    /// same dropout draws, but without the split, the permutes and their copies: each (batch,
    /// head) problem reads its queries, keys and values in place (rows 3C apart) and writes its
    /// output, and in backward its gradients, in place.
    ///
    /// - `heads` divides C; `scale` is 1 / √(C / heads) when `nil`; `dropoutP` and `generator` as in
    ///   ``scaledDotProductAttention(query:key:value:mask:isCausal:dropoutP:scale:generator:)``.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func packedSelfAttention(
        _ qkv: Tensor, heads: Int, isCausal: Bool = false, dropoutP: Double = 0, scale: Scalar? = nil,
        generator: Generator = .default
    ) -> Tensor {
        let op = "packedSelfAttention"
        check(
            qkv.rank == 3 && qkv.shape[2] % 3 == 0 && heads > 0 && (qkv.shape[2] / 3) % heads == 0,
            "\(op): expected a [B, T, 3C] projection with C a multiple of heads \(heads), got \(qkv.shape)")
        check(dropoutP >= 0 && dropoutP <= 1, "\(op): dropoutP has to be between 0 and 1, but got \(dropoutP)")
        let (b, t, c) = (qkv.shape[0], qkv.shape[1], qkv.shape[2] / 3)
        let size = c / heads
        var kernels = AttentionKernels<Scalar>(
            batches: b * heads, l: t, s: t, e: size, ev: size,
            scale: scale ?? 1 / Scalar(size).squareRoot(), isCausal: isCausal)
        let projection = AttentionKernels<Scalar>.Layout(heads: heads, outerStride: t * 3 * c, headStride: size, rowStride: 3 * c)
        kernels.queryLayout = projection
        kernels.keyLayout = projection
        kernels.valueLayout = projection
        kernels.outputLayout = .init(heads: heads, outerStride: t * c, headStride: size, rowStride: c)
        // The parts of the projection: queries at column 0, keys at C, values at 2C.
        let (keys, values) = (c, 2 * c)
        let scoreShape = [kernels.batches, t, t]
        let keep = dropoutP > 0 ? dropoutMask(scoreShape, p: dropoutP, generator: generator) : nil
        // The kernels write every element of the probabilities, the output and (backward) the
        // gradient: products with beta 0 do not read C, and masked probabilities are set to 0.
        let probabilities = Tensor(shape: scoreShape) { _ in }
        let output = Tensor(shape: [b, t, c]) { _ in }
        let x = qkv.storage.base
        kernels.forward(
            query: x, key: x + keys, value: x + values, mask: nil, keep: keep?.storage.base,
            probabilities: probabilities.storage.base, output: output.storage.base)
        withExtendedLifetime(qkv) {}
        return output.recording("PackedSelfAttentionBackward", [qkv]) { g in
            let gradient = Tensor(shape: qkv.shape) { _ in }
            let dx = gradient.storage.base
            kernels.backward(
                query: x, key: x + keys, value: x + values, keep: keep?.storage.base,
                probabilities: probabilities.storage.base, gradient: g.storage.base,
                queryGradient: dx, keyGradient: dx + keys, valueGradient: dx + values)
            withExtendedLifetime((qkv, keep, probabilities, g)) {}
            return [gradient]
        }
    }
}
