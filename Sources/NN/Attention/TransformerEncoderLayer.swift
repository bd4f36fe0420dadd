import Tensor

/// The activation between a ``TransformerEncoderLayer``'s two linear layers.
public enum TransformerActivation: String, Sendable, CaseIterable {
    /// max(x, 0) (`activation="relu"`, the default).
    case relu
    /// The exact GELU (`activation="gelu"`).
    case gelu
}

/// One encoder block of the transformer (`torch.nn.TransformerEncoderLayer`): self-attention
/// and a feed-forward network, each with a residual connection and a ``LayerNorm``:
///
///     post-norm (default): x = norm1(x + sa(x));  x = norm2(x + ff(x))
///     normFirst:           x = x + sa(norm1(x));  x = x + ff(norm2(x))
///
/// with sa(x) = dropout1(self_attn(x, x, x)) and ff(x) = dropout2(linear2(dropout(act(linear1(x))))).
///
/// Keys (PyTorch's): `self_attn.in_proj_weight`, `self_attn.in_proj_bias`, `self_attn.out_proj.*`,
/// `linear1.*`, `linear2.*`, `norm1.*`, `norm2.*`. Shapes: `[L, N, E]` (`[N, L, E]` with
/// `batchFirst`, `[L, E]` unbatched), output the same.
public final class TransformerEncoderLayer<Scalar: TensorFloatingPoint>: Module<Scalar> {
    /// Self-attention (key `self_attn`).
    public let selfAttn: MultiheadAttention<Scalar>
    /// E → dimFeedforward (key `linear1`).
    public let linear1: Linear<Scalar>
    /// Dropout inside the feed-forward network (key `dropout`).
    public let dropout: Dropout<Scalar>
    /// dimFeedforward → E (key `linear2`).
    public let linear2: Linear<Scalar>
    /// The attention's normalisation (key `norm1`).
    public let norm1: LayerNorm<Scalar>
    /// The feed-forward network's normalisation (key `norm2`).
    public let norm2: LayerNorm<Scalar>
    /// Dropout on the attention's output (key `dropout1`).
    public let dropout1: Dropout<Scalar>
    /// Dropout on the feed-forward network's output (key `dropout2`).
    public let dropout2: Dropout<Scalar>
    /// The feed-forward activation.
    public let activation: TransformerActivation
    /// Whether the normalisations come before each sublayer.
    public let normFirst: Bool

    /// Creates the layer (`nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=2048,
    /// dropout=0.1, activation="relu", layer_norm_eps=1e-5, batch_first=False, norm_first=False,
    /// bias=True)`), initialised from `generator` as PyTorch initialises it.
    public init(
        dModel: Int, nhead: Int, dimFeedforward: Int = 2048, dropout: Double = 0.1,
        activation: TransformerActivation = .relu, layerNormEps: Double = 1e-5, batchFirst: Bool = false,
        normFirst: Bool = false, bias: Bool = true, generator: Generator = .default
    ) {
        selfAttn = MultiheadAttention(dModel, nhead, dropout: dropout, bias: bias, batchFirst: batchFirst, generator: generator)
        linear1 = Linear(dModel, dimFeedforward, bias: bias, generator: generator)
        self.dropout = Dropout(p: dropout, generator: generator)
        linear2 = Linear(dimFeedforward, dModel, bias: bias, generator: generator)
        norm1 = LayerNorm(dModel, eps: layerNormEps, bias: bias)
        norm2 = LayerNorm(dModel, eps: layerNormEps, bias: bias)
        dropout1 = Dropout(p: dropout, generator: generator)
        dropout2 = Dropout(p: dropout, generator: generator)
        self.activation = activation
        self.normFirst = normFirst
        super.init()
    }

    /// PyTorch's keys.
    public override func namedOwnChildren() -> [(name: String, module: Module<Scalar>)] {
        [("self_attn", selfAttn), ("linear1", linear1), ("dropout", dropout), ("linear2", linear2), ("norm1", norm1),
         ("norm2", norm2), ("dropout1", dropout1), ("dropout2", dropout2)]
    }

    /// The encoded sequence (`layer(src, src_mask, src_key_padding_mask)`); masks as in
    /// ``MultiheadAttention``.
    public func callAsFunction(
        _ source: Tensor<Scalar>, sourceMask: MultiheadAttentionMask<Scalar>? = nil,
        sourceKeyPaddingMask: MultiheadAttentionMask<Scalar>? = nil
    ) -> Tensor<Scalar> {
        func selfAttention(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
            dropout1(selfAttn(x, x, x, keyPaddingMask: sourceKeyPaddingMask, needWeights: false, attnMask: sourceMask).output)
        }
        func feedForward(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
            let hidden = linear1(x)
            return dropout2(linear2(dropout(activation == .relu ? hidden.relu() : hidden.gelu())))
        }
        var x = source
        if normFirst {
            x = x + selfAttention(norm1(x))
            return x + feedForward(norm2(x))
        }
        x = norm1(x + selfAttention(x))
        return norm2(x + feedForward(x))
    }
}
