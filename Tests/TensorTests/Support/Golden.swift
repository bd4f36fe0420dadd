import Foundation
import Testing
import Tensor

/// The reference values written by `Golden/make_tensor_golden.py` from PyTorch.
struct Golden: Decodable, Sendable {
    /// A number in the JSON: finite values are numbers, non-finite ones the strings "nan", "inf", "-inf".
    struct Number: Decodable, Sendable {
        let value: Double

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Double.self) {
                value = number
            } else {
                let text = try container.decode(String.self)
                guard let number = Double(text) else {
                    throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a number: \(text)")
                }
                value = number
            }
        }
    }

    /// A tensor's shape and row-major values.
    struct TensorData: Decodable, Sendable {
        let shape: [Int]
        let data: [Number]

        var values: [Double] { data.map(\.value) }
        var tensor: Tensor<Double> { Tensor(shape: shape, scalars: values) }
    }

    struct ForwardCase: Decodable, Sendable {
        let inputs: [TensorData]
        let outputs: [TensorData]
    }

    struct GradientCase: Decodable, Sendable {
        let inputs: [TensorData]
        let loss: Double
        /// `nil` for inputs PyTorch gives no gradient (index tensors).
        let grads: [TensorData?]
    }

    struct UniformCase: Decodable, Sendable, CustomTestStringConvertible {
        let seed: UInt64
        let count: Int
        let lower: Double
        let upper: Double
        let float32: [Double]
        let float64: [Double]

        var testDescription: String { "seed \(seed), \(count) in [\(lower), \(upper))" }
    }

    struct NormalCase: Decodable, Sendable, CustomTestStringConvertible {
        struct Call: Decodable, Sendable {
            let count: Int
            let mean: Double
            let std: Double
        }

        let seed: UInt64
        let dtype: String
        let calls: [Call]
        let values: [[Double]]

        var testDescription: String { "\(dtype), seed \(seed), sizes \(calls.map(\.count))" }
    }

    struct PrintingCase: Decodable, Sendable {
        struct Arange: Decodable, Sendable {
            let count: Int
            let scale: Double
        }

        struct Options: Decodable, Sendable {
            let threshold: Int?
            let edgeitems: Int?
            let precision: Int?
            let linewidth: Int?
            let sci_mode: Bool?
        }

        let values: [Number]
        let arange: Arange?
        let shape: [Int]
        let dtype: String
        let requiresGrad: Bool
        let op: String?
        let options: Options
        let repr: String

        /// The elements as PyTorch built them.
        var elements: [Double] {
            guard let arange else { return values.map(\.value) }
            return (0..<arange.count).map { Double($0) * arange.scale }
        }

        var printOptions: PrintOptions {
            var result = PrintOptions()
            if let threshold = options.threshold { result.threshold = threshold }
            if let edgeItems = options.edgeitems { result.edgeItems = edgeItems }
            if let precision = options.precision { result.precision = precision }
            if let lineWidth = options.linewidth { result.lineWidth = lineWidth }
            result.scientific = options.sci_mode
            return result
        }
    }

    let forward: [String: ForwardCase]
    let gradients: [String: GradientCase]
    let uniform: [UniformCase]
    let normal: [NormalCase]
    let printing: [String: PrintingCase]

    /// The golden file next to this test target.
    static let shared: Golden = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Golden/tensor_golden.json")
        do {
            return try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
        } catch {
            fatalError("cannot read \(url.path): \(error); run Golden/make_tensor_golden.py")
        }
    }()
}

/// Expects `actual` to have `expected`'s shape and values within `relative` tolerance (with an
/// absolute floor of `absolute` for values near zero); NaN and infinities must match exactly.
func expectClose(
    _ actual: Tensor<Double>, _ expected: Golden.TensorData, _ label: String,
    relative: Double = 1e-9, absolute: Double = 1e-12, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.shape == expected.shape, "\(label): shape", sourceLocation: sourceLocation)
    guard actual.shape == expected.shape else { return }
    for (i, (a, e)) in zip(actual.scalars, expected.values).enumerated() {
        let close = a == e || (a.isNaN && e.isNaN) || Swift.abs(a - e) <= Swift.max(absolute, relative * Swift.abs(e))
        if !close {
            Issue.record("\(label): element \(i) is \(a), PyTorch gives \(e)", sourceLocation: sourceLocation)
            return
        }
    }
}

/// Fixed pseudo-random `Double` inputs (the gradient checks' sample points).
func sample(_ shape: [Int], seed: UInt64 = 1, lower: Double = -1, upper: Double = 1) -> Tensor<Double> {
    Tensor<Double>.uniform(shape, lower: lower, upper: upper, generator: Generator(seed: seed))
}

extension Tensor<Int> {
    /// An index tensor as `Double`, for comparison with golden values.
    var asDouble: Tensor<Double> { converted(to: Double.self) }
}

extension Tensor<Double> {
    /// A `Double` tensor holding indices, as the golden file stores them, back to `Int`.
    var asIndex: Tensor<Int> { converted(to: Int.self) }
}
