import NN
import Tensor

/// The model of `/work/shared/bench/torch_train.py`:
/// `nn.RNN(V, H, L, batch_first=True, bias, nonlinearity)` then `nn.Linear(H, V, bias)`.
final class TorchTrainCharRNN<Scalar: TensorFloatingPoint>: Module<Scalar> {
    let rnn: RNN<Scalar>
    let fc: Linear<Scalar>

    init(vocabulary: Int, hidden: Int, layers: Int, bias: Bool, nonlinearity: RecurrentActivation, generator: Generator = .default) {
        rnn = RNN(vocabulary, hidden, numLayers: layers, nonlinearity: nonlinearity, bias: bias, batchFirst: true, generator: generator)
        fc = Linear(hidden, vocabulary, bias: bias, generator: generator)
    }

    func callAsFunction(_ x: Tensor<Scalar>, _ h: Tensor<Scalar>? = nil) -> (logits: Tensor<Scalar>, hidden: Tensor<Scalar>) {
        let (output, hidden) = rnn(x, h)
        return (fc(output), hidden)
    }
}
