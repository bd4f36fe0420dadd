import Testing
import Tensor

/// Every differentiable operation's backward against central differences, in `Double`,
/// including broadcast operands and the shape and indexing operations.
@Suite("Gradient checks")
struct GradientCheckTests {
    @Test("analytic gradients match finite differences", arguments: Self.cases)
    func check(name: String) throws {
        let (inputs, function) = try #require(Self.setup(name), "no setup for case \(name)")
        let report = gradientCheck(of: function, at: inputs)
        #expect(report.passed, "\(name):\n\(report)")
    }

    static let cases = [
        "add_broadcast", "sub_broadcast", "mul_broadcast", "div_broadcast", "neg", "scalar_arithmetic",
        "pow_tensor_broadcast", "pow_scalar", "maximum_minimum_broadcast", "exp_log_sqrt", "abs_tanh_sigmoid",
        "relu_square", "clamp", "where_broadcast", "sum_all", "sum_axis_keepdim", "sum_axes", "sum_to_shape",
        "mean_axes", "mean_all", "max_min_all", "max_min_axis", "logsumexp", "softmax", "log_softmax",
        "matmul_2d_2d", "matmul_1d_1d", "matmul_1d_2d", "matmul_2d_1d", "matmul_batched_broadcast",
        "linear_bias", "linear_no_bias", "reshape_views", "transpose_permute", "matrix_transpose", "expand", "cat", "stack", "split_size",
        "split_sizes", "chunk", "narrow", "select_unbind", "subscript_select", "subscript_strided_slice",
        "subscript_ellipsis", "subscript_overlapping", "gather", "scatter_add", "index_select", "index_add",
    ]

    typealias Function = ([Tensor<Double>]) -> Tensor<Double>

    /// The inputs and function of each case; positive inputs where the function needs them.
    static func setup(_ name: String) -> ([Tensor<Double>], Function)? {
        let m23 = sample([2, 3], seed: 11), v3 = sample([3], seed: 12)
        let positive23 = sample([2, 3], seed: 13, lower: 0.5, upper: 2)
        let t234 = sample([2, 3, 4], seed: 14), m34 = sample([3, 4], seed: 15)
        let index = Tensor<Int>(shape: [2, 3], scalars: [0, 0, 3, 1, 2, 1])
        switch name {
        case "add_broadcast": return ([m23, v3], { $0[0] + $0[1] })
        case "sub_broadcast": return ([sample([2, 1, 3], seed: 16), sample([4, 1], seed: 17)], { $0[0] - $0[1] })
        case "mul_broadcast": return ([v3, m23], { $0[0] * $0[1] })
        case "div_broadcast": return ([m23, sample([2, 1], seed: 18, lower: 0.5, upper: 2)], { $0[0] / $0[1] })
        case "neg": return ([m23], { -$0[0] })
        case "scalar_arithmetic": return ([positive23], { a in (2.5 + a[0]) * (1 - a[0]) + 3 / a[0] - a[0] / 4 + 2 * a[0] - 1 })
        case "pow_tensor_broadcast": return ([positive23, v3], { $0[0].pow($0[1]) })
        case "pow_scalar": return ([positive23], { $0[0].pow(2.5) + $0[0].pow(-1) })
        case "maximum_minimum_broadcast": return ([m23, v3], { $0[0].maximum($0[1]) + $0[0].minimum($0[1]) * 2 })
        case "exp_log_sqrt": return ([positive23], { $0[0].exp() + $0[0].log() + $0[0].sqrt() })
        case "abs_tanh_sigmoid": return ([m34], { $0[0].abs() + $0[0].tanh() + $0[0].sigmoid() })
        case "relu_square": return ([m34], { $0[0].relu() + $0[0].square() })
        case "clamp": return ([m34], { $0[0].clamp(min: -0.3, max: 0.4) + $0[0].clamp(min: 0.1) + $0[0].clamp(max: -0.2) })
        case "where_broadcast": return ([m23, v3], { $0[0].where($0[0] .> 0, $0[1]) })
        case "sum_all": return ([t234], { $0[0].sum() })
        case "sum_axis_keepdim": return ([t234], { $0[0].sum(axis: 1, keepDim: true) })
        case "sum_axes": return ([t234], { $0[0].sum(axes: [0, 2]) })
        case "sum_to_shape": return ([t234], { $0[0].sum(toShape: [3, 1]) })
        case "mean_axes": return ([t234], { $0[0].mean(axes: [0, 2], keepDim: true) })
        case "mean_all": return ([t234], { $0[0].mean() })
        case "max_min_all": return ([m34], { $0[0].max() * 2 + $0[0].min() })
        case "max_min_axis": return ([t234], { $0[0].max(axis: 1).values + $0[0].min(axis: 1).values })
        case "logsumexp": return ([t234], { $0[0].logSumExp(axes: [0, 2], keepDim: true) })
        case "softmax": return ([t234], { $0[0].softmax(axis: 1) })
        case "log_softmax": return ([t234], { $0[0].logSoftmax(axis: -1) })
        case "matmul_2d_2d": return ([m34, sample([4, 2], seed: 19)], { $0[0].matmul($0[1]) })
        case "matmul_1d_1d": return ([sample([4], seed: 20), sample([4], seed: 21)], { $0[0].matmul($0[1]) })
        case "matmul_1d_2d": return ([sample([3], seed: 22), m34], { $0[0].matmul($0[1]) })
        case "matmul_2d_1d": return ([m34, sample([4], seed: 23)], { $0[0].matmul($0[1]) })
        case "matmul_batched_broadcast":
            return ([sample([2, 1, 3, 4], seed: 24), sample([5, 4, 2], seed: 25)], { $0[0].matmul($0[1]) })
        case "linear_bias": return ([m34, sample([5, 4], seed: 40), sample([5], seed: 41)], { $0[0].linear(weight: $0[1], bias: $0[2]) })
        case "linear_no_bias": return ([m34, sample([2, 4], seed: 42)], { $0[0].linear(weight: $0[1]) })
        case "reshape_views": return ([t234], { $0[0].reshape(6, 4).unsqueeze(1).squeeze().view(-1).flatten() })
        case "transpose_permute": return ([t234], { $0[0].transposed(0, 2) + $0[0].permute(2, 1, 0) * 2 })
        case "matrix_transpose": return ([sample([3, 2], seed: 26)], { $0[0].T.matmul($0[0]) })
        case "expand": return ([sample([3, 1], seed: 27)], { $0[0].expand(to: [2, 3, 4]) })
        case "cat": return ([m23, sample([2, 2], seed: 28)], { Tensor.cat([$0[0], $0[1], $0[0]], axis: 1) })
        case "stack": return ([m23, positive23], { Tensor.stack([$0[0], $0[1], $0[0]], axis: 1) })
        case "split_size": return ([m34], { Tensor.cat($0[0].split(size: 3, axis: 1).reversed(), axis: 1) })
        case "split_sizes": return ([m34], { Tensor.cat($0[0].split(sizes: [1, 2], axis: 0).reversed(), axis: 0) })
        case "chunk": return ([sample([6, 2], seed: 29)], { Tensor.stack($0[0].chunk(3).map { $0.sum(axis: 0) }) })
        case "narrow": return ([m34], { $0[0].narrow(axis: 1, start: 1, length: 2) })
        case "select_unbind": return ([m34], { Tensor.stack($0[0].unbind(axis: 1).reversed()) + $0[0].select(axis: 1, index: -1) })
        case "subscript_select": return ([t234], { $0[0][-1] })
        case "subscript_strided_slice": return ([t234], { $0[0][.all, .slice(1, nil, step: 2), .newAxis] })
        case "subscript_ellipsis": return ([t234], { $0[0][.ellipsis, 0] * $0[0][1, ..<3, 1...2].sum() })
        case "subscript_overlapping": return ([t234], { $0[0][.all, 0..<2] + $0[0][.all, 1...] })
        case "gather": return ([m34], { $0[0].gather(axis: 1, index: index) + $0[0].gather(axis: 0, index: index.remainder(3)) })
        case "scatter_add":
            return ([m34, sample([3, 5], seed: 30)], { $0[0].scatterAdd(axis: 0, index: index.remainder(3), source: $0[1]) })
        case "index_select": return ([m34], { $0[0].indexSelect(axis: 1, index: Tensor([2, 0, 2])) })
        case "index_add":
            return ([m34, sample([3, 4], seed: 31)], { $0[0].indexAdd(axis: 0, index: Tensor([1, 1, 2]), source: $0[1]) })
        default: return nil
        }
    }
}
