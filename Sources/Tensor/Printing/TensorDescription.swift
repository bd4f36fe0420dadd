/// Printing tensors as PyTorch's `repr` does:
///
/// ```
/// tensor([[0.1000, 0.2000],
///         [0.3000, 0.4000]], dtype=torch.float64, requires_grad=True)
/// ```
///
/// Elements follow ``ElementFormatter``; rows wrap at the line width; tensors with more than
/// `threshold` elements show only the first and last `edgeItems` entries of each dimension
/// around `...`. Suffixes: `dtype=torch.float64` (or `int32`) for element types other than
/// PyTorch's defaults (`float32`, `int64`, `bool`), `size=(...)` for empty tensors that are
/// not 1-d, then `grad_fn=<MulBackward0>` for a computed tensor or `requires_grad=True` for a
/// leaf that requires grad.
extension Tensor: CustomStringConvertible {
    /// The tensor as PyTorch prints it, with the default ``PrintOptions``.
    public var description: String { description(options: PrintOptions()) }

    /// The tensor as PyTorch prints it under `options` (`torch.set_printoptions`).
    ///
    /// - Precondition: `options.precision >= 0` and `options.edgeItems >= 1`.
    public func description(options: PrintOptions) -> String {
        check(
            options.precision >= 0 && options.edgeItems >= 1,
            "description: precision \(options.precision) and edgeItems \(options.edgeItems) must be >= 0 and >= 1")
        let prefix = "tensor("
        var suffixes: [String] = []
        let body: String
        if count == 0 {
            if rank != 1 { suffixes.append("size=(" + shape.map(String.init).joined(separator: ", ") + ")") }
            if Scalar.dtypeName != "float32" { suffixes.append("dtype=torch.\(Scalar.dtypeName)") }
            body = "[]"
        } else {
            if !["float32", "int64", "bool"].contains(Scalar.dtypeName) { suffixes.append("dtype=torch.\(Scalar.dtypeName)") }
            body = TensorLayout(self, options: options).text(indent: prefix.count)
        }
        if let gradFnName {
            suffixes.append("grad_fn=<\(gradFnName)\(gradFnName.last?.isNumber == true ? "" : "0")>")
        } else if requiresGrad {
            suffixes.append("requires_grad=True")
        }
        return Self.appending(suffixes, to: prefix + body, indent: prefix.count, lineWidth: options.lineWidth)
    }

    /// `text` followed by `, suffix` for each suffix and `)`; a suffix that would pass the line
    /// width goes on its own line (PyTorch's `_add_suffixes`, including its line-length arithmetic).
    private static func appending(_ suffixes: [String], to text: String, indent: Int, lineWidth: Int) -> String {
        var result = text
        let lastNewline = text.lastIndex(of: "\n").map { text.distance(from: text.startIndex, to: $0) } ?? -1
        var lastLineLength = text.count - lastNewline + 1
        for suffix in suffixes {
            if lastLineLength + suffix.count + 2 > lineWidth {
                result += ",\n" + String(repeating: " ", count: indent) + suffix
                lastLineLength = indent + suffix.count
            } else {
                result += ", " + suffix
                lastLineLength += suffix.count + 2
            }
        }
        return result + ")"
    }
}

/// The nested-bracket text of a non-empty tensor's elements (PyTorch's `_tensor_str`).
private struct TensorLayout<Scalar: TensorElement> {
    private let values: [Scalar]
    private let shape: [Int]
    private let strides: [Int]
    private let summarize: Bool
    private let options: PrintOptions
    private let formatter: ElementFormatter

    init(_ tensor: Tensor<Scalar>, options: PrintOptions) {
        let (values, shape, strides) = (tensor.scalars, tensor.shape, Shape.strides(tensor.shape))
        let summarize = tensor.count > options.threshold
        var shown: [Scalar] = []
        func collect(axis: Int, offset: Int) {
            guard axis < shape.count else { return shown.append(values[offset]) }
            for i in Self.visible(shape[axis], summarize: summarize, edgeItems: options.edgeItems).compactMap({ $0 }) {
                collect(axis: axis + 1, offset: offset + i * strides[axis])
            }
        }
        collect(axis: 0, offset: 0)
        (self.values, self.shape, self.strides, self.summarize, self.options) = (values, shape, strides, summarize, options)
        formatter = ElementFormatter(fitting: shown, options: options)
    }

    /// The indices of a dimension of `size` that are printed, with `nil` where `...` goes.
    private static func visible(_ size: Int, summarize: Bool, edgeItems: Int) -> [Int?] {
        guard summarize && size > 2 * edgeItems else { return Array(0..<size) }
        return Array(0..<edgeItems) + [nil] + Array((size - edgeItems)..<size)
    }

    /// The text of the whole tensor, whose first bracket is at column `indent`.
    func text(indent: Int) -> String { text(axis: 0, offset: 0, indent: indent) }

    private func text(axis: Int, offset: Int, indent: Int) -> String {
        let remaining = shape.count - axis
        if remaining == 0 { return formatter.format(values[offset]) }
        let entries = Self.visible(shape[axis], summarize: summarize, edgeItems: options.edgeItems)
        if remaining == 1 {
            let items = entries.map { $0.map { formatter.format(values[offset + $0]) } ?? " ..." }
            let perLine = Swift.max(1, (options.lineWidth - indent) / (formatter.width + 2))
            let lines = stride(from: 0, to: items.count, by: perLine).map {
                items[$0..<Swift.min($0 + perLine, items.count)].joined(separator: ", ")
            }
            return "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: indent + 1)) + "]"
        }
        let slices = entries.map { i in
            i.map { text(axis: axis + 1, offset: offset + $0 * strides[axis], indent: indent + 1) } ?? "..."
        }
        let separator = "," + String(repeating: "\n", count: remaining - 1) + String(repeating: " ", count: indent + 1)
        return "[" + slices.joined(separator: separator) + "]"
    }
}
