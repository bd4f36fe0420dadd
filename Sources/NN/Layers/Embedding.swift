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
    /// The table, shape `[numEmbeddings, embeddingSize]` (key `weight`).
    public let weight: Tensor<Scalar>

    /// Creates a table of `numEmbeddings` vectors of size `embeddingSize`
    /// (`nn.Embedding(num_embeddings, embedding_dim, padding_idx=None)`); a negative
    /// `paddingIndex` counts from the end, as in PyTorch.
    public init(_ numEmbeddings: Int, _ embeddingSize: Int, paddingIndex: Int? = nil, generator: Generator = .default) {
        check(numEmbeddings >= 0 && embeddingSize >= 0, "Embedding: negative size (\(numEmbeddings), \(embeddingSize))")
        if let paddingIndex {
            check(
                paddingIndex >= -numEmbeddings && paddingIndex < numEmbeddings,
                "Embedding: paddingIndex \(paddingIndex) must be within numEmbeddings \(numEmbeddings)")
        }
        self.numEmbeddings = numEmbeddings
        self.embeddingSize = embeddingSize
        self.paddingIndex = paddingIndex.map { $0 < 0 ? $0 + numEmbeddings : $0 }
        weight = Tensor.zeros([numEmbeddings, embeddingSize], requiresGrad: true)
        super.init()
        resetParameters(generator: generator)
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

    /// `numEmbeddings, embeddingSize[, padding_idx=...]`, as PyTorch prints it.
    public override var extraDescription: String {
        "\(numEmbeddings), \(embeddingSize)" + (paddingIndex.map { ", padding_idx=\($0)" } ?? "")
    }

    /// The rows at `indices`: shape `indices.shape + [embeddingSize]`.
    public func callAsFunction(_ indices: Tensor<Int>) -> Tensor<Scalar> {
        embedding(indices, weight: weight, paddingIndex: paddingIndex)
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
