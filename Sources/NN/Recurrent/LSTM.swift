import Tensor

/// A multi-layer long short-term memory network (`torch.nn.LSTM`). For each layer and time step t:
///
///     i_t = σ(x_t W_iiᵀ + b_ii + h_{t-1} W_hiᵀ + b_hi)
///     f_t = σ(x_t W_ifᵀ + b_if + h_{t-1} W_hfᵀ + b_hf)
///     g_t = tanh(x_t W_igᵀ + b_ig + h_{t-1} W_hgᵀ + b_hg)
///     o_t = σ(x_t W_ioᵀ + b_io + h_{t-1} W_hoᵀ + b_ho)
///     c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t
///     h_t = o_t ⊙ tanh(c_t)        (then h_t W_hrᵀ when projectionSize > 0)
///
/// W_ih stacks W_ii, W_if, W_ig, W_io (in that order, PyTorch's), likewise W_hh and the biases.
///
/// Shapes (B batch, T time steps, L = numLayers · numDirections, H = hiddenSize, P =
/// projectionSize if set, else H):
/// - input: `[B, T, inputSize]` when ``RNNBase/batchFirst``, else `[T, B, inputSize]`; or
///   unbatched `[T, inputSize]`;
/// - h0 and h_n `[L, B, P]`, c0 and c_n `[L, B, H]` (unbatched without B);
/// - output: `[B, T, numDirections · P]` when batchFirst, else `[T, B, numDirections · P]`.
///
/// Parameters and initialisation: see ``RNNBase``; G = 4 · H.
public final class LSTM<Scalar: TensorFloatingPoint>: RNNBase<Scalar> {
    /// Creates the network (`nn.LSTM(input_size, hidden_size, num_layers=1, bias=True,
    /// batch_first=False, dropout=0.0, bidirectional=False, proj_size=0)`) and initialises its
    /// parameters from `generator`.
    public init(
        _ inputSize: Int, _ hiddenSize: Int, numLayers: Int = 1, bias: Bool = true, batchFirst: Bool = false,
        dropout: Double = 0, bidirectional: Bool = false, projectionSize: Int = 0, generator: Generator = .default
    ) {
        super.init(
            kind: .lstm, inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bias: bias,
            batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional, projectionSize: projectionSize,
            generator: generator)
    }

    /// Runs the network over `input` from the states `(h0, c0)` (zeros when `nil`).
    ///
    /// - Returns: `output`, the last layer's h at every time step, and `hidden`, every layer's
    ///   final states `(h, c)` (shapes in the type's overview).
    public func callAsFunction(
        _ input: Tensor<Scalar>, _ state: (h: Tensor<Scalar>, c: Tensor<Scalar>)? = nil
    ) -> (output: Tensor<Scalar>, hidden: (h: Tensor<Scalar>, c: Tensor<Scalar>)) {
        let (sequence, batched) = batchFirstSequence(input)
        let batch = sequence.shape[0]
        let hSize = outputHiddenSize
        let h0 = initialStates(state?.h, size: hSize, batch: batch, batched: batched, name: "h0")
        let c0 = initialStates(state?.c, size: hiddenSize, batch: batch, batched: batched, name: "c0")
        let initial = zip(h0, c0).map { Tensor.cat([$0, $1], axis: 1) }
        let (output, finalStates) = run(sequence, initialStates: initial)
        let h = finalStates.map { $0.narrow(axis: 1, start: 0, length: hSize) }
        let c = finalStates.map { $0.narrow(axis: 1, start: hSize, length: hiddenSize) }
        return (
            callerLayout(output, batched: batched),
            (stackedStates(h, batched: batched), stackedStates(c, batched: batched))
        )
    }

    /// Runs the network over the packed batch `input` from the states `(h0, c0)` (`[L, B, P]` and
    /// `[L, B, H]` in the caller's batch order, zeros when `nil`); each sequence stops at its own
    /// length.
    ///
    /// - Returns: `output`, the last layer's h packed like `input` (data `[N, numDirections · P]`),
    ///   and `hidden`, every layer's states `(h, c)` after each sequence's last step (for the
    ///   reverse direction, after its first), in the caller's batch order.
    public func callAsFunction(
        _ input: PackedSequence<Scalar>, _ state: (h: Tensor<Scalar>, c: Tensor<Scalar>)? = nil
    ) -> (output: PackedSequence<Scalar>, hidden: (h: Tensor<Scalar>, c: Tensor<Scalar>)) {
        let batch = input.batchSizes.scalars[0]
        let hSize = outputHiddenSize
        let h0 = initialStates(state?.h, size: hSize, batch: batch, batched: true, name: "h0")
        let c0 = initialStates(state?.c, size: hiddenSize, batch: batch, batched: true, name: "c0")
        let (output, finalStates) = runPacked(input, initialStates: zip(h0, c0).map { Tensor.cat([$0, $1], axis: 1) })
        let h = finalStates.map { $0.narrow(axis: 1, start: 0, length: hSize) }
        let c = finalStates.map { $0.narrow(axis: 1, start: hSize, length: hiddenSize) }
        return (input.replacing(data: output), (stackedStates(h, batched: true), stackedStates(c, batched: true)))
    }
}
