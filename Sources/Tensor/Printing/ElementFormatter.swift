import Foundation

/// Formats the elements of one tensor the way PyTorch's `torch._tensor_str._Formatter` does,
/// so that printed tensors read like PyTorch's:
///
/// - integers as they are, booleans as `True`/`False`;
/// - floating point, judged on the finite non-zero values: when all are whole numbers,
///   `1.` style (no digits after the point); otherwise `precision` digits in fixed point
///   (`0.1000`), or in scientific notation (`1.0000e-05`) when the largest magnitude is
///   above 1e8 or more than 1000 times the smallest, or the smallest is below 1e-4;
///   non-finite values print as `nan`, `inf`, `-inf`;
/// - every element right-aligned to the widest one.
struct ElementFormatter {
    private enum Style {
        case integer, boolean, wholeFloat, fixed, scientific
    }

    private let style: Style
    private let precision: Int
    /// The width every formatted element is padded to.
    let width: Int

    /// A formatter fitted to `values`, the elements that will be shown.
    init<Scalar: TensorElement>(fitting values: [Scalar], options: PrintOptions) {
        precision = options.precision
        if Scalar.self == Bool.self {
            style = .boolean
            width = values.contains { $0.doubleValue == 0 } ? 5 : 4
            return
        }
        guard Scalar.self is any BinaryFloatingPoint.Type else {
            style = .integer
            width = values.reduce(1) { Swift.max($0, "\($1)".count) }
            return
        }
        let shown = values.map(\.doubleValue).filter { $0.isFinite && $0 != 0 }
        guard let smallest = shown.map(Swift.abs).min(), let largest = shown.map(Swift.abs).max() else {
            style = .wholeFloat
            width = 1
            return
        }
        if options.scientific ?? (largest / smallest > 1000 || largest > 1e8 || smallest < 1e-4) {
            style = .scientific
        } else if shown.allSatisfy({ $0.rounded(.up) == $0 }) {
            style = .wholeFloat
        } else {
            style = .fixed
        }
        let (style, precision) = (style, precision)
        width = shown.reduce(1) { Swift.max($0, Self.text($1, style, precision: precision).count) }
    }

    /// `value` formatted and right-aligned to ``width``.
    func format<Scalar: TensorElement>(_ value: Scalar) -> String {
        let text: String
        switch style {
        case .boolean: text = value.doubleValue != 0 ? "True" : "False"
        case .integer: text = "\(value)"
        default: text = Self.text(value.doubleValue, style, precision: precision)
        }
        return String(repeating: " ", count: Swift.max(width - text.count, 0)) + text
    }

    /// `value` in a floating-point style, unpadded, as Python's `format` writes it.
    private static func text(_ value: Double, _ style: Style, precision: Int) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        switch style {
        case .scientific: return String(format: "%.\(precision)e", value)
        case .wholeFloat: return String(format: "%.0f", value) + "."
        default: return String(format: "%.\(precision)f", value)
        }
    }
}
