import Testing
import Tensor

/// Comparisons with the scalar on either side and on every element type, logical operations,
/// `any`/`all`, `dtype` and PyTorch-style conversions, against PyTorch (Golden/ops_golden.json,
/// family `compare_`).
@Suite("Comparisons, logic and conversions")
struct ComparisonLogicTests {
    @Test("forward values match PyTorch", arguments: OpsGolden.forwardCases("compare_"))
    func forward(name: String) throws {
        try expectForwardCase(name, double: Self.outputs, float: Self.outputs)
    }

    /// The Swift spelling of each `compare_` case of `FORWARD` in make_ops_golden.py.
    static func outputs<T: TensorFloatingPoint>(_ name: String, _ x: [Tensor<T>]) -> [Tensor<Double>]? {
        let a = x[0]
        switch name {
        case "compare_scalar_sides":
            return [0.5 .< a, 0.5 .<= a, 0.5 .> a, 0.5 .>= a, 0.5 .== a, 0.5 .!= a, a .< 0.5, a .>= 0.5, a .== a].map { $0.double() }
        case "compare_int":
            let (i, j) = (a.long(), x[1].long())
            return [i .== j, i .!= j, i .< j, i .>= 3, 2 .< i, i .== 3].map { $0.double() }
        case "compare_logic":
            let (p, q, c) = (a.bool(), x[1].bool(), x[2])
            return [p & q, p | q, p ^ q, ~p, c.logicalAnd(a), c.logicalOr(x[1]), c.logicalXor(a), c.logicalNot()].map { $0.double() }
        case "compare_any_all":
            let (m, b) = (a.bool(), x[1])
            return [m.any(), m.all(), m.any(axis: 1), m.all(axis: 0), m.any(axis: 0, keepDim: true),
                    b.any(), b.all(), b.all(axis: 1), b.any(axis: -1, keepDim: true), (b .> -5).all()].map { $0.double() }
        case "compare_conversions":
            return [a.long().double(), a.int().double(), a.bool().double(), (a .> 0).float().double(),
                    a.float().double(), a.long().double()]
        default: return nil
        }
    }

    @Test("dtype names the element type as PyTorch prints it")
    func dtype() {
        #expect(Tensor<Float>([1]).dtype == .float32)
        #expect("\(Tensor<Double>([1]).dtype)" == "torch.float64")
        #expect(Tensor<Int>([1]).dtype == .int64 && Tensor<Int32>([1]).dtype == .int32 && Tensor<Bool>([true]).dtype == .bool)
        #expect(DType.float64.isFloatingPoint && !DType.int64.isFloatingPoint)
    }

    @Test("converting to the own element type returns the tensor itself, which keeps its graph")
    func sameTypeConversion() {
        let x = Tensor<Float>([1, 2], requiresGrad: true)
        let y = x * 2
        #expect(y.float() === y)
        y.float().sum().backward()
        #expect(x.grad?.scalars == [2, 2])
    }

    @Test("equal compares shapes and elements; integer tensors compare elementwise")
    func equalAndIntegers() {
        let a = Tensor<Int>([1, 2, 3])
        #expect(a.equal(Tensor<Int>([1, 2, 3])))
        #expect(!a.equal(Tensor<Int>(shape: [1, 3], scalars: [1, 2, 3])))
        #expect((a .== Tensor<Int>([1, 0, 3])).scalars == [true, false, true])
        #expect((a % 2).scalars == [1, 0, 1] && (Tensor<Int>([-1, -4]) % 3).scalars == [2, 2])
        #expect(((a + 1) * 2 - a).scalars == [3, 4, 5])
        #expect(((a .> 1).float().mean()).item == Float(2) / 3)
    }

    @Test("converting a tensor that requires grad to another element type traps")
    func conversionOfGradTensorTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Double>([1], requiresGrad: true).float()
        }
        expectTrapMessage(result, contains: "float: converting a tensor that requires grad from float64 to float32")
    }
}
