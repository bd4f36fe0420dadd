import Tensor

extension CharRNN {
    /// Feeds `context` (character indices) through the model from h0 = 0 and returns the
    /// hidden state after its last character (`[layers, 1, H]`): the warm start.
    public func hiddenState(after context: [Int]) -> Tensor<Scalar>? {
        guard !context.isEmpty else { return nil }
        return withNoGrad {
            let input = Tensor<Scalar>.oneHot(Tensor<Int>(context), classes: vocabularySize).unsqueeze(0)
            return self(input).hidden
        }
    }

    /// Greedy decoding: from `start` and hidden state `hidden` (h0 = 0 when `nil`), feeds the
    /// arg-max character back in `count` times and returns the `count` characters produced.
    public func greedyContinuation(from start: Int, hidden: Tensor<Scalar>? = nil, count: Int) -> [Int] {
        decode(from: start, hidden: hidden, count: count) { logits in logits.argmax().item }
    }

    /// Sampling: like ``greedyContinuation(from:hidden:count:)`` but draws each next character
    /// from softmax(logits / temperature) with `generator`.
    public func sampledContinuation(
        from start: Int, hidden: Tensor<Scalar>? = nil, count: Int, temperature: Double, generator: Generator
    ) -> [Int] {
        decode(from: start, hidden: hidden, count: count) { logits in
            let probabilities = (logits / Scalar(temperature)).softmax(axis: 0).scalars.map { $0.doubleValue }
            let u = Tensor<Double>.uniform([], generator: generator).item
            var total = 0.0
            for (index, p) in probabilities.enumerated() {
                total += p
                if u < total { return index }
            }
            return probabilities.lastIndex { $0 > 0 } ?? 0
        }
    }

    private func decode(from start: Int, hidden: Tensor<Scalar>?, count: Int, choose: (Tensor<Scalar>) -> Int) -> [Int] {
        withNoGrad {
            var hidden = hidden, current = start
            var produced: [Int] = []
            produced.reserveCapacity(count)
            for _ in 0..<count {
                let input = Tensor<Scalar>.oneHot(Tensor<Int>([current]), classes: vocabularySize).reshape(1, 1, -1)
                let (logits, next) = self(input, hidden)
                hidden = next
                current = choose(logits.reshape(-1))
                produced.append(current)
            }
            return produced
        }
    }
}
