import Foundation
import Tensor
import Testing

/// A tensor as the golden generator writes it: shape and row-major values ("NaN" for NaN).
struct GoldenTensor: Decodable, Sendable {
    let shape: [Int]
    let values: [Double]

    /// The values as a `Tensor<Double>`.
    var double: Tensor<Double> { Tensor(shape: shape, scalars: values) }
    /// The values as a `Tensor<Float>`.
    var float: Tensor<Float> { Tensor(shape: shape, scalars: values.map { Float($0) }) }
    /// The values as class indices.
    var int: Tensor<Int> { Tensor(shape: shape, scalars: values.map { Int($0) }) }
}

/// Reading the files of `Tests/NNTests/Golden/`, produced by `make_nn_golden.py` with PyTorch.
enum Golden {
    /// The directory holding the golden files.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Golden")

    /// The URL of a golden file.
    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// Decodes the golden JSON file `name`.
    static func load<T: Decodable>(_ name: String, as type: T.Type = T.self) -> T {
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(
                positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
            return try decoder.decode(T.self, from: Data(contentsOf: url(name)))
        } catch {
            fatalError("cannot read golden file \(name): \(error)")
        }
    }
}

/// Expects `actual` to have `expected`'s shape and values within `relative` (plus an `absolute`
/// floor for values near 0); NaN matches NaN and an infinity the same infinity.
func expectClose(
    _ actual: Tensor<Double>?, _ expected: GoldenTensor, relative: Double = 1e-9, absolute: Double = 1e-12,
    _ label: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let actual else {
        Issue.record("\(label): missing (expected shape \(expected.shape))", sourceLocation: sourceLocation)
        return
    }
    guard actual.shape == expected.shape else {
        Issue.record("\(label): shape \(actual.shape), expected \(expected.shape)", sourceLocation: sourceLocation)
        return
    }
    let worst = zip(actual.scalars, expected.values).enumerated().first { _, pair in
        let (a, e) = pair
        if a.isNaN || e.isNaN { return !(a.isNaN && e.isNaN) }
        return a != e && !(abs(a - e) <= absolute + relative * abs(e))
    }
    if let (index, (a, e)) = worst {
        Issue.record("\(label): element \(index) is \(a), expected \(e)", sourceLocation: sourceLocation)
    }
}

/// Expects two float tensors to be bit-for-bit equal.
func expectIdentical(
    _ actual: Tensor<Float>, _ expected: GoldenTensor, _ label: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.shape == expected.shape else {
        Issue.record("\(label): shape \(actual.shape), expected \(expected.shape)", sourceLocation: sourceLocation)
        return
    }
    if let index = actual.scalars.indices.first(where: { Double(actual.scalars[$0]) != expected.values[$0] }) {
        Issue.record(
            "\(label): element \(index) is \(actual.scalars[index]), expected \(expected.values[index])",
            sourceLocation: sourceLocation)
    }
}
