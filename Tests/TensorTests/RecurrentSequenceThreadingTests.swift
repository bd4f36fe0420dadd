import Testing
import Tensor

/// The fused RNN in `Float` (vectorised tanh, time loops split over the batch across threads)
/// against the same op in `Double`, and the same results whatever the thread count or the per-step
/// product (pre-packed or direct).
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

    @Test("8 rows at once (W_hh pre-packed) give the bits of one row at a time (direct product)", arguments: RecurrentActivation.allCases)
    func packedStepsMatchDirectSteps(activation: RecurrentActivation) {
        // Hidden 128 and 8 rows in one part pick the pre-packed per-step product; a batch of one,
        // the direct one on an aligned copy. Rows are independent, so the output and the gradients
        // of the input and of h_0 must agree bit for bit.
        let g = Generator(seed: 8)
        let inputs = [[8, 4, 3], [8, 128], [128, 3], [128, 128], [128], [128]].map {
            Tensor<Float>.uniform($0, lower: -0.2, upper: 0.2, generator: g)
        }
        let weights = Tensor<Float>.uniform([8, 4, 128], lower: -1, upper: 1, generator: Generator(seed: 9))
        // GEMMTests can force the portable kernels process-wide meanwhile: a mismatch is retried.
        let identical = (0..<3).contains { _ in
            let whole = withThreads(1) { Self.run(inputs, weights: weights, activation: activation) }
            return (0..<8).allSatisfy { b in
                let row = [inputs[0].narrow(axis: 0, start: b, length: 1), inputs[1].narrow(axis: 0, start: b, length: 1)]
                    + inputs[2...]
                let single = withThreads(1) {
                    Self.run(row, weights: weights.narrow(axis: 0, start: b, length: 1), activation: activation)
                }
                return (0..<3).allSatisfy { whole[$0].narrow(axis: 0, start: b, length: 1).scalars == single[$0].scalars }
            }
        }
        #expect(identical)
    }
}
