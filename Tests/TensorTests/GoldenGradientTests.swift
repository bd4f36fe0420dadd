import Testing
import Tensor

/// Gradients of compound expressions against PyTorch's autograd (Golden/tensor_golden.json).
@Suite("Gradients match PyTorch")
struct GoldenGradientTests {
    @Test("gradient", arguments: Golden.shared.gradients.keys.sorted())
    func gradient(name: String) throws {
        let golden = try #require(Golden.shared.gradients[name])
        let leaves = golden.inputs.map { $0.tensor.requiringGrad() }
        let loss = try #require(Self.loss(name, leaves), "no Swift mirror of case \(name)")
        #expect(Swift.abs(loss.item - golden.loss) <= 1e-9 * Swift.max(1, Swift.abs(golden.loss)), "\(name): loss \(loss.item) vs \(golden.loss)")
        loss.backward()
        for (i, (leaf, expected)) in zip(leaves, golden.grads).enumerated() {
            if let expected {
                let grad = try #require(leaf.grad, "\(name): input \(i) has no gradient")
                expectClose(grad, expected, "\(name) gradient \(i)")
            } else {
                #expect(leaf.grad == nil, "\(name): index input \(i) should get no gradient")
            }
        }
    }

    /// The Swift spelling of each case of `GRADIENTS` in make_tensor_golden.py.
    static func loss(_ name: String, _ x: [Tensor<Double>]) -> Tensor<Double>? {
        switch name {
        case "mlp_logsoftmax":
            return -((x[0].matmul(x[1]) + x[2]).tanh().logSoftmax(axis: -1) * x[3]).sum()
        case "broadcast_div_pow_max":
            let (a, b) = (x[0], x[1])
            return (((a - b) / (b + 1)).pow(2) + a.maximum(b * 0.3).exp()).mean()
        case "reductions":
            let v = x[0]
            return v.max(axis: 1).values.sum() + v.logSumExp(axis: 0).sum() + (v.clamp(min: -0.5, max: 0.5) * v).mean()
                + v.where(v .> 0, v * v).sum() + v.softmax(axis: 0)[1].pow(3).sum()
        case "batched_matmul":
            return x[0].matmul(x[1]).pow(2).sum()
        case "shape_ops":
            let (a, b) = (x[0], x[1])
            let attention = Tensor.cat([a, b], axis: 1)[.all, 1..<4].permute(2, 0, 1).reshape(4, -1).softmax(axis: 0)
            return (attention * Tensor.stack([a, b], axis: -1).sum(axis: -1).reshape(4, 6)).sum()
        case "split_chunk":
            let v = x[0]
            var total = Tensor<Double>(scalar: 0)
            for (i, piece) in v.split(sizes: [1, 2, 3]).enumerated() { total = total + (piece * piece * piece).sum() * Double(i + 1) }
            for (i, piece) in v.chunk(3, axis: 1).enumerated() { total = total + (piece * piece).sum() * (Double(i) + 1.5) }
            for (i, row) in v.unbind(axis: 0).enumerated() { total = total + row.tanh().sum() * Double(i + 1) }
            return total
        case "gather_index_select":
            let v = x[0]
            return v.gather(axis: 1, index: x[1].asIndex).pow(2).sum() + v.indexSelect(axis: 0, index: x[2].asIndex).exp().mean()
        case "scatter_index_add":
            let (a, s) = (x[0], x[1])
            return (a.scatterAdd(axis: 0, index: x[2].asIndex, source: s).tanh() * a.indexAdd(axis: 0, index: x[3].asIndex, source: s)).sum()
        case "indexing":
            let v = x[0]
            return (v[1..<3, .slice(step: 2)] * v[0, ..<3] + v[1..<3, -1, .newAxis]).sigmoid().sum() + v[.newAxis, 2].pow(2).sum()
        default: return nil
        }
    }
}
