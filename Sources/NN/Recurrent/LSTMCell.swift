import Tensor

/// One time step of a long short-term memory (`torch.nn.LSTMCell`), gates in PyTorch's order
/// i, f, g, o:
///
///     [i, f, g, o] = x W_ihᵀ + b_ih + h W_hhᵀ + b_hh
///     c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g)
///     h' = σ(o) ⊙ tanh(c')
///
/// Shapes: input `[batch, inputSize]` (or unbatched `[inputSize]`), h, c, h', c'
/// `[batch, hiddenSize]` (or `[hiddenSize]`). Parameters and initialisation: see
/// ``RNNCellBase``; G = 4 · hiddenSize.
public final class LSTMCell<Scalar: TensorFloatingPoint>: RNNCellBase<Scalar> {
    /// Creates the cell (`nn.LSTMCell(input_size, hidden_size, bias=True)`) and initialises its
    /// parameters from `generator`.
    public init(_ inputSize: Int, _ hiddenSize: Int, bias: Bool = true, generator: Generator = .default) {
        super.init(kind: .lstm, inputSize: inputSize, hiddenSize: hiddenSize, bias: bias, generator: generator)
    }

    /// The next states (h', c') from `input` and `state` (zeros when `nil`).
    public func callAsFunction(
        _ input: Tensor<Scalar>, _ state: (h: Tensor<Scalar>, c: Tensor<Scalar>)? = nil
    ) -> (h: Tensor<Scalar>, c: Tensor<Scalar>) {
        let (p, batched) = projectedInput(input)
        let h = batchedState(state?.h, batch: p.shape[0], batched: batched, name: "hx")
        let c = batchedState(state?.c, batch: p.shape[0], batched: batched, name: "cx")
        let next = CellMath.lstm(p, h, c, weights.stepWeights)
        return (callerLayout(next.h, batched: batched), callerLayout(next.c, batched: batched))
    }
}
