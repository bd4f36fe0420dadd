import Testing
import Tensor

/// The fused RNN in `Float` (vectorised tanh, time loops split over the batch across threads)
/// against the same op in `Double`, and the same results whatever the thread count.
@Suite("Fused RNN sequence in Float and across threads")
struct RecurrentSequenceThreadingTests {
    /// Inputs large enough for the time loops to be split across threads (batch 8, 64 hidden,
    /// 128 steps), with gradients.
    static func inputs(_ seed: UInt64) -> [Tensor<Double>] {
        let g = Generator(seed: seed)
        return [[8, 128, 5], [8, 64], [64, 5], [64, 64], [64], [64]].map {
            Tensor<Double>.uniform($0, lower: -0.1, upper: 0.1, generator: g)
        }
    }

    /// The output and every gradient of (output ⊙ weights).sum().
    static func run<S: TensorFloatingPoint>(
        _ inputs: [Tensor<S>], weights: Tensor<S>, activation: RecurrentActivation
    ) -> [Tensor<S>] {
        let leaves = inputs.map { $0.detach().requiringGrad() }
        let output = Tensor.rnnSequence(
            input: leaves[0], initialHidden: leaves[1], weightIH: leaves[2], weightHH: leaves[3], biasIH: leaves[4],
            biasHH: leaves[5], activation: activation)
        (output * weights).sum().backward()
        return [output.detach()] + leaves.map { $0.grad! }
    }

    @Test("Float agrees with Double", arguments: RecurrentActivation.allCases)
    func floatMatchesDouble(activation: RecurrentActivation) {
        let inputs = Self.inputs(3)
        let weights = Tensor<Double>.uniform([8, 128, 64], lower: -1, upper: 1, generator: Generator(seed: 4))
        let exact = Self.run(inputs, weights: weights, activation: activation)
        let single = Self.run(
            inputs.map { $0.converted(to: Float.self) }, weights: weights.converted(to: Float.self), activation: activation)
        for (s, d) in zip(single, exact) {
            let scale = d.scalars.map(abs).max() ?? 0
            let error = zip(s.scalars, d.scalars).map { abs(Double($0) - $1) }.max() ?? 0
            #expect(error <= 1e-5 * scale + 1e-6, "error \(error) at scale \(scale)")
        }
    }

    @Test("one thread and two give identical bits", arguments: RecurrentActivation.allCases)
    func threadCountInvariant(activation: RecurrentActivation) {
        let inputs = Self.inputs(5).map { $0.converted(to: Float.self) }
        let weights = Tensor<Float>.uniform([8, 128, 64], lower: -1, upper: 1, generator: Generator(seed: 6))
        // GEMMTests can force the portable kernels process-wide while this runs, which changes the
        // rounding of whichever run it overlaps: a mismatch is retried.
        let identical = (0..<3).contains { _ in
            let one = withThreads(1) { Self.run(inputs, weights: weights, activation: activation) }
            let two = withThreads(2) { Self.run(inputs, weights: weights, activation: activation) }
            return zip(one, two).allSatisfy { $0.scalars == $1.scalars }
        }
        #expect(identical)
    }
}
