import Testing
import Tensor

/// Softmax and log-softmax of large tensors split their lanes across threads: the results and
/// gradients are the same bits at any thread count, and the fused log-softmax backward agrees
/// with its definition, g - softmax(x) · sum(g).
@Suite("Softmax across threads")
struct SoftmaxThreadingTests {
    /// softmax or log-softmax of x along `axis`, and the gradient of (output ⊙ w).sum().
    static func run<S: TensorFloatingPoint>(_ x: Tensor<S>, _ w: Tensor<S>, axis: Int, log: Bool) -> [Tensor<S>] {
        let leaf = x.detach().requiringGrad()
        let output = log ? leaf.logSoftmax(axis: axis) : leaf.softmax(axis: axis)
        (output * w).sum().backward()
        return [output.detach(), leaf.grad!]
    }

    @Test("same bits on 1 and 2 threads, along either axis", arguments: [(0, false), (1, false), (0, true), (1, true)])
    func threadsAgree(axis: Int, log: Bool) {
        let g = Generator(seed: 3)
        let x = Tensor<Double>.uniform([300, 250], lower: -4, upper: 4, generator: g)
        let w = Tensor<Double>.uniform([300, 250], lower: -1, upper: 1, generator: g)
        let one = withThreads(1) { Self.run(x, w, axis: axis, log: log) }
        let two = withThreads(2) { Self.run(x, w, axis: axis, log: log) }
        for (a, b) in zip(one, two) { #expect(a.scalars == b.scalars) }
    }

    @Test("the log-softmax gradient is g - softmax(x) · sum(g)")
    func logSoftmaxGradient() {
        let g = Generator(seed: 4)
        let x = Tensor<Double>.uniform([300, 250], lower: -4, upper: 4, generator: g)
        let w = Tensor<Double>.uniform([300, 250], lower: -1, upper: 1, generator: g)
        let gradient = Self.run(x, w, axis: 1, log: true)[1]
        let expected = w - x.softmax(axis: 1) * w.sum(axis: 1, keepDim: true)
        for (a, b) in zip(gradient.scalars, expected.scalars) { #expect(abs(a - b) <= 1e-15 * max(1, abs(b))) }
    }
}
