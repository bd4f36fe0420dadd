import Tensor

/// A lookup table of learned vectors, one row per index (`torch.nn.Embedding`).
///
/// Shapes: input `Tensor<Int>` of any shape `s` with values in `0..<numEmbeddings`; output
/// `s + [embeddingSize]`; ``weight`` is `[numEmbeddings, embeddingSize]`.
///
/// Initialisation (PyTorch's): weight from N(0, 1), then the ``paddingIndex`` row, if any,
/// set to zero. That row receives no gradient.
public final class Embedding<Scalar: TensorFloatingPoint>: Module<Scalar> {
    /// The number of rows (`num_embeddings`).
    public let numEmbeddings: Int
    /// The size of each vector (`embedding_dim`).
    public let embeddingSize: Int
    /// The row that stays fixed (`padding_idx`), normalised to be non-negative.
    public let paddingIndex: Int?
    /// The largest norm a looked-up row may have (`max_norm`): rows used by a lookup are first
    /// rescaled in place, without autograd, to at most this norm; `nil` for none.
    public let maxNorm: Scalar?
    /// The p of the norm ``maxNorm`` bounds (`norm_type`).
    public let normType: Scalar
    /// The table, shape `[numEmbeddings, embeddingSize]` (key `weight`).
    public let weight: Tensor<Scalar>

    /// Creates a table of `numEmbeddings` vectors of size `embeddingSize`
    /// (`nn.Embedding(num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0)`);
    /// a negative `paddingIndex` counts from the end, as in PyTorch.
    public convenience init(
        _ numEmbeddings: Int, _ embeddingSize: Int, paddingIndex: Int? = nil, maxNorm: Scalar? = nil, normType: Scalar = 2,
        generator: Generator = .default
    ) {
        check(numEmbeddings >= 0 && embeddingSize >= 0, "Embedding: negative size (\(numEmbeddings), \(embeddingSize))")
        self.init(
            weight: Tensor.zeros([numEmbeddings, embeddingSize], requiresGrad: true), paddingIndex: paddingIndex, maxNorm: maxNorm,
            normType: normType)
        resetParameters(generator: generator)
    }

    /// A layer around `weight` as it is (no initialisation).
    private init(weight: Tensor<Scalar>, paddingIndex: Int?, maxNorm: Scalar?, normType: Scalar) {
        let numEmbeddings = weight.shape[0]
        if let paddingIndex {
            check(
                paddingIndex >= -numEmbeddings && paddingIndex < numEmbeddings,
                "Embedding: paddingIndex \(paddingIndex) must be within numEmbeddings \(numEmbeddings)")
        }
        self.numEmbeddings = numEmbeddings
        self.embeddingSize = weight.shape[1]
        self.paddingIndex = paddingIndex.map { $0 < 0 ? $0 + numEmbeddings : $0 }
        self.maxNorm = maxNorm
        self.normType = normType
        self.weight = weight
        super.init()
    }

    /// A layer whose table is a copy of `embeddings` (`nn.Embedding.from_pretrained(embeddings,
    /// freeze=True, padding_idx=None, max_norm=None)`): frozen (no gradient) unless `freeze` is
    /// false. Draws nothing from any generator.
    /// - Precondition: `embeddings` is 2-d.
    public static func fromPretrained(
        _ embeddings: Tensor<Scalar>, freeze: Bool = true, paddingIndex: Int? = nil, maxNorm: Scalar? = nil, normType: Scalar = 2
    ) -> Embedding {
        check(embeddings.rank == 2, "Embedding.fromPretrained: embeddings parameter is expected to be 2-dimensional, got \(embeddings.shape)")
        return Embedding(weight: embeddings.copy().requiringGrad(!freeze), paddingIndex: paddingIndex, maxNorm: maxNorm, normType: normType)
    }

    /// Re-initialises the table as PyTorch does (`embedding.reset_parameters()`): N(0, 1) drawn
    /// in `Float` (see ``Init``), then the padding row zeroed.
    public func resetParameters(generator: Generator = .default) {
        Init.inFloat32(weight) { Init.normal($0, generator: generator) }
        if let paddingIndex {
            weight.withUnsafeMutableBufferPointer { w in
                for j in 0..<embeddingSize { w[paddingIndex * embeddingSize + j] = 0 }
            }
        }
    }

    /// Rescales each row that `indices` names whose ``normType``-norm exceeds `maxNorm` by
    /// maxNorm / (norm + 1e-7), in place and outside autograd (PyTorch's `embedding_renorm_`).
    private func renormalizeRows(_ indices: Tensor<Int>, maxNorm: Scalar) {
        let size = embeddingSize, p = normType
        weight.withUnsafeMutableBufferPointer { w in
            for row in Set(indices.scalars) where row >= 0 && row < numEmbeddings {
                let values = (0..<size).map { w[row * size + $0] }
                let norm: Scalar = p == .infinity
                    ? values.map { Swift.abs($0) }.max() ?? 0
                    : Scalar.pow(values.reduce(0) { $0 + Scalar.pow(Swift.abs($1), p) }, 1 / p)
                guard norm > maxNorm else { continue }
                let scale = maxNorm / (norm + 1e-7)
                for j in 0..<size { w[row * size + j] *= scale }
            }
        }
    }

    /// `numEmbeddings, embeddingSize[, padding_idx=...]`, as PyTorch prints it.
    public override var extraDescription: String {
        "\(numEmbeddings), \(embeddingSize)" + (paddingIndex.map { ", padding_idx=\($0)" } ?? "") + (maxNorm.map { ", max_norm=\($0)" } ?? "")
    }

    /// The rows at `indices`: shape `indices.shape + [embeddingSize]`.
    public func callAsFunction(_ indices: Tensor<Int>) -> Tensor<Scalar> {
        if let maxNorm { renormalizeRows(indices, maxNorm: maxNorm) }
        return embedding(indices, weight: weight, paddingIndex: paddingIndex)
    }
}

/// The rows of `weight` at `indices` (`F.embedding(input, weight, padding_idx)`): shape
/// `indices.shape + [weight.shape[1]]`.
///
/// Backward: each row's gradient is the sum of the output gradients of the positions that
/// looked it up; the `paddingIndex` row gets none. A negative `paddingIndex` counts from the
/// end (-1 is the last row), as in PyTorch.
/// - Precondition: `paddingIndex` is in `-rows..<rows`.
public func embedding<Scalar: TensorFloatingPoint>(
    _ indices: Tensor<Int>, weight: Tensor<Scalar>, paddingIndex: Int? = nil
) -> Tensor<Scalar> {
    let rows = weight.shape.first ?? 0
    if let paddingIndex {
        check(
            paddingIndex >= -rows && paddingIndex < rows,
            "embedding: paddingIndex \(paddingIndex) must be within the \(rows) rows of weight \(weight.shape)")
    }
    return weight.rows(at: indices, frozenRow: paddingIndex.map { $0 < 0 ? $0 + rows : $0 })
}
