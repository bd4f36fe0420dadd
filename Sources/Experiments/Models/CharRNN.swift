import NN
import Tensor

/// The coursework's character model: an Elman RNN over one-hot characters followed by a
/// linear read-out to one logit per character — PyTorch's
///
/// ```python
/// self.rnn = nn.RNN(V, H, L, batch_first=True, nonlinearity=..., bias=...)
/// self.fc = nn.Linear(H, V, bias=...)
/// ```
///
/// with the same state-dict keys (`rnn.weight_ih_l0`, ..., `fc.weight`, `fc.bias`).
public final class CharRNN<Scalar: TensorFloatingPoint>: Module<Scalar> {
    /// The recurrent layers.
    public let rnn: RNN<Scalar>
    /// The read-out from the last layer's hidden state to the vocabulary's logits.
    public let fc: Linear<Scalar>

    /// A model for a vocabulary of `vocabularySize` characters, initialised as PyTorch
    /// initialises it from `generator` (the RNN's parameters first, then the linear layer's).
    public init(
        vocabularySize: Int, hiddenSize: Int, numLayers: Int = 1, nonlinearity: RecurrentActivation = .tanh,
        bias: Bool = true, generator: Generator = .default
    ) {
        rnn = RNN(
            vocabularySize, hiddenSize, numLayers: numLayers, nonlinearity: nonlinearity, bias: bias,
            batchFirst: true, generator: generator)
        fc = Linear(hiddenSize, vocabularySize, bias: bias, generator: generator)
    }

    /// The vocabulary size V.
    public var vocabularySize: Int { fc.outputSize }

    /// Runs the model over one-hot characters `[batch, seq, V]` from `hidden` (`[layers, batch, H]`,
    /// zeros when `nil`).
    ///
    /// - Returns: the logits `[batch, seq, V]` and the final hidden state `[layers, batch, H]`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func callAsFunction(
        _ input: Tensor<Scalar>, _ hidden: Tensor<Scalar>? = nil
    ) -> (logits: Tensor<Scalar>, hidden: Tensor<Scalar>) {
        let (output, last) = rnn(input, hidden)
        return (fc(output), last)
    }
}
