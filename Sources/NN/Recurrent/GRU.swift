import Tensor

/// A multi-layer gated recurrent unit network (`torch.nn.GRU`). For each layer and time step t:
///
///     r_t = σ(x_t W_irᵀ + b_ir + h_{t-1} W_hrᵀ + b_hr)
///     z_t = σ(x_t W_izᵀ + b_iz + h_{t-1} W_hzᵀ + b_hz)
///     n_t = tanh(x_t W_inᵀ + b_in + r_t ⊙ (h_{t-1} W_hnᵀ + b_hn))
///     h_t = (1 - z_t) ⊙ n_t + z_t ⊙ h_{t-1}
///
/// W_ih stacks W_ir, W_iz, W_in (in that order, PyTorch's), likewise W_hh and the biases.
///
/// Shapes: as for ``RNN``. Parameters and initialisation: see ``RNNBase``; G = 3 · hiddenSize.
public final class GRU<Scalar: TensorFloatingPoint>: RNNBase<Scalar> {
    /// Creates the network (`nn.GRU(input_size, hidden_size, num_layers=1, bias=True,
    /// batch_first=False, dropout=0.0, bidirectional=False)`) and initialises its parameters from
    /// `generator`.
    public init(
        _ inputSize: Int, _ hiddenSize: Int, numLayers: Int = 1, bias: Bool = true, batchFirst: Bool = false,
        dropout: Double = 0, bidirectional: Bool = false, generator: Generator = .default
    ) {
        super.init(
            kind: .gru, inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bias: bias,
            batchFirst: batchFirst, dropout: dropout, bidirectional: bidirectional, projectionSize: 0,
            generator: generator)
    }

    /// Runs the network over `input` from `h0` (zeros when `nil`).
    ///
    /// - Returns: `output`, the last layer's hidden state at every time step, and `hidden`, every
    ///   layer's final hidden state h_n (shapes as for ``RNN``).
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
