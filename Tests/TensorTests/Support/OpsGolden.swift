import Foundation
import Testing
import Tensor

/// The reference values written by `Golden/make_ops_golden.py` from PyTorch: the everyday
/// tensor API, one family of cases per test suite (the name's prefix).
struct OpsGolden: Decodable, Sendable {
    let forward: [String: Golden.ForwardCase]
    let gradients: [String: Golden.GradientCase]

    /// The golden file next to this test target.
    static let shared: OpsGolden = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Golden/ops_golden.json")
        do {
            return try JSONDecoder().decode(OpsGolden.self, from: Data(contentsOf: url))
        } catch {
            fatalError("cannot read \(url.path): \(error); run Golden/make_ops_golden.py")
        }
    }()

    /// The names of the forward cases of one family, sorted.
    static func forwardCases(_ prefix: String) -> [String] { shared.forward.keys.filter { $0.hasPrefix(prefix) }.sorted() }

    /// The names of the gradient cases of one family, sorted.
    static func gradientCases(_ prefix: String) -> [String] { shared.gradients.keys.filter { $0.hasPrefix(prefix) }.sorted() }
}

/// A family's Swift mirror of the forward cases: the outputs of case `name` for inputs of element `T`.
typealias ForwardMirror<T: TensorFloatingPoint> = (_ name: String, _ inputs: [Tensor<T>]) -> [Tensor<Double>]?

/// Checks forward case `name` in `Double` (to 1e-9) and in `Float` (to 1e-5 relative, 1e-6 absolute):
/// the inputs are converted to the element type, `mirror` computes, and its outputs are compared
/// with PyTorch's float64 outputs.
func expectForwardCase(
    _ name: String, double: ForwardMirror<Double>, float: ForwardMirror<Float>,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let golden = try #require(OpsGolden.shared.forward[name])
    let inputs = golden.inputs.map(\.tensor)
    let outputs = try #require(double(name, inputs), "no Swift mirror of case \(name)", sourceLocation: sourceLocation)
    #expect(outputs.count == golden.outputs.count, "\(name): number of outputs", sourceLocation: sourceLocation)
    for (i, (actual, expected)) in zip(outputs, golden.outputs).enumerated() {
        expectClose(actual, expected, "\(name) output \(i) (Double)", sourceLocation: sourceLocation)
    }
    let floats = try #require(float(name, inputs.map { $0.float() }), sourceLocation: sourceLocation)
    for (i, (actual, expected)) in zip(floats, golden.outputs).enumerated() {
        expectClose(actual, expected, "\(name) output \(i) (Float)", relative: 1e-5, absolute: 1e-6, sourceLocation: sourceLocation)
    }
}

/// Checks gradient case `name` in `Double`: the loss and every input's gradient to 1e-9.
func expectGradientCase(
    _ name: String, loss: ([Tensor<Double>]) -> Tensor<Double>?, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let golden = try #require(OpsGolden.shared.gradients[name])
    let leaves = golden.inputs.map { $0.tensor.requiringGrad() }
    let value = try #require(loss(leaves), "no Swift mirror of case \(name)", sourceLocation: sourceLocation)
    #expect(
        Swift.abs(value.item - golden.loss) <= 1e-9 * Swift.max(1, Swift.abs(golden.loss)),
        "\(name): loss \(value.item) vs \(golden.loss)", sourceLocation: sourceLocation)
    value.backward()
    for (i, (leaf, expected)) in zip(leaves, golden.grads).enumerated() {
        if let expected {
            let grad = try #require(leaf.grad, "\(name): input \(i) has no gradient", sourceLocation: sourceLocation)
            expectClose(grad, expected, "\(name) gradient \(i)", sourceLocation: sourceLocation)
        } else {
            #expect(leaf.grad == nil, "\(name): index input \(i) should get no gradient", sourceLocation: sourceLocation)
        }
    }
}

extension Tensor<Double> {
    /// A `Double` tensor holding 0 and 1, as the golden file stores masks, as a mask.
    var asMask: Tensor<Bool> { converted(to: Bool.self) }
}
