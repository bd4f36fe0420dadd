import Optim
import Tensor
import Testing

/// Gradient clipping beyond the golden trajectories (which cover norms 1, 2, 3, ∞ and values).
@Suite("Gradient clipping")
struct ClippingTests {
    private static func parameters(gradients: [[Double]?]) -> [Tensor<Double>] {
        gradients.map { gradient in
            let parameter = Tensor<Double>.zeros([gradient?.count ?? 1], requiresGrad: true)
            parameter.grad = gradient.map { Tensor($0) }
            return parameter
        }
    }

    @Test("clipGradNorm scales every gradient by maxNorm / (norm + 1e-6) and returns the norm")
    func clipsNorm() {
        let parameters = Self.parameters(gradients: [[3, 0], nil, [0, 4]])
        let norm = clipGradNorm(parameters, maxNorm: 1)
        #expect(norm == 5)
        let scale = 1 / (5 + 1e-6)
        #expect(parameters[0].grad?.scalars == [3 * scale, 0])
        #expect(parameters[1].grad == nil)
        #expect(parameters[2].grad?.scalars == [0, 4 * scale])
    }

    @Test("gradients under the limit are left as they are")
    func keepsSmallGradients() {
        let parameters = Self.parameters(gradients: [[0.3, -0.4]])
        #expect(clipGradNorm(parameters, maxNorm: 1) == 0.5)
        #expect(parameters[0].grad?.scalars == [0.3, -0.4])
    }

    /// Expected norms from `torch.nn.utils.clip_grad_norm_` on the same gradients. For p = 0 the
    /// total is the number of gradients with a non-zero 0-norm (PyTorch takes the p-norm of the
    /// per-tensor norms), not the number of non-zero elements.
    @Test("norm types ∞, −∞, 0 and 1 as PyTorch computes them", arguments: [
        (Double.infinity, 4.0), (-Double.infinity, 0.0), (0.0, 2.0), (1.0, 9.0),
    ])
    func normTypes(normType: Double, expected: Double) {
        let parameters = Self.parameters(gradients: [[-4, 0, 2], [3]])
        #expect(clipGradNorm(parameters, maxNorm: 100, normType: normType) == expected)
    }

    /// Lengths around the 32-element blocks of the interleaved sums (and a tail of 1 to 31), with a
    /// NaN or an infinity at any position.
    @Test("1- and 2-norms of long gradients, their tails, NaN and infinity", arguments: [1, 31, 32, 33, 64, 1000, 1037])
    func longGradients(length: Int) {
        let g = Generator(seed: UInt64(length))
        let values = Tensor<Double>.uniform([length], lower: -2, upper: 2, generator: g).scalars
        for (normType, expected) in [
            (1.0, values.reduce(0) { $0 + Swift.abs($1) }), (2.0, values.reduce(0) { $0 + $1 * $1 }.squareRoot()),
        ] {
            let norm = clipGradNorm(Self.parameters(gradients: [values]), maxNorm: 1e9, normType: normType)
            #expect(Swift.abs(norm - expected) <= 1e-13 * expected, "p \(normType), length \(length)")
            for special in [Double.nan, .infinity] {
                var spoiled = values
                spoiled[length - 1 - length / 3] = special
                let norm = clipGradNorm(Self.parameters(gradients: [spoiled]), maxNorm: 1e9, normType: normType)
                #expect(special.isNaN ? norm.isNaN : norm == .infinity, "p \(normType), length \(length), \(special)")
            }
        }
    }

    @Test("no gradients give a norm of 0")
    func noGradients() {
        #expect(clipGradNorm(Self.parameters(gradients: [nil]), maxNorm: 1) == 0)
        #expect(clipGradNorm([Tensor<Float>](), maxNorm: 1) == 0)
    }

    @Test("clipGradValue clamps to [−c, c], min-char-rnn style, keeping NaN")
    func clipsValues() {
        let parameters = Self.parameters(gradients: [[-7, -5, 0.5, 5, 12, .nan], nil])
        clipGradValue(parameters, clipValue: 5)
        let clipped = parameters[0].grad!.scalars
        #expect(Array(clipped.prefix(5)) == [-5, -5, 0.5, 5, 5])
        #expect(clipped[5].isNaN)
        #expect(parameters[1].grad == nil)
    }

    @Test("Float gradients clip too")
    func floatClipping() {
        let parameter = Tensor<Float>.zeros([2], requiresGrad: true)
        parameter.grad = Tensor([6, 8])
        #expect(clipGradNorm([parameter], maxNorm: 5) == 10)
        #expect(zip(parameter.grad!.scalars, [3, 4]).allSatisfy { Swift.abs($0 - $1) < 1e-5 })
    }
}

/// `clipGradNorm(errorIfNonfinite:)`.
@Suite("Gradient clipping with a non-finite check")
struct NonfiniteClippingTests {
    @Test("a non-finite norm throws and leaves the gradients; a finite one clips as without the check")
    func nonfinite() throws {
        let w = Tensor<Double>([1, 2], requiresGrad: true)
        w.grad = Tensor([3, .infinity])
        #expect(throws: NonfiniteGradientNormError(normType: 2)) { try clipGradNorm([w], maxNorm: 1, errorIfNonfinite: true) }
        #expect(w.grad?.scalars == [3, .infinity])
        w.grad = Tensor([3, 4])
        let norm = try clipGradNorm([w], maxNorm: 1, errorIfNonfinite: true)
        #expect(norm == 5)
        let expected = Tensor<Double>([3, 4]) * (1 / (5 + 1e-6))
        #expect(w.grad?.scalars == expected.scalars)
    }
}
