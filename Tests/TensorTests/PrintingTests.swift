import Testing
import Tensor

/// `description` against PyTorch's `repr` (Golden/tensor_golden.json).
@Suite("Printing matches PyTorch")
struct PrintingTests {
    @Test("description equals repr", arguments: Golden.shared.printing.keys.sorted())
    func description(name: String) throws {
        let golden = try #require(Golden.shared.printing[name])
        let options = golden.printOptions
        let text: String
        switch golden.dtype {
        case "float32": text = Self.floating(Float.self, golden).description(options: options)
        case "float64": text = Self.floating(Double.self, golden).description(options: options)
        case "int64": text = Self.plain(Int.self, golden).description(options: options)
        case "int32": text = Self.plain(Int32.self, golden).description(options: options)
        case "bool": text = Self.plain(Bool.self, golden).description(options: options)
        default: throw PrintingCaseError(dtype: golden.dtype)
        }
        #expect(text == golden.repr)
    }

    @Test("the default description uses the default options")
    func defaultOptions() {
        let x = Tensor<Float>([0.25, 1])
        #expect(x.description == "tensor([0.2500, 1.0000])")
        #expect("\(x)" == x.description(options: PrintOptions()))
    }

    @Test("a non-leaf's grad_fn name keeps a trailing number that is already there")
    func gradFnSuffix() {
        let x = Tensor<Double>([1, 2], requiresGrad: true)
        let y = Tensor<Double>(shape: [2], scalars: [3, 4]).recording("CustomBackward1", [x]) { g in [g] }
        #expect(y.description == "tensor([3., 4.], dtype=torch.float64, grad_fn=<CustomBackward1>)")
    }

    struct PrintingCaseError: Error {
        let dtype: String
    }

    private static func floating<S: TensorFloatingPoint>(_ type: S.Type, _ golden: Golden.PrintingCase) -> Tensor<S> {
        let x = Tensor<S>(shape: golden.shape, scalars: golden.elements.map { S(converting: $0) }, requiresGrad: golden.requiresGrad)
        switch golden.op {
        case "mul2": return x * 2
        case "sum": return x.sum()
        default: return x
        }
    }

    private static func plain<S: TensorElement>(_ type: S.Type, _ golden: Golden.PrintingCase) -> Tensor<S> {
        Tensor<S>(shape: golden.shape, scalars: golden.elements.map { S(converting: $0) })
    }
}
