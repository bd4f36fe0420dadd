import Foundation
import NN
import Tensor

/// Karpathy's min-char-rnn (the NumPy half of the RNN coursework) on this framework's tensors:
/// a vanilla RNN over one-hot characters in column-vector form, with its gradients derived by
/// hand rather than by autograd.
///
/// Parameters (state-dict keys as the NumPy variables): `Wxh` `[H, V]`, `Whh` `[H, H]`,
/// `Why` `[V, H]`, and unless built without bias `bh` `[H, 1]`, `by` `[V, 1]`. For one chunk
/// of inputs x_1…x_L (one-hot) with targets c_1…c_L, from the hidden state h_0:
///
///     h_t = tanh(Wxh x_t + Whh h_{t−1} + bh),   y_t = Why h_t + by,   p_t = softmax(y_t)
///     L = Σ_t −log p_t[c_t]                     (summed, not averaged, over the chunk)
///
/// Backward through time, with dy_t = p_t − onehot(c_t) and dh_{L+1}^next = 0:
///
///     dL/dWhy = Σ_t dy_t h_tᵀ,   dL/dby = Σ_t dy_t
///     dh_t = Whyᵀ dy_t + dh_{t+1}^next,   δ_t = (1 − h_t ⊙ h_t) ⊙ dh_t,   dh_t^next = Whhᵀ δ_t
///     dL/dWxh = Σ_t δ_t x_tᵀ,   dL/dWhh = Σ_t δ_t h_{t−1}ᵀ,   dL/dbh = Σ_t δ_t
///
/// The parameters do not require gradients: ``lossAndGradients(inputs:targets:hidden:)``
/// returns them, and ``MinCharRNNOptimizer`` applies them.
public final class MinCharRNN<Scalar: TensorFloatingPoint>: Module<Scalar> {
    /// Input-to-hidden weights `[H, V]` (key `Wxh`).
    public let Wxh: Tensor<Scalar>
    /// Hidden-to-hidden weights `[H, H]` (key `Whh`).
    public let Whh: Tensor<Scalar>
    /// Hidden-to-output weights `[V, H]` (key `Why`).
    public let Why: Tensor<Scalar>
    /// Hidden bias `[H, 1]` (key `bh`), `nil` without bias.
    public let bh: Tensor<Scalar>?
    /// Output bias `[V, 1]` (key `by`), `nil` without bias.
    public let by: Tensor<Scalar>?

    /// A model for `vocabularySize` characters and `hiddenSize` hidden units, initialised as
    /// min-char-rnn does: weights N(0, 1) × 0.01 drawn from `generator` in the order Wxh, Whh,
    /// Why; biases 0.
    public init(vocabularySize: Int, hiddenSize: Int, bias: Bool = true, generator: Generator = .default) {
        check(vocabularySize > 0 && hiddenSize > 0, "MinCharRNN: sizes must be positive (\(vocabularySize), \(hiddenSize))")
        Wxh = Tensor.randn([hiddenSize, vocabularySize], generator: generator) * 0.01
        Whh = Tensor.randn([hiddenSize, hiddenSize], generator: generator) * 0.01
        Why = Tensor.randn([vocabularySize, hiddenSize], generator: generator) * 0.01
        bh = bias ? Tensor.zeros([hiddenSize, 1]) : nil
        by = bias ? Tensor.zeros([vocabularySize, 1]) : nil
        super.init()
    }

    /// The vocabulary size V.
    public var vocabularySize: Int { Why.shape[0] }
    /// The hidden size H.
    public var hiddenSize: Int { Whh.shape[0] }
    /// Whether the model has the biases bh and by.
    public var hasBias: Bool { bh != nil }

    /// The hidden state h = 0, `[H, 1]`.
    public func zeroHidden() -> Tensor<Scalar> { Tensor.zeros([hiddenSize, 1]) }

    /// The forward pass over one chunk: every hidden state and every output distribution.
    public struct Forward {
        /// h_0 (the carried state) then h_1…h_L, each `[H]`.
        public var hidden: [Tensor<Scalar>]
        /// p_1…p_L as the columns of `[V, L]`.
        public var probabilities: Tensor<Scalar>
        /// L = Σ_t −log p_t[c_t], accumulated in `Double` in time order.
        public var loss: Double
    }

    /// Runs the chunk `inputs` from `hidden` (`[H, 1]`) and scores it against `targets`.
    ///
    /// - Precondition: `inputs` and `targets` have the same non-zero length and hold indices
    ///   in `0..<V`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func forward(inputs: [Int], targets: [Int], hidden: Tensor<Scalar>) -> Forward {
        check(!inputs.isEmpty && inputs.count == targets.count,
              "MinCharRNN.forward: \(inputs.count) inputs and \(targets.count) targets")
        check(hidden.shape == [hiddenSize, 1], "MinCharRNN.forward: hidden state of shape \(hidden.shape), expected [\(hiddenSize), 1]")
        return withNoGrad {
            // Wxh x_t for a one-hot x_t is column inputs[t] of Wxh: row t of this [L, H] table.
            let inputTerms = Wxh.T.indexSelect(axis: 0, index: Tensor<Int>(inputs))
            let hiddenBias = bh?.reshape(-1)
            var states = [hidden.reshape(-1)]
            for t in 0..<inputs.count {
                var preActivation = inputTerms[t] + Whh.matmul(states[t])
                if let hiddenBias { preActivation = preActivation + hiddenBias }
                states.append(preActivation.tanh())
            }
            var logits = Why.matmul(Tensor.stack(Array(states.dropFirst()), axis: 1))
            if let by { logits = logits + by }
            let probabilities = logits.softmax(axis: 0)
            var loss = 0.0
            probabilities.withUnsafeBufferPointer { p in
                for (t, target) in targets.enumerated() { loss += -Foundation.log(p[target * inputs.count + t].doubleValue) }
            }
            return Forward(hidden: states, probabilities: probabilities, loss: loss)
        }
    }

    /// The summed loss of the chunk, its gradient for every parameter (keyed like
    /// `namedParameters()`, same shapes) and the last hidden state `[H, 1]` to carry on.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func lossAndGradients(
        inputs: [Int], targets: [Int], hidden: Tensor<Scalar>
    ) -> (loss: Double, gradients: [String: Tensor<Scalar>], hidden: Tensor<Scalar>) {
        let forward = forward(inputs: inputs, targets: targets, hidden: hidden)
        return withNoGrad {
            let length = inputs.count
            let states = forward.hidden
            // dy_t = p_t − onehot(c_t), the columns of [V, L].
            let dy = forward.probabilities - Tensor<Scalar>.oneHot(Tensor<Int>(targets), classes: vocabularySize).T
            let outputs = Tensor.stack(Array(states.dropFirst()), axis: 1)           // h_1…h_L, [H, L]
            let previous = Tensor.stack(Array(states.dropLast()), axis: 1)           // h_0…h_{L−1}, [H, L]
            let fromOutput = Why.T.matmul(dy).T                                       // row t: Whyᵀ dy_t, [L, H]
            var deltas = [Tensor<Scalar>](repeating: Tensor.zeros([hiddenSize]), count: length)
            var next = Tensor<Scalar>.zeros([hiddenSize])
            for t in stride(from: length - 1, through: 0, by: -1) {
                let dh = fromOutput[t] + next
                let h = states[t + 1]
                deltas[t] = (1 - h * h) * dh
                next = Whh.T.matmul(deltas[t])
            }
            let delta = Tensor.stack(deltas, axis: 1)                                 // δ_t as columns, [H, L]
            var gradients = [
                "Wxh": Tensor<Scalar>.zeros(Wxh.shape).indexAdd(axis: 1, index: Tensor<Int>(inputs), source: delta),
                "Whh": delta.matmul(previous.T),
                "Why": dy.matmul(outputs.T),
            ]
            if hasBias {
                gradients["bh"] = delta.sum(axis: 1, keepDim: true)
                gradients["by"] = dy.sum(axis: 1, keepDim: true)
            }
            return (forward.loss, gradients, states[length].reshape(hiddenSize, 1))
        }
    }

    /// `count` characters sampled after `start` from `hidden` (`[H, 1]`), each drawn from p_t
    /// with one uniform number of `generator`, as min-char-rnn's `sample`. `hidden` is not changed.
    public func sample(from start: Int, hidden: Tensor<Scalar>, count: Int, generator: Generator) -> [Int] {
        withNoGrad {
            var h = hidden.reshape(-1), current = start
            var produced: [Int] = []
            produced.reserveCapacity(count)
            for _ in 0..<count {
                var preActivation = Wxh[.all, current] + Whh.matmul(h)
                if let bh { preActivation = preActivation + bh.reshape(-1) }
                h = preActivation.tanh()
                var logits = Why.matmul(h)
                if let by { logits = logits + by.reshape(-1) }
                let probabilities = logits.softmax(axis: 0).scalars.map { $0.doubleValue }
                let u = Tensor<Double>.uniform([], generator: generator).item
                var total = 0.0
                current = probabilities.lastIndex { $0 > 0 } ?? 0
                for (index, p) in probabilities.enumerated() {
                    total += p
                    if u < total { current = index; break }
                }
                produced.append(current)
            }
            return produced
        }
    }
}
