import Tensor

/// One time step of a gated recurrent unit (`torch.nn.GRUCell`), gates in PyTorch's order r, z, n:
///
///     r = σ(x W_irᵀ + b_ir + h W_hrᵀ + b_hr)
///     z = σ(x W_izᵀ + b_iz + h W_hzᵀ + b_hz)
///     n = tanh(x W_inᵀ + b_in + r ⊙ (h W_hnᵀ + b_hn))
///     h' = (1 - z) ⊙ n + z ⊙ h
///
/// Shapes: as for ``RNNCell``. Parameters and initialisation: see ``RNNCellBase``;
/// G = 3 · hiddenSize.
public final class GRUCell<Scalar: TensorFloatingPoint>: RNNCellBase<Scalar> {
    /// Creates the cell (`nn.GRUCell(input_size, hidden_size, bias=True)`) and initialises its
    /// parameters from `generator`.
    public init(_ inputSize: Int, _ hiddenSize: Int, bias: Bool = true, generator: Generator = .default) {
        super.init(kind: .gru, inputSize: inputSize, hiddenSize: hiddenSize, bias: bias, generator: generator)
    }

    /// The next hidden state h' from `input` and `hidden` (zeros when `nil`).
    public func callAsFunction(_ input: Tensor<Scalar>, _ hidden: Tensor<Scalar>? = nil) -> Tensor<Scalar> {
        let (p, batched) = projectedInput(input)
        let h = batchedState(hidden, batch: p.shape[0], batched: batched, name: "hx")
        return callerLayout(CellMath.gru(p, h, weights.stepWeights), batched: batched)
    }
}
