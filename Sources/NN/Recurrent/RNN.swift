import Tensor

/// A multi-layer Elman recurrent network (`torch.nn.RNN`). For each layer and time step t:
///
///     h_t = act(x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh),  act = tanh or relu
///
/// where x_t is the input (layer 0) or the previous layer's output h_t (both directions
/// concatenated when bidirectional).
///
/// Shapes (B batch, T time steps, L = numLayers · numDirections, H = hiddenSize):
/// - input: `[B, T, inputSize]` when ``RNNBase/batchFirst``, else `[T, B, inputSize]`; or
///   unbatched `[T, inputSize]`;
/// - h0 (optional, zeros by default) and h_n: `[L, B, H]` (unbatched `[L, H]`);
/// - output: the last layer's h_t for every t, `[B, T, numDirections · H]` when batchFirst, else
///   `[T, B, numDirections · H]` (unbatched `[T, numDirections · H]`).
///
/// Parameters and initialisation: see ``RNNBase``; G = H.
///
/// ```swift
/// let rnn = RNN<Float>(10, 20, numLayers: 2, batchFirst: true)
/// let (output, hidden) = rnn(Tensor.randn([3, 5, 10]))  // [3, 5, 20], [2, 3, 20]
/// ```
public final class RNN<Scalar: TensorFloatingPoint>: RNNBase<Scalar> {
    /// The activation (`nonlinearity`).
    public let nonlinearity: RecurrentActivation

    /// Creates the network (`nn.RNN(input_size, hidden_size, num_layers=1, nonlinearity='tanh',
    /// bias=True, batch_first=False, dropout=0.0, bidirectional=False)`) and initialises its
    /// parameters from `generator`.
    public init(
        _ inputSize: Int, _ hiddenSize: Int, numLayers: Int = 1, nonlinearity: RecurrentActivation = .tanh,
        bias: Bool = true, batchFirst: Bool = false, dropout: Double = 0, bidirectional: Bool = false,
        generator: Generator = .default
    ) {
        self.nonlinearity = nonlinearity
        super.init(
            kind: .rnn(nonlinearity), inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bias: bias,
            batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional, projectionSize: 0,
            generator: generator)
    }

    /// Runs the network over `input` from `h0` (zeros when `nil`).
    ///
    /// - Returns: `output`, the last layer's hidden state at every time step, and `hidden`, every
    ///   layer's final hidden state h_n (shapes in the type's overview).
    public func callAsFunction(
        _ input: Tensor<Scalar>, _ h0: Tensor<Scalar>? = nil
    ) -> (output: Tensor<Scalar>, hidden: Tensor<Scalar>) {
        let (sequence, batched) = batchFirstSequence(input)
        let initial = initialStates(h0, size: hiddenSize, batch: sequence.shape[0], batched: batched, name: "h0")
        let (output, finalStates) = run(sequence, initialStates: initial)
        return (callerLayout(output, batched: batched), stackedStates(finalStates, batched: batched))
    }

    /// Runs the network over the packed batch `input` from `h0` (`[L, B, H]` in the caller's
    /// batch order, zeros when `nil`); each sequence stops at its own length.
    ///
    /// - Returns: `output`, the last layer's hidden states packed like `input` (data
    ///   `[N, numDirections · H]`), and `hidden`, every layer's hidden state after each
    ///   sequence's last step (for the reverse direction, after its first), `[L, B, H]` in the
    ///   caller's batch order.
    public func callAsFunction(
        _ input: PackedSequence<Scalar>, _ h0: Tensor<Scalar>? = nil
    ) -> (output: PackedSequence<Scalar>, hidden: Tensor<Scalar>) {
        runPackedHiddenOnly(input, h0)
    }
}
