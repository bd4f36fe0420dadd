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

    /// The state-dict keys and shapes of a model of this architecture, in state-dict order,
    /// computed without building it (a checkpoint is checked against them before a model of
    /// its claimed size is allocated).
    public static func parameterShapes(
        vocabularySize: Int, hiddenSize: Int, numLayers: Int, bias: Bool
    ) -> [(key: String, shape: [Int])] {
        var shapes: [(key: String, shape: [Int])] = []
        for layer in 0..<numLayers {
            shapes.append(("rnn.weight_ih_l\(layer)", [hiddenSize, layer == 0 ? vocabularySize : hiddenSize]))
            shapes.append(("rnn.weight_hh_l\(layer)", [hiddenSize, hiddenSize]))
            if bias {
                shapes.append(("rnn.bias_ih_l\(layer)", [hiddenSize]))
                shapes.append(("rnn.bias_hh_l\(layer)", [hiddenSize]))
            }
        }
        shapes.append(("fc.weight", [vocabularySize, hiddenSize]))
        if bias { shapes.append(("fc.bias", [vocabularySize])) }
        return shapes
    }

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
