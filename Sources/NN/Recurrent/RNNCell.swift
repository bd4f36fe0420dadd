import Tensor

/// One time step of an Elman network (`torch.nn.RNNCell`):
///
///     h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh),  act = tanh or relu
///
/// Shapes: input `[batch, inputSize]` (or unbatched `[inputSize]`), h and h'
/// `[batch, hiddenSize]` (or `[hiddenSize]`). Parameters and initialisation: see
/// ``RNNCellBase``; G = hiddenSize.
public final class RNNCell<Scalar: TensorFloatingPoint>: RNNCellBase<Scalar> {
    /// The activation (`nonlinearity`).
    public let nonlinearity: RecurrentActivation

    /// Creates the cell (`nn.RNNCell(input_size, hidden_size, bias=True, nonlinearity='tanh')`)
    /// and initialises its parameters from `generator`.
    public init(
        _ inputSize: Int, _ hiddenSize: Int, bias: Bool = true, nonlinearity: RecurrentActivation = .tanh,
        generator: Generator = .default
    ) {
        self.nonlinearity = nonlinearity
        super.init(kind: .rnn(nonlinearity), inputSize: inputSize, hiddenSize: hiddenSize, bias: bias, generator: generator)
    }

    /// The next hidden state h' from `input` and `hidden` (zeros when `nil`).
    public func callAsFunction(_ input: Tensor<Scalar>, _ hidden: Tensor<Scalar>? = nil) -> Tensor<Scalar> {
        let (p, batched) = projectedInput(input)
        let h = batchedState(hidden, batch: p.shape[0], batched: batched, name: "hx")
        return callerLayout(CellMath.rnn(p, h, weights.stepWeights, nonlinearity), batched: batched)
    }
}
