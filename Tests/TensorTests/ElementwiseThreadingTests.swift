import Testing
import Tensor

/// GELU, layer normalisation and same-shape arithmetic split large tensors across threads (by
/// elements or rows; the layer norm's weight and bias gradients by columns): values and gradients
/// are the same bits on 1 and 2 threads, also for sizes that are not multiples of the split.
@Suite("Elementwise and row-wise ops across threads")
struct ElementwiseThreadingTests {
    /// `op` of a fresh leaf copy of x, and the gradient of (output ⊙ w).sum() for that leaf.
    static func run<S: TensorFloatingPoint>(
        _ x: Tensor<S>, _ w: Tensor<S>, _ op: (Tensor<S>) -> Tensor<S>
    ) -> (output: [S], gradient: [S]) {
        let leaf = x.detach().requiringGrad()
        let output = op(leaf)
        (output * w).sum().backward()
        return (output.scalars, leaf.grad!.scalars)
    }

    /// Runs `op` on 1 and on 2 threads and expects the same values and gradients.
    static func expectSameBits<S: TensorFloatingPoint>(_ shape: [Int], seed: UInt64, _ op: @escaping (Tensor<S>) -> Tensor<S>) {
        let g = Generator(seed: seed)
        let x = Tensor<S>.uniform(shape, lower: -4, upper: 4, generator: g)
        let w = Tensor<S>.uniform(shape, lower: -1, upper: 1, generator: g)
        let one = withThreads(1) { run(x, w, op) }
        let two = withThreads(2) { run(x, w, op) }
        #expect(one.output == two.output)
        #expect(one.gradient == two.gradient)
    }

    @Test("GELU, exact and tanh, Float and Double", arguments: GELUApproximation.allCases)
    func gelu(approximate: GELUApproximation) {
        Self.expectSameBits([65_536 + 37], seed: 1) { (x: Tensor<Float>) in x.gelu(approximate: approximate) }
        Self.expectSameBits([257, 256], seed: 2) { (x: Tensor<Double>) in x.gelu(approximate: approximate) }
    }

    @Test("same-shape +, -, * and / (both operands' gradients)")
    func arithmetic() {
        let g = Generator(seed: 5)
        let other = Tensor<Double>.uniform([65_600 + 3], lower: 0.5, upper: 2, generator: g).requiringGrad()
        func gradients(_ op: @escaping (Tensor<Double>, Tensor<Double>) -> Tensor<Double>) -> [[Double]] {
            let x = Tensor<Double>.uniform([65_600 + 3], lower: -2, upper: 2, generator: Generator(seed: 6))
            other.grad = nil
            let result = Self.run(x, other.detach() * 0 + 1) { op($0, other) }
            return [result.output, result.gradient, other.grad!.scalars]
        }
        let ops: [(Tensor<Double>, Tensor<Double>) -> Tensor<Double>] = [{ $0 + $1 }, { $0 - $1 }, { $0 * $1 }, { $0 / $1 }]
        for op in ops { #expect(withThreads(1) { gradients(op) } == withThreads(2) { gradients(op) }) }
    }

    @Test("layerNorm with and without weight and bias, Float and Double", arguments: [true, false])
    func layerNorm(affine: Bool) {
        let g = Generator(seed: 7)
        let weight = affine ? Tensor<Double>.uniform([128], lower: 0.5, upper: 1.5, generator: g).requiringGrad() : nil
        let bias = affine ? Tensor<Double>.uniform([128], lower: -1, upper: 1, generator: g).requiringGrad() : nil
        func parameterGradients() -> [[Double]] { [weight, bias].compactMap { $0?.grad?.scalars } }
        var perThreads: [[[Double]]] = []
        for threads in [1, 2] {
            weight?.grad = nil
            bias?.grad = nil
            let x = Tensor<Double>.uniform([3, 173, 128], lower: -3, upper: 3, generator: Generator(seed: 8))
            let w = Tensor<Double>.uniform([3, 173, 128], lower: -1, upper: 1, generator: Generator(seed: 9))
            let result = withThreads(threads) {
                Self.run(x, w) { $0.layerNorm(normalizedShape: [128], weight: weight, bias: bias) }
            }
            perThreads.append([result.output, result.gradient] + parameterGradients())
        }
        #expect(perThreads[0] == perThreads[1])
        #expect(perThreads[0].count == (affine ? 4 : 2))
        Self.expectSameBits([520, 130], seed: 10) { (x: Tensor<Float>) in x.layerNorm(normalizedShape: [130]) }
    }
}
