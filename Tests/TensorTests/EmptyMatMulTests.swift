import Testing
import Tensor

/// Products with an empty dimension, as `torch.matmul` treats them: an empty sum (K = 0) is zero,
/// an empty M, N or batch gives an empty result, and gradients keep their operands' shapes.
@Suite("Empty matmul")
struct EmptyMatMulTests {
    @Test("shapes and values", arguments: [
        ([2, 0], [0, 3], [2, 3]), ([0, 4], [4, 3], [0, 3]), ([2, 4], [4, 0], [2, 0]),
        ([5, 2, 0], [0, 3], [5, 2, 3]), ([0, 2, 4], [4, 3], [0, 2, 3]),
    ])
    func product(a: [Int], b: [Int], expected: [Int]) {
        let x = Tensor<Double>.ones(a).requiringGrad(), y = Tensor<Double>.ones(b).requiringGrad()
        let z = x.matmul(y)
        #expect(z.shape == expected)
        #expect(z.scalars.allSatisfy { $0 == 0 })
        z.sum().backward()
        #expect(x.grad?.shape == a && x.grad?.scalars.allSatisfy { $0 == 0 } == true)
        #expect(y.grad?.shape == b && y.grad?.scalars.allSatisfy { $0 == 0 } == true)
    }
}
