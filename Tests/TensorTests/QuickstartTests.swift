import Foundation
import Testing
import Tensor

/// The README quickstart compiles, runs and prints what PyTorch does (ExamplesTests' README
/// suite checks that README.md shows this code).
@Suite("Quickstart")
struct QuickstartTests {
    @Test("the quickstart runs and agrees with PyTorch")
    func quickstart() {
        // quickstart:begin
        let x = Tensor<Double>([[0.5, -1], [0.25, 0.75]])               // shape [2, 2]
        let w = Tensor<Double>.randn([2, 3], generator: Generator(seed: 0)).requiringGrad()
        let b = Tensor<Double>.zeros([3], requiresGrad: true)

        let scores = (x.matmul(w) + b).tanh()                          // [2, 3], recorded for autograd
        let loss = scores.logSoftmax(axis: 1)[.all, 0].mean()          // a 0-d tensor
        print(loss.item)                                               // ≈ -0.85675

        loss.backward()                                                // fills w.grad and b.grad
        print(w.grad!)
        // tensor([[ 0.1986, -0.0623, -0.0686],
        //         [-0.2896,  0.0710,  0.1240]], dtype=torch.float64)

        let probabilities = withNoGrad { (x.matmul(w) + b).softmax(axis: 1) }
        print(probabilities.requiresGrad)                              // false: no graph was recorded

        let check = gradientCheck(of: { ($0[0].matmul($0[1]) + $0[2]).tanh().sum() }, at: [x, w, b])
        print(check.passed)                                            // true
        // quickstart:end

        // The same program in PyTorch (torch.randn(2, 3, generator=torch.Generator().manual_seed(0),
        // dtype=torch.float64), ...) gives this loss and prints this gradient.
        #expect(Swift.abs(loss.item - -0.8567497160283499) < 1e-12)
        #expect(w.grad?.description == """
            tensor([[ 0.1986, -0.0623, -0.0686],
                    [-0.2896,  0.0710,  0.1240]], dtype=torch.float64)
            """)
        #expect(!probabilities.requiresGrad)
        #expect(check.passed)
    }
}
