import Testing
import Tensor

/// `prod`, `cumsum`, `cumprod`, `var`/`std`, `norm`, `amax`/`amin`, `argmin`, `sort`/`argsort`
/// and `topk` against PyTorch (Golden/ops_golden.json, families `scan_`, `stat_`, `sort_`) and
/// central differences.
@Suite("Reductions, scans and sorting")
struct ReductionScanTests {
    static let families = ["scan_", "stat_", "sort_"]

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
        case "scan_prod":
            let z = x[1]
            return [a.prod(), a.prod(axis: 1), a.prod(axis: 0, keepDim: true), z.prod(axis: 1), z.prod(axis: 0), z.prod()].map { $0.double() }
        case "scan_cumsum_cumprod":
            let z = x[1]
            return [a.cumsum(axis: 1), a.cumsum(axis: 0), a.cumsum(axis: -1), a.cumprod(axis: 1), a.cumprod(axis: 0), z.cumprod(axis: 1)]
                .map { $0.double() }
        case "stat_var_std":
            return [a.var(), a.var(axes: [1]), a.var(axes: [0, 2], correction: 0), a.var(axes: [-1], keepDim: true), a.std(),
                    a.std(axes: [0]), a.std(axes: [1, 2], correction: 0, keepDim: true), a[.all, ..<1].var(axes: [1]),
                    a.var(axes: [1], correction: 2)].map { $0.double() }
        case "stat_norm":
            let z = x[1]
            return [a.norm(), a.norm(1), a.norm(.infinity), a.norm(-.infinity), a.norm(0), a.norm(3), a.norm(2, axes: [1]),
                    a.norm(1, axes: [0], keepDim: true), a.norm(0.5, axes: [0, 1]), z.norm(2, axes: [1]), z.norm(.infinity, axes: [1]),
                    a.norm(2.5, axes: [-1])].map { $0.double() }
        case "stat_amax_amin":
            return [a.amax(), a.amin(), a.amax(axes: [0, 2]), a.amin(axes: [1, 2], keepDim: true), a.amax(axes: [-1])].map { $0.double() }
                + [a.argmin().double(), a.argmax().double()]
        case "sort_sort":
            let (up, down, columns) = (a.sort(), a.sort(descending: true), a.sort(axis: 0))
            return [up.values.double(), up.indices.double(), down.values.double(), down.indices.double(), columns.values.double(),
                    columns.indices.double(), a.argsort().double(), a.argsort(axis: 0, descending: true).double()]
        case "sort_topk":
            let results = [a.topk(2), a.topk(3, axis: 0), a.topk(2, largest: false), a.topk(1, axis: -1)]
            return results.flatMap { [$0.values.double(), $0.indices.double()] }
        default: return nil
        }
    }

    /// The Swift spelling of each case of these families in `GRADIENTS` of make_ops_golden.py.
    static func loss(_ name: String, _ x: [Tensor<Double>]) -> Tensor<Double>? {
        let a = x[0]
        switch name {
        case "scan_prod_cum":
            let z = x[1]
            return (a.prod(axis: 1) * Tensor([1, 2, 3])).sum() + a.prod() + z.prod(axis: 1).sum() * 2 + z.prod(axis: 0).sum()
                + a.cumsum(axis: 1).pow(2).sum() + (a.cumprod(axis: 0) * a).sum() + (z.cumprod(axis: 1) * Tensor([1, -2, 3, 0.5])).sum()
        case "stat_var_norm":
            let z = x[1]
            let spread = a.var() + a.std(axes: [1]).sum() + a.var(axes: [0, 1], correction: 0) * 2
            let norms = a.norm() + a.norm(1, axes: [1]).sum() + a.norm(.infinity, axes: [0]).sum() + a.norm(3, axes: [1]).sum()
            let zeros = z.norm(2, axes: [1]).sum() + z.norm(.infinity, axes: [1]).sum() + z.norm(1.5, axes: [1]).sum()
            return spread + norms + zeros + z.amax(axes: [1]).sum() * 2 + z.amin(axes: [0, 1]) + a.amax(axes: [0, 1])
        case "sort_values":
            return (a.sort(axis: 1).values * Tensor([1, 2, 3, 4, 5])).sum() + a.topk(2, axis: 0).values.pow(2).sum()
                + a.sort(axis: 0, descending: true).values[0].exp().sum()
        default: return nil
        }
    }

    @Test("every reduction and scan passes the gradient check")
    func gradientCheckAll() {
        let positive = sample([3, 4], seed: 41, lower: 0.5, upper: 1.5), a = sample([3, 4], seed: 42)
        let withZeros = Tensor<Double>([[1, 0, 2, 3], [0, 2, 0, 1.5], [0.5, -1, 2, 0]])
        let functions: [(String, [Tensor<Double>], ([Tensor<Double>]) -> Tensor<Double>)] = [
            ("prod", [positive], { Tensor.cat([$0[0].prod(axis: 1), $0[0].prod(axis: 0), $0[0].prod().reshape([1])]) }),
            ("prod with zeros", [withZeros], { Tensor.cat([$0[0].prod(axis: 1), $0[0].prod(axis: 0)]) }),
            ("cumsum", [a], { $0[0].cumsum(axis: 1) + $0[0].cumsum(axis: 0) }),
            ("cumprod", [a], { $0[0].cumprod(axis: 1) + $0[0].cumprod(axis: 0) }),
            ("cumprod with zeros", [withZeros], { $0[0].cumprod(axis: 1) }),
            ("logcumsumexp", [a], { $0[0].logcumsumexp(axis: 1) + $0[0].logcumsumexp(axis: -2) * 0.5 }),
            ("var std", [a], { Tensor.cat([$0[0].var(axes: [1]), $0[0].std(axes: [0], correction: 0), $0[0].var().reshape([1])]) }),
            ("norms", [a], { x in Tensor.cat([2, 1, 3, 0.7, Double.infinity, -Double.infinity].map { x[0].norm($0, axes: [1]) }) }),
            ("amax amin", [a], { Tensor.cat([$0[0].amax(axes: [1]), $0[0].amin(axes: [0]), $0[0].amax().reshape([1])]) }),
            ("sort topk", [a], { Tensor.cat([$0[0].sort(axis: 1).values.reshape([-1]), $0[0].topk(2, axis: 0, largest: false).values.reshape([-1])]) }),
        ]
        for (name, inputs, function) in functions {
            let report = gradientCheck(of: function, at: inputs)
            #expect(report.passed, "\(name):\n\(report)")
        }
    }

    @Test("logcumsumexp is stable and has PyTorch's results at infinities and NaN")
    func logcumsumexpEdges() {
        // Each expected line printed by PyTorch 2.15 (torch.tensor(v, dtype=torch.float64).logcumsumexp(0)).
        let cases: [([Double], [Double])] = [
            ([1000, 1000, -.infinity], [1000, 1000.6931471805599, 1000.6931471805599]),
            ([-.infinity, -.infinity], [-.infinity, -.infinity]),
            ([1, .infinity, 2], [1, .infinity, .infinity]),
            ([.infinity, -.infinity], [.infinity, .infinity]),
            ([-.infinity, .infinity], [-.infinity, .infinity]),
            ([-1e308, 1e308], [-1e308, 1e308]),
        ]
        for (input, expected) in cases {
            let actual = Tensor(input).logcumsumexp(axis: 0).scalars
            #expect(zip(actual, expected).allSatisfy { $0 == $1 || Swift.abs($0 - $1) <= 1e-12 * Swift.abs($1) }, "\(input): \(actual)")
        }
        let withNaN = Tensor<Double>([1, .nan, 2]).logcumsumexp(axis: 0).scalars
        #expect(withNaN[0] == 1 && withNaN[1].isNaN && withNaN[2].isNaN)
        #expect(Tensor<Float>([1000, 1000]).logcumsumexp(axis: 0).scalars == [1000, Float(1000.6931471805599)])
        #expect(Tensor<Double>(scalar: 3).logcumsumexp(axis: 0).item == 3)
        // PyTorch: x.logcumsumexp(0).backward([1, -2, 0.5]) for x = [0.5, -1, 2].
        let x = Tensor<Double>([0.5, -1, 2], requiresGrad: true)
        x.logcumsumexp(axis: 0).backward(gradient: Tensor([1, -2, 0.5]))
        let grad = x.grad?.scalars ?? []
        let pytorch = [-0.5475037563172689, -0.345294760977369, 0.3927985172946379]
        #expect(grad.count == 3 && zip(grad, pytorch).allSatisfy { Swift.abs($0 - $1) <= 1e-12 * Swift.abs($1) }, "\(grad)")
    }

    @Test("the norm of a zero vector has gradient zero, and ties share the amax gradient")
    func edgeGradients() {
        let x = Tensor<Double>([0, 0, 0], requiresGrad: true)
        x.norm().backward()
        #expect(x.grad?.scalars == [0, 0, 0])
        let y = Tensor<Double>([2, 1, 2], requiresGrad: true)
        y.amax().backward()
        #expect(y.grad?.scalars == [0.5, 0, 0.5])
    }

    @Test("topk with k beyond the dimension traps")
    func topkRange() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Double>.zeros([2, 3]).topk(4)
        }
        expectTrapMessage(result, contains: "topk: k (4) is out of range for dimension of size 3")
    }
}
