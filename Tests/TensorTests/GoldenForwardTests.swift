import Testing
import Tensor

/// Every operation's forward values against PyTorch's (Golden/tensor_golden.json, float64, 1e-9 relative).
@Suite("Forward values match PyTorch")
struct GoldenForwardTests {
    @Test("forward", arguments: Golden.shared.forward.keys.sorted())
    func forward(name: String) throws {
        let golden = try #require(Golden.shared.forward[name])
        let outputs = try #require(Self.compute(name, golden.inputs.map(\.tensor)), "no Swift mirror of case \(name)")
        #expect(outputs.count == golden.outputs.count, "\(name): number of outputs")
        for (i, (actual, expected)) in zip(outputs, golden.outputs).enumerated() {
            expectClose(actual, expected, "\(name) output \(i)")
        }
    }

    /// The Swift spelling of each case of `FORWARD` in make_tensor_golden.py.
    static func compute(_ name: String, _ x: [Tensor<Double>]) -> [Tensor<Double>]? {
        let a = x[0]
        switch name {
        case "add_broadcast": return [a + x[1]]
        case "sub_broadcast": return [a - x[1]]
        case "mul_broadcast": return [a * x[1]]
        case "div_broadcast": return [a / x[1]]
        case "scalar_ops": return [a + 2.5, 2.5 - a, a * -1.5, 3 / a, a / 4, -a]
        case "pow_tensor": return [a.pow(x[1])]
        case "pow_scalar": return [a.pow(2.5), a.pow(-1), a.pow(3)]
        case "maximum_minimum": return [a.maximum(x[1]), a.minimum(x[1])]
        case "unary":
            return [a.exp(), a.abs().log(), a.abs().sqrt(), a.abs(), a.tanh(), a.sigmoid(), a.relu(), a.square()]
        case "sigmoid_extremes": return [a.sigmoid()]
        case "clamp": return [a.clamp(min: -0.5, max: 0.75), a.clamp(min: 0.1), a.clamp(max: -0.2)]
        case "where": return [a.where(a .> 0, x[1])]
        case "nonfinite_propagation":
            let b = x[1]
            return [a.maximum(b), a.minimum(b), a.relu(), a.clamp(min: -1, max: 1), a.sigmoid(), a.abs(), a.exp(), a.tanh(),
                    a + b, a * b, a.max(), a.min(), a.sum(), a.softmax(axis: 0), a.where(a .> 0, b)]
        case "sum":
            return [a.sum(), a.sum(axis: 1), a.sum(axis: 1, keepDim: true), a.sum(axes: [0, 2]),
                    a.sum(axes: [0, 2], keepDim: true), a.sum(axis: -1)]
        case "mean": return [a.mean(), a.mean(axis: 0), a.mean(axes: [1, 2], keepDim: true), a.mean(axis: -2, keepDim: true)]
        case "max_min_all": return [a.max(), a.min()]
        case "max_min_axis_ties":
            let results = [a.max(axis: 1), a.min(axis: 1), a.max(axis: 0, keepDim: true), a.min(axis: -1, keepDim: true)]
            return results.flatMap { [$0.values, $0.indices.asDouble] }
        case "argmax": return [a.argmax(), a.argmax(axis: 1), a.argmax(axis: 0, keepDim: true), a.argmin(axis: 1)].map(\.asDouble)
        case "argmax_ties": return [a.argmax(), a.argmax(axis: 1), a.argmin(axis: 0)].map(\.asDouble)
        case "logsumexp":
            return [a.logSumExp(axis: 1), a.logSumExp(axis: -1, keepDim: true), a.logSumExp(axes: [0, 2]),
                    a.logSumExp(axes: [0, 1], keepDim: true)]
        case "logsumexp_large": return [a.logSumExp(axis: 1), a.logSumExp(axis: 0)]
        case "softmax": return [a.softmax(axis: -1), a.softmax(axis: 0), a.logSoftmax(axis: 1), a.logSoftmax(axis: -1)]
        case "softmax_large": return [a.softmax(axis: 1), a.logSoftmax(axis: 1), a.softmax(axis: 0), a.logSoftmax(axis: 0)]
        case "matmul_1d_1d", "matmul_2d_2d", "matmul_1d_2d", "matmul_2d_1d", "matmul_batched_broadcast",
            "matmul_3d_1d", "matmul_1d_3d":
            return [a.matmul(x[1])]
        case "reshape_permute":
            return [a.reshape(4, 6), a.reshape(-1, 2), a.permute(2, 0, 1), a.transposed(0, 2), a.flatten(startAxis: 1),
                    a.unsqueeze(1), a.unsqueeze(-1), a[.all, ..<1].squeeze(), a[..<1].squeeze(0)]
        case "matrix_transpose": return [a.T]
        case "expand": return [a.expand(to: [2, 3, 4]), a.expand(to: [-1, 5])]
        case "cat":
            let (b, c) = (x[1], x[2])
            return [Tensor.cat([a, b], axis: 0), Tensor.cat([a, c], axis: 1), Tensor.cat([a, c, a], axis: -1), Tensor.cat([a])]
        case "stack":
            let (b, c) = (x[1], x[2])
            return [Tensor.stack([a, b, c]), Tensor.stack([a, b], axis: 1), Tensor.stack([a, b, c], axis: 2),
                    Tensor.stack([a, c], axis: -1)]
        case "split": return a.split(size: 2) + a.split(sizes: [1, 3], axis: 1) + a.split(size: 3, axis: -1)
        case "chunk": return a.chunk(3) + a.chunk(4, axis: 1) + a.chunk(2, axis: -1)
        case "narrow_select_unbind":
            return [a.narrow(axis: 1, start: 1, length: 2), a.narrow(axis: 0, start: -2, length: 2),
                    a.select(axis: 0, index: 1), a.select(axis: 1, index: -1)] + a.unbind(axis: 1)
        case "indexing":
            return [a[1], a[-1], a[1..<3], a[.all, 1..<3], a[.ellipsis, 0], a[.newAxis, 1], a[.slice(step: 2)],
                    a[.slice(1, -1)], a[.all, (-2)...], a[0, 1, 2], a[.all, .slice(1, step: 2), .newAxis],
                    a[.ellipsis, 1..., .newAxis], a[2..<100], a[(-100)..<2], a[.slice(3, 1)], a[.all, 4, .slice(step: 2)]]
        case "gather":
            let (i, j) = (x[1].asIndex, x[2].asIndex)
            return [a.gather(axis: 1, index: i), a.gather(axis: 0, index: j), a.gather(axis: -1, index: i)]
        case "index_select":
            let i = x[1].asIndex
            return [a.indexSelect(axis: 0, index: i), a.indexSelect(axis: 1, index: i.remainder(3))]
        case "scatter_add":
            let (i, s) = (x[1].asIndex, x[2])
            return [a.scatterAdd(axis: 0, index: i, source: s), a.scatterAdd(axis: 1, index: i.remainder(3), source: s)]
        case "index_add": return [a.indexAdd(axis: 0, index: x[1].asIndex, source: x[2])]
        default: return nil
        }
    }
}

extension Tensor<Int> {
    /// Each element modulo `divisor` (PyTorch's `%` on non-negative integers).
    func remainder(_ divisor: Int) -> Tensor<Int> { Tensor(shape: shape, scalars: scalars.map { $0 % divisor }) }
}
