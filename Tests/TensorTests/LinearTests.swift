import Testing
import Tensor

/// `linear(weight:bias:)` against the composite it replaces, `matmul(weight.T) + bias`: the same
/// bits forward and backward, over shapes that take the GEMM's direct and packed paths and sums
/// longer than one cache block (K = 300).
@Suite("Linear")
struct LinearTests {
    @Test(
        "linear equals matmul(weight.T) + bias bit for bit, forward and backward",
        arguments: [(rows: 1, inputs: 5, outputs: 3), (7, 300, 13), (70, 40, 33), (3, 1, 1)], [true, false])
    func matchesComposite(shape: (rows: Int, inputs: Int, outputs: Int), hasBias: Bool) {
        check(Float.self, shape, hasBias)
        check(Double.self, shape, hasBias)
    }

    private func check<Scalar: TensorFloatingPoint>(
        _: Scalar.Type, _ shape: (rows: Int, inputs: Int, outputs: Int), _ hasBias: Bool
    ) {
        let generator = Generator(seed: 7)
        let x = Tensor<Scalar>.randn([shape.rows, shape.inputs], generator: generator).requiringGrad()
        let w = Tensor<Scalar>.randn([shape.outputs, shape.inputs], generator: generator).requiringGrad()
        let b = hasBias ? Tensor<Scalar>.randn([shape.outputs], generator: generator).requiringGrad() : nil
        let upstream = Tensor<Scalar>.randn([shape.rows, shape.outputs], generator: generator)

        let fused = x.linear(weight: w, bias: b)
        fused.backward(gradient: upstream)
        let (dx, dw, db) = (x.grad, w.grad, b?.grad)
        for tensor in [x, w] + (b.map { [$0] } ?? []) { tensor.grad = nil }

        var composite = x.matmul(w.T)
        if let b { composite = composite + b }
        composite.backward(gradient: upstream)

        #expect(fused.shape == [shape.rows, shape.outputs])
        #expect(fused.scalars == composite.scalars)
        #expect(dx?.scalars == x.grad?.scalars)
        #expect(dw?.scalars == w.grad?.scalars)
        #expect(db?.scalars == b?.grad?.scalars)
    }

    @Test("linear names its graph node as PyTorch does")
    func nodeNames() {
        let x = Tensor<Double>.ones([2, 3], requiresGrad: true)
        let w = Tensor<Double>.ones([4, 3])
        #expect(x.linear(weight: w, bias: Tensor.zeros([4])).gradFnName == "AddmmBackward")
        #expect(x.linear(weight: w).gradFnName == "MmBackward")
    }
}
