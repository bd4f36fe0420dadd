import Tensor

/// A mask for ``MultiheadAttention`` and ``TransformerEncoderLayer``, with PyTorch's meaning
/// for those layers (the opposite of ``AttentionMask/allowed(_:)``'s booleans).
public enum MultiheadAttentionMask<Scalar: TensorFloatingPoint> {
    /// `true` where attention is not allowed (a padded key, a future position).
    case blocked(Tensor<Bool>)
    /// Added to the attention scores (`-infinity` blocks a position).
    case additive(Tensor<Scalar>)

    /// The mask as additive values (`true` becomes -infinity).
    var additiveValues: Tensor<Scalar> {
        switch self {
        case .blocked(let blocked): Tensor.full(blocked.shape, -Scalar.infinity).where(blocked, Tensor.zeros([]))
        case .additive(let values): values.detach()
        }
    }
}

/// Multi-head attention (`torch.nn.MultiheadAttention` with equal query, key and value widths):
///
///     head_i = softmax((Q W_qᵢ)(K W_kᵢ)ᵀ / √d + mask) (V W_vᵢ),  output = concat(head_i) W_oᵀ + b_o
///
/// with d = embedDim / numHeads. Parameters, with PyTorch's keys: `in_proj_weight` `[3E, E]`
/// (the query, key and value projections stacked), `in_proj_bias` `[3E]`, `out_proj.weight`
/// `[E, E]`, `out_proj.bias` `[E]`. Initialisation (PyTorch's): `out_proj` as a ``Linear``,
/// then Xavier-uniform `in_proj_weight`, zero biases.
///
/// Shapes: query `[L, N, E]`, key and value `[S, N, E]` (`[N, L, E]`, `[N, S, E]` with
/// `batchFirst`; `[L, E]`, `[S, E]` unbatched); output like the query. Weights (``callAsFunction(_:_:_:keyPaddingMask:needWeights:attnMask:averageAttnWeights:)``
/// with `needWeights`): `[N, L, S]` averaged over heads, or `[N, H, L, S]`.
///
/// Without `needWeights` the heads run through the fused
/// ``scaledDotProductAttention(_:_:_:mask:isCausal:dropoutP:scale:generator:)``; with it, through
/// matmul and softmax, so the returned weights are differentiable too. A query whose keys are
/// all masked gets a zero output without weights (and NaN weights with them, as in PyTorch).
/// Not supported: `add_bias_kv`, `add_zero_attn`, `kdim`/`vdim` different from `embed_dim`.
public final class MultiheadAttention<Scalar: TensorFloatingPoint>: Module<Scalar> {
    /// The model width E (`embed_dim`).
    public let embedDim: Int
    /// The number of heads H (`num_heads`); divides E.
    public let numHeads: Int
    /// The dropout probability on the attention weights in training.
    public let dropout: Double
    /// Whether inputs are `[N, L, E]` rather than `[L, N, E]`.
    public let batchFirst: Bool
    /// The stacked query, key and value projections `[3E, E]` (key `in_proj_weight`).
    public let inProjWeight: Tensor<Scalar>
    /// Their biases `[3E]` (key `in_proj_bias`), `nil` with `bias: false`.
    public let inProjBias: Tensor<Scalar>?
    /// The output projection (key `out_proj`).
    public let outProj: Linear<Scalar>
    /// The source of the dropout masks.
    public let generator: Generator

    /// Creates the layer (`nn.MultiheadAttention(embed_dim, num_heads, dropout=0.0, bias=True,
    /// batch_first=False)`), initialised from `generator`.
    public init(
        _ embedDim: Int, _ numHeads: Int, dropout: Double = 0, bias: Bool = true, batchFirst: Bool = false,
        generator: Generator = .default
    ) {
        check(embedDim > 0 && numHeads > 0 && embedDim % numHeads == 0, "MultiheadAttention: embedDim \(embedDim) must be divisible by numHeads \(numHeads)")
        check(dropout >= 0 && dropout <= 1, "MultiheadAttention: dropout must be between 0 and 1, got \(dropout)")
        self.embedDim = embedDim
        self.numHeads = numHeads
        self.dropout = dropout
        self.batchFirst = batchFirst
        self.generator = generator
        inProjWeight = Tensor.zeros([3 * embedDim, embedDim], requiresGrad: true)
        inProjBias = bias ? Tensor.zeros([3 * embedDim], requiresGrad: true) : nil
        outProj = Linear(embedDim, embedDim, bias: bias, generator: generator)
        super.init()
        Init.inFloat32(inProjWeight) { Init.xavierUniform($0, generator: generator) }
        if let outBias = outProj.bias { Init.zeros(outBias) }
    }

    /// PyTorch's keys: `in_proj_weight`, `in_proj_bias`.
    public override func namedOwnParameters() -> [(name: String, parameter: Tensor<Scalar>)] {
        [("in_proj_weight", inProjWeight)] + (inProjBias.map { [("in_proj_bias", $0)] } ?? [])
    }

    /// PyTorch's key: `out_proj`.
    public override func namedOwnChildren() -> [(name: String, module: Module<Scalar>)] { [("out_proj", outProj)] }

    /// Attends from `query` to `key`/`value` (`mha(query, key, value, key_padding_mask,
    /// need_weights, attn_mask, average_attn_weights)`).
    ///
    /// - Parameters:
    ///   - keyPaddingMask: `[N, S]` (`[S]` unbatched): keys to ignore.
    ///   - attnMask: `[L, S]` or `[N·H, L, S]`: positions to block or scores to add.
    /// - Returns: the output and, with `needWeights`, the attention weights (see the type).
    public func callAsFunction(
        _ query: Tensor<Scalar>, _ key: Tensor<Scalar>, _ value: Tensor<Scalar>,
        keyPaddingMask: MultiheadAttentionMask<Scalar>? = nil, needWeights: Bool = true,
        attnMask: MultiheadAttentionMask<Scalar>? = nil, averageAttnWeights: Bool = true
    ) -> (output: Tensor<Scalar>, weights: Tensor<Scalar>?) {
        let batched = query.rank == 3
        check(
            (query.rank == 2 || batched) && key.rank == query.rank && value.rank == query.rank
                && query.shape.last == embedDim && key.shape.last == embedDim && value.shape.last == embedDim,
            "MultiheadAttention: query \(query.shape), key \(key.shape), value \(value.shape) do not fit embedDim \(embedDim)")
        // Internally batch-first: [N, L, E].
        func batchFirstLayout(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
            !batched ? x.unsqueeze(0) : batchFirst ? x : x.permute(1, 0, 2)
        }
        let (q, k, v) = (batchFirstLayout(query), batchFirstLayout(key), batchFirstLayout(value))
        let (n, l, s) = (q.shape[0], q.shape[1], k.shape[1])
        check(k.shape[0] == n && v.shape[0] == n && v.shape[1] == s, "MultiheadAttention: batch or source sizes of query \(query.shape), key \(key.shape), value \(value.shape) differ")
        let heads = numHeads, d = embedDim / numHeads, e = embedDim
        func project(_ x: Tensor<Scalar>, _ part: Int, length: Int) -> Tensor<Scalar> {
            let weight = inProjWeight.narrow(axis: 0, start: part * e, length: e)
            let bias = inProjBias?.narrow(axis: 0, start: part * e, length: e)
            return linear(x, weight: weight, bias: bias).reshape(n, length, heads, d).permute(0, 2, 1, 3)
        }
        let (qh, kh, vh) = (project(q, 0, length: l), project(k, 1, length: s), project(v, 2, length: s))
        let mask = combinedMask(keyPaddingMask: keyPaddingMask, attnMask: attnMask, n: n, l: l, s: s, batched: batched)
        let p = isTraining ? dropout : 0
        var attended: Tensor<Scalar>, weights: Tensor<Scalar>?
        if needWeights {
            var scores = (qh * Scalar(1 / Double(d).squareRoot())).matmul(kh.transposed(-2, -1))
            if let mask { scores = scores + mask }
            let probabilities = dropped(scores.softmax(axis: -1), p: p)
            attended = probabilities.matmul(vh)
            weights = averageAttnWeights ? probabilities.mean(axis: 1) : probabilities
            if !batched { weights = weights!.squeeze(0) }
        } else {
            attended = scaledDotProductAttention(qh, kh, vh, mask: mask.map { .additive($0) }, dropoutP: p, generator: generator)
        }
        var output = outProj(attended.permute(0, 2, 1, 3).reshape(n, l, e))
        output = !batched ? output.squeeze(0) : batchFirst ? output : output.permute(1, 0, 2)
        return (output, weights)
    }

    /// Dropout on the attention weights with this layer's generator.
    private func dropped(_ x: Tensor<Scalar>, p: Double) -> Tensor<Scalar> {
        NN.dropout(x, p: p, training: p > 0, generator: generator)
    }

    /// The key-padding and attention masks as one additive tensor broadcastable to `[N, H, L, S]`.
    private func combinedMask(
        keyPaddingMask: MultiheadAttentionMask<Scalar>?, attnMask: MultiheadAttentionMask<Scalar>?,
        n: Int, l: Int, s: Int, batched: Bool
    ) -> Tensor<Scalar>? {
        var result: Tensor<Scalar>?
        if let attnMask {
            let values = attnMask.additiveValues
            if values.rank == 2 {
                check(values.shape == [l, s], "MultiheadAttention: attnMask of shape \(values.shape), expected [\(l), \(s)]")
                result = values
            } else {
                check(values.shape == [n * numHeads, l, s], "MultiheadAttention: attnMask of shape \(values.shape), expected [\(n * numHeads), \(l), \(s)]")
                result = values.reshape(n, numHeads, l, s)
            }
        }
        if let keyPaddingMask {
            let values = keyPaddingMask.additiveValues
            let expected = batched ? [n, s] : [s]
            check(values.shape == expected, "MultiheadAttention: keyPaddingMask of shape \(values.shape), expected \(expected)")
            let padding = values.reshape(n, 1, 1, s)
            result = result.map { $0 + padding } ?? padding
        }
        return result
    }
}
