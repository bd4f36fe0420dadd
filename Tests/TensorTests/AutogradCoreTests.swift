import Testing
import Tensor

@Suite("Autograd core")
struct AutogradCoreTests {
    @Test("gradients accumulate until reset")
    func accumulation() {
        let w = Tensor<Double>([1, 2, 3], requiresGrad: true)
        (w * w).sum().backward()
        (w * w).sum().backward()
        #expect(w.grad?.scalars == [4, 8, 12])
        w.grad = nil
        (w * 3).sum().backward()
        #expect(w.grad?.scalars == [3, 3, 3])
    }

    @Test("no-grad scope records no graph")
    func noGrad() {
        let w = Tensor<Double>([1, 2], requiresGrad: true)
        let y = withNoGrad { w * 2 }
        #expect(!y.requiresGrad)
        #expect(y.isLeaf)
        #expect((w * 2).gradFnName == "MulBackward")
    }

    @Test("retainGrad keeps a non-leaf gradient")
    func retainGrad() {
        let x = Tensor<Double>([1, 2], requiresGrad: true)
        let y = x * 3
        y.retainGrad()
        (y * y).sum().backward()
        #expect(y.grad?.scalars == [6, 12])
        #expect(x.grad?.scalars == [18, 36])
    }

    @Test("a shared subexpression sums its gradients")
    func diamond() {
        let x = Tensor<Double>([2], requiresGrad: true)
        let y = x * x
        (y + y * x).sum().backward()   // d/dx (x^2 + x^3) = 2x + 3x^2
        #expect(x.grad?.scalars == [16])
    }

    @Test("gradient check of binary ops on broadcast shapes",
          arguments: [([2, 3], [3]), ([2, 1, 3], [4, 1]), ([3], [2, 3]), ([], [2, 2])])
    func broadcastBinary(shapes: ([Int], [Int])) {
        let a = sample(shapes.0, seed: 3), b = sample(shapes.1, seed: 4, lower: 0.5, upper: 2)
        for op in [{ (x: [Tensor<Double>]) in x[0] + x[1] }, { $0[0] - $0[1] }, { $0[0] * $0[1] }, { $0[0] / $0[1] },
                   { $0[0].maximum($0[1]) }, { $0[1].pow($0[0]) }] {
            let report = gradientCheck(of: op, at: [a, b])
            #expect(report.passed, "\(report)")
        }
    }

    @Test("gradient check of reductions, softmax and matmul")
    func reductions() {
        let x = sample([2, 3, 4], seed: 5)
        let cases: [([Tensor<Double>]) -> Tensor<Double>] = [
            { $0[0].sum() }, { $0[0].sum(axes: [0, 2], keepDim: true) }, { $0[0].mean(axis: 1) },
            { $0[0].max(axis: 2).values }, { $0[0].logSumExp(axis: 1) }, { $0[0].softmax(axis: -1) },
            { $0[0].logSoftmax(axis: 0) }, { $0[0].tanh().sigmoid().exp() }, { $0[0].permute(2, 0, 1).reshape(4, 6) },
            { $0[0].matmul($0[0].transposed(1, 2)) }, { $0[0].reshape(6, 4).matmul(sample([4])) },
        ]
        for f in cases {
            let report = gradientCheck(of: f, at: [x])
            #expect(report.passed, "\(report)")
        }
    }

    @Test("matmul reports both shapes when they do not fit")
    func matmulShapes() {
        let a = Tensor<Double>.zeros([1, 14]), b = Tensor<Double>.zeros([14, 15])
        #expect(a.matmul(b).shape == [1, 15])
        #expect(Tensor<Double>.zeros([5, 1, 2, 3]).matmul(Tensor<Double>.zeros([4, 3, 6])).shape == [5, 4, 2, 6])
    }
}
