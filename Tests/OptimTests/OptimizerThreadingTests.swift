import Optim
import Tensor
import Testing

/// Adam(W) updates and gradient clipping split large parameter sets across threads (Adam by
/// elements, clipping by whole gradients): parameters, moments, norms and clipped gradients are
/// the same bits on 1 and 2 threads.
@Suite("Optimizers across threads")
struct OptimizerThreadingTests {
    /// Parameters of 70,001, 3 and 65,600 elements (and one empty) with fixed gradients.
    static func parameters() -> [Tensor<Float>] {
        let g = Generator(seed: 11)
        return [70_001, 3, 0, 65_600].map { count in
            let parameter = Tensor<Float>.uniform([count], lower: -1, upper: 1, generator: g).requiringGrad()
            parameter.grad = Tensor<Float>.uniform([count], lower: -2, upper: 2, generator: g)
            return parameter
        }
    }

    @Test("AdamW steps, with and without AMSGrad", arguments: [false, true])
    func adamW(amsgrad: Bool) throws {
        func run(threads: Int) throws -> [[Float]] {
            let parameters = Self.parameters()
            let optimizer = try AdamW(parameters, lr: 0.01, weightDecay: 0.1, amsgrad: amsgrad)
            withThreads(threads) {
                for step in 1...3 {
                    for parameter in parameters { parameter.grad = parameter.grad! * Float(step) - parameter.detach() }
                    optimizer.step()
                }
            }
            return parameters.map(\.scalars)
        }
        let one = try run(threads: 1), two = try run(threads: 2)
        #expect(one == two)
        #expect(one[0] != Self.parameters()[0].scalars)
    }

    @Test("clipGradNorm: the norm and the clipped gradients, norms 2, 1 and ∞", arguments: [2, 1, Float.infinity])
    func clipping(normType: Float) {
        func run(threads: Int) -> (norm: Float, gradients: [[Float]]) {
            let parameters = Self.parameters()
            let norm = withThreads(threads) { clipGradNorm(parameters, maxNorm: 1, normType: normType) }
            return (norm, parameters.map { $0.grad!.scalars })
        }
        let one = run(threads: 1), two = run(threads: 2)
        #expect(one.norm == two.norm)
        #expect(one.gradients == two.gradients)
        // The norm of the gradients' norms, each summed as clipGradNorm documents it.
        let gradients = Self.parameters().map { $0.grad!.scalars }
        let expected: Float = switch normType {
        case 2: Self.interleavedSum(gradients.map { Self.interleavedSum($0) { $0 * $0 }.squareRoot() }) { $0 * $0 }.squareRoot()
        case 1: Self.interleavedSum(gradients.map { Self.interleavedSum($0) { abs($0) } }) { abs($0) }
        default: gradients.map { $0.map(abs).max() ?? 0 }.max()!
        }
        #expect(one.norm == expected)
        #expect(one.gradients[0] != gradients[0])
    }

    /// Σ term(x) in the order clipGradNorm's 1- and 2-norms add, written out element by element:
    /// 32 partial sums (element i of each block of 32 into sum i), the tail in blocks of 8 into
    /// sums 0 to 7, then sum i of the four groups of 8 added as (g0 + g1) + (g2 + g3), and the
    /// eight results pairwise.
    static func interleavedSum(_ values: [Float], _ term: (Float) -> Float) -> Float {
        var partial = [Float](repeating: 0, count: 32)
        let blocks = values.count / 32 * 32
        for i in 0..<blocks { partial[i % 32] += term(values[i]) }
        for i in blocks..<values.count { partial[(i - blocks) % 8] += term(values[i]) }
        var s = [Float](repeating: 0, count: 8)
        for lane in 0..<8 {
            let low: Float = partial[lane] + partial[8 + lane], high: Float = partial[16 + lane] + partial[24 + lane]
            s[lane] = low + high
        }
        let low: Float = (s[0] + s[1]) + (s[2] + s[3]), high: Float = (s[4] + s[5]) + (s[6] + s[7])
        return low + high
    }
}
