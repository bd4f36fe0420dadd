import Testing
import Tensor

/// `flip`, `roll`, `repeat`, `tile`, `movedim`, `swapAxes`, `unflatten`, `tril`/`triu`, the named
/// products (`mm`, `bmm`, `mv`, `dot`, `outer`) and `pow` with a scalar base, against PyTorch
/// (Golden/ops_golden.json, families `shape_` and `product_`) and central differences.
@Suite("Rearranging shapes and named products")
struct ShapeRearrangementTests {
    static let families = ["shape_", "product_"]

    @Test("forward values match PyTorch", arguments: families.flatMap(OpsGolden.forwardCases))
    func forward(name: String) throws {
        try expectForwardCase(name, double: Self.outputs, float: Self.outputs)
    }

    @Test("gradients match PyTorch", arguments: families.flatMap(OpsGolden.gradientCases))
    func gradients(name: String) throws {
        try expectGradientCase(name) { Self.loss(name, $0) }
    }

    /// The Swift spelling of each case of these families in `FORWARD` of make_ops_golden.py.
    static func outputs<T: TensorFloatingPoint>(_ name: String, _ x: [Tensor<T>]) -> [Tensor<Double>]? {
        let a = x[0]
        switch name {
        case "shape_flip_roll":
            return [a.flip(0), a.flip(1, 2), a.flip(-1), a.roll(1, axis: 0), a.roll([2, -1], axes: [2, 1]), a.roll([5]), a.roll(-7, axis: 2)]
                .map { $0.double() }
        case "shape_repeat_tile":
            return [a.repeat(2, 1), a.repeat(1, 2, 3), a.tile([2]), a.tile([3, 1, 2]), a.repeat(1, 0)].map { $0.double() }
        case "shape_movedim":
            return [a.movedim(0, -1), a.movedim([0, 1], [2, 0]), a.swapAxes(0, 2), a.unflatten(axis: 2, sizes: [2, 2]),
                    a.unflatten(axis: 1, sizes: [-1, 1])].map { $0.double() }
        case "shape_tril_triu":
            let b = x[1]
            return [a.tril(), a.triu(), a.tril(diagonal: 1), a.triu(diagonal: -1), a.tril(diagonal: -5), b.triu(diagonal: 1), b.tril()]
                .map { $0.double() }
        case "product_named":
            let (b, c, d, u, v) = (x[1], x[2], x[3], x[4], x[5])
            return [a.mm(b), c.bmm(d), a.mv(u), u.dot(v), u.outer(b[.all, 0]), Tensor.pow(2.5, a), Tensor.pow(0, Tensor<T>([0, 1, 2]))]
                .map { $0.double() }
        default: return nil
        }
    }

    /// The Swift spelling of each case of these families in `GRADIENTS` of make_ops_golden.py.
    static func loss(_ name: String, _ x: [Tensor<Double>]) -> Tensor<Double>? {
        switch name {
        case "shape_rearrange":
            let v = x[0]
            let repeated = (v.repeat(2, 1, 1).tanh() * Tensor.arange(0, 48).reshape(4, 3, 4)).sum()
            let moved = (v.movedim(0, -1).reshape(3, 8) * Tensor.arange(0, 24).reshape(3, 8)).sum()
            return (v.flip(0, 2) * v).sum() + (v.roll(1, axis: 1) * v.pow(2)).sum() + repeated + v.tile([1, 2]).pow(3).sum()
                + moved + (v.tril(diagonal: 1) * v.triu(diagonal: -1)).sum()
        case "product_named":
            let (a, b, u, v) = (x[0], x[1], x[2], x[3])
            return a.mm(b).tanh().sum() + a.mv(u).exp().sum() + u.dot(v) * 3 + u.outer(v).pow(2).sum() + Tensor.pow(1.7, a).sum()
        default: return nil
        }
    }

    @Test("every rearrangement and product passes the gradient check")
    func gradientCheckAll() {
        let a = sample([2, 3, 4], seed: 51), m = sample([3, 4], seed: 52), n = sample([4, 2], seed: 53)
        let u = sample([4], seed: 54), v = sample([3], seed: 55)
        let functions: [(String, [Tensor<Double>], ([Tensor<Double>]) -> Tensor<Double>)] = [
            ("flip", [a], { $0[0].flip(0, 2) }),
            ("roll", [a], { $0[0].roll([1, -2], axes: [1, 2]) + $0[0].roll([3]) }),
            ("repeat tile", [m], { Tensor.cat([$0[0].repeat(2, 3).reshape([-1]), $0[0].tile([2, 1, 1]).reshape([-1])]) }),
            ("movedim swapAxes unflatten", [a], { $0[0].movedim(0, 2).reshape([-1]) * $0[0].swapAxes(0, 1).unflatten(axis: 2, sizes: [2, 2]).reshape([-1]) }),
            ("tril triu", [m], { $0[0].tril(diagonal: 1) * 2 + $0[0].triu() }),
            ("mm mv dot outer", [m, n, u, v], { x in
                Tensor.cat([x[0].mm(x[1]).reshape([-1]), x[0].mv(x[2]), x[2].dot(x[2]).reshape([1]), x[3].outer(x[2]).reshape([-1])])
            }),
            ("bmm", [a, sample([2, 4, 2], seed: 56)], { $0[0].bmm($0[1]) }),
            ("pow with a scalar base", [m], { Tensor.pow(2.5, $0[0]) + Tensor.pow(0.3, $0[0]) }),
        ]
        for (name, inputs, function) in functions {
            let report = gradientCheck(of: function, at: inputs)
            #expect(report.passed, "\(name):\n\(report)")
        }
    }

    @Test("pow of a zero base has gradient zero at non-negative exponents")
    func zeroBase() {
        let x = Tensor<Double>([0, 1, 2], requiresGrad: true)
        Tensor.pow(0, x).sum().backward()
        #expect(x.grad?.scalars == [0, 0, 0])
    }

    @Test("mm of a vector traps naming the shapes")
    func mmShapes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Double>.zeros([2, 3]).mm(Tensor<Double>.zeros([3]))
        }
        expectTrapMessage(result, contains: "mm: expected two 2-d tensors, got shapes [2, 3] and [3]")
    }
}
