import Testing
import Tensor

/// Advanced indexing (`x[idx]`, `x[mask]`, `x[rows, cols]`), `indexPut`, `maskedFill` and
/// `where` with scalars, against PyTorch (Golden/ops_golden.json, family `index_`) and
/// central differences.
@Suite("Masks and advanced indexing")
struct MaskIndexingTests {
    @Test("forward values match PyTorch", arguments: OpsGolden.forwardCases("index_"))
    func forward(name: String) throws {
        try expectForwardCase(name, double: Self.outputs, float: Self.outputs)
    }

    @Test("gradients match PyTorch", arguments: OpsGolden.gradientCases("index_"))
    func gradients(name: String) throws {
        try expectGradientCase(name) { Self.loss(name, $0) }
    }

    /// The Swift spelling of each `index_` case of `FORWARD` in make_ops_golden.py.
    static func outputs<T: TensorFloatingPoint>(_ name: String, _ x: [Tensor<T>]) -> [Tensor<Double>]? {
        let a = x[0]
        switch name {
        case "index_int_rows":
            let i = x[1].long()
            return [a[i], a[i[0]], a[.all, i[1].remainder(3)]].map { $0.double() }
        case "index_pairs":
            let (i, j) = (x[1].long(), x[2].long())
            return [a[i, j], a[i, .all, i.remainder(3)], a[1, i], a[.all, j, 0], a[.newAxis, i, .all, i.remainder(3)],
                    a[.ellipsis, j.remainder(3)], a[i, 1..<3]].map { $0.double() }
        case "index_mask":
            let b = x[1]
            return [a[a .> 0], b[a .> 0], b[.all, a[0] .> 0], b[a .> 0, 1], a[(a .> 0)[.all, 0]], a.maskedSelect(a[0] .> 0)]
                .map { $0.double() }
        case "index_zero_d":
            return [a[Tensor<Int>(scalar: 2)], a[Tensor<Bool>(scalar: true)], a[Tensor<Bool>(scalar: false)]].map { $0.double() }
        case "index_put":
            let (i, v) = (x[1].long(), x[2])
            let results = (0..<4).map { _ in a.copy() }
            results[0].indexPut([i], v)
            results[1].indexPut([i], v, accumulate: true)
            results[2].indexPut([i, i.remainder(3)], Tensor(scalar: 7))
            results[3].indexPut([i, i.remainder(3)], Tensor([1, 2, 3]), accumulate: true)
            return results.map { $0.double() }
        case "index_mask_assign":
            let (b, c, d) = (a.copy(), a.copy(), a.copy())
            b[b .> 0] = Tensor(scalar: 0.5)
            c[(a .< 0)[.all, 0]] = Tensor([1, 2, 3, 4])
            d[.all, a[0] .> 0.3] = Tensor([[9], [8], [7]])
            return [b, c, d].map { $0.double() }
        case "index_masked_fill":
            let b = x[1]
            return [a.maskedFill(a .> 0.2, -1.5), a.maskedFill(b .> 0, 0), b.maskedFill(b .< 0, 2)].map { $0.double() }
        case "index_where_scalar":
            let b = x[1]
            return [a.where(a .> 0, 0), Tensor.where(a .> 0, 1.5, b), Tensor<T>.where(b .> 0, 2, -3), Tensor.where(a .< b, a, b)]
                .map { $0.double() }
        default: return nil
        }
    }

    /// The Swift spelling of each `index_` case of `GRADIENTS` in make_ops_golden.py.
    static func loss(_ name: String, _ x: [Tensor<Double>]) -> Tensor<Double>? {
        let a = x[0]
        switch name {
        case "index_int_rows":
            let i = x[1].asIndex
            return a[i].pow(2).sum() + a[.all, i[1]].exp().sum()
        case "index_pairs":
            let (i, j) = (x[1].asIndex, x[2].asIndex)
            return (a[i, j].tanh() * 2).sum() + a[i, .all, i.remainder(3)].pow(3).sum()
        case "index_mask":
            let b = x[1]
            return (b[a .> 0] * 1.5).pow(2).sum() + a[a .< 0.3].exp().sum() + b[.all, a[1] .> 0].tanh().sum()
        case "index_masked_fill_where":
            let b = x[1]
            return a.maskedFill(a .> 0.2, -1.5).pow(2).sum() + a.where(a .> 0, 0).exp().sum() + Tensor.where(a .> 0, 1.5, b).pow(3).sum()
        default: return nil
        }
    }

    @Test("reading by indices and masks passes the gradient check")
    func gradientCheckReads() {
        let index = Tensor<Int>(shape: [2, 2], scalars: [3, -1, 0, 3])
        let report = gradientCheck(
            of: { x in
                let (a, b) = (x[0], x[1])
                return Tensor.cat([a[index].reshape([-1]), a[index, 1..<3].reshape([-1]), b[b .> 0], a[.all, index[0] % 3].reshape([-1])])
            }, at: [sample([4, 3], seed: 31), sample([2, 5], seed: 32)])
        #expect(report.passed, "\(report)")
    }

    @Test("maskedFill and where with scalars pass the gradient check")
    func gradientCheckMaskedFill() {
        let a = sample([3, 4], seed: 33), b = sample([4], seed: 34)
        let report = gradientCheck(
            of: { x in
                Tensor.cat([
                    x[0].maskedFill(a .> 0, 2).reshape([-1]), Tensor.where(b .> 0, 1.5, x[1]),
                    x[0].where(a .< 0.5, -1).reshape([-1]), Tensor.where(a .> 0, x[0], 3).reshape([-1]),
                ])
            }, at: [a, b])
        #expect(report.passed, "\(report)")
    }

    @Test("repeated indices add their gradients, and Int and Bool tensors can be indexed")
    func repeatedAndIntegerTensors() {
        let x = Tensor<Double>([1, 2, 3], requiresGrad: true)
        x[Tensor<Int>([2, 2, 0, 2])].sum().backward()
        #expect(x.grad?.scalars == [1, 0, 3])
        #expect(x[Tensor<Int>([1])].gradFnName == "IndexBackward")
        let labels = Tensor<Int>([4, 7, 1, 9])
        #expect(labels[Tensor<Int>([3, 0])].scalars == [9, 4])
        #expect(labels[labels .> 3].scalars == [4, 7, 9])
        let mask = Tensor<Bool>([true, false, true])
        #expect(mask[Tensor<Int>([1, 2])].scalars == [false, true])
        labels[Tensor<Int>([0, 0])] = Tensor<Int>([5, 6])
        #expect(labels.scalars == [6, 7, 1, 9], "the later of two writes to one position wins")
        labels.indexPut([Tensor<Int>([1, 1])], Tensor<Int>(scalar: 10), accumulate: true)
        #expect(labels.scalars == [6, 27, 1, 9])
    }

    @Test("writing into a tensor that requires grad needs no-grad mode")
    func writeInsideNoGrad() {
        let w = Tensor<Double>([1, -2, 3], requiresGrad: true)
        withNoGrad { w[w .< 0] = Tensor(scalar: 0) }
        #expect(w.scalars == [1, 0, 3])
    }

    @Test("an index out of range traps naming the dimension")
    func outOfRange() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Double>.zeros([5, 2])[Tensor<Int>([5])]
        }
        expectTrapMessage(result, contains: "index 5 is out of bounds for dimension 0 with size 5")
    }

    @Test("a mask of the wrong shape traps with PyTorch's message")
    func maskShape() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Double>.zeros([5, 2])[Tensor<Bool>([true, false])]
        }
        expectTrapMessage(result, contains: "the shape of the mask [2] at index 0 does not match the shape of the indexed tensor [5, 2] at index 0")
    }

    @Test("index tensors that do not broadcast trap")
    func broadcastMismatch() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Double>.zeros([5, 4])[Tensor<Int>([0, 1]), Tensor<Int>([0, 1, 2])]
        }
        expectTrapMessage(result, contains: "indexing tensors could not be broadcast together with shapes [2], [3]")
    }
}
