import Tensor

/// softmax(Q Kᵀ · scale + mask) V over the last two dimensions, every leading index (batch,
/// head) independently (`F.scaled_dot_product_attention(query, key, value, attn_mask,
/// dropout_p, is_causal, scale)`).
///
/// Shapes: `query` `[..., L, E]`, `key` `[..., S, E]`, `value` `[..., S, Ev]` (equal leading
/// dimensions); result `[..., L, Ev]`. `mask` broadcasts to `[..., L, S]` (``AttentionMask``);
/// `isCausal` lets query i see keys 0...i; dropout on the probabilities with probability
/// `dropoutP`, masks from `generator`; `scale` defaults to 1 / √E.
///
/// One operation with its own backward (see
/// ``Tensor/scaledDotProductAttention(query:key:value:mask:isCausal:dropoutP:scale:generator:)``).
public func scaledDotProductAttention<Scalar: TensorFloatingPoint>(
    _ query: Tensor<Scalar>, _ key: Tensor<Scalar>, _ value: Tensor<Scalar>, mask: AttentionMask<Scalar>? = nil,
    isCausal: Bool = false, dropoutP: Double = 0, scale: Scalar? = nil, generator: Generator = .default
) -> Tensor<Scalar> {
    Tensor.scaledDotProductAttention(
        query: query, key: key, value: value, mask: mask, isCausal: isCausal, dropoutP: dropoutP, scale: scale,
        generator: generator)
}
