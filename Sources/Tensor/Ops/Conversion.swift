/// A tensor's element type, as PyTorch names it (`x.dtype`): `float32`, `float64`, `int64`,
/// `int32` or `bool`. Printed as PyTorch prints it (`torch.float32`).
public struct DType: Sendable, Hashable, CustomStringConvertible {
    /// PyTorch's name without the `torch.` prefix (`"float32"`).
    public let name: String

    /// The element type of `Tensor<Scalar>`.
    public init<Scalar: TensorElement>(_ type: Scalar.Type) { name = Scalar.dtypeName }

    /// `torch.float32` (`Tensor<Float>`).
    public static let float32 = DType(Float.self)
    /// `torch.float64` (`Tensor<Double>`).
    public static let float64 = DType(Double.self)
    /// `torch.int64` (`Tensor<Int>`).
    public static let int64 = DType(Int.self)
    /// `torch.int32` (`Tensor<Int32>`).
    public static let int32 = DType(Int32.self)
    /// `torch.bool` (`Tensor<Bool>`).
    public static let bool = DType(Bool.self)

    /// `torch.float32`, as PyTorch prints it.
    public var description: String { "torch.\(name)" }

    /// Whether this is a floating-point type (`dtype.is_floating_point`).
    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }
}

extension Tensor {
    /// The element type (`x.dtype`): `print(x.dtype)` shows `torch.float32` for a `Tensor<Float>`.
    public var dtype: DType { DType(Scalar.self) }

    /// The elements converted to another element type (`x.to(dtype)`), outside the graph.
    ///
    /// Booleans convert to 0 and 1; floating-point values to integers truncate toward zero.
    public func converted<Target: TensorElement>(to type: Target.Type) -> Tensor<Target> {
        map { Target(converting: $0.doubleValue) }
    }

    /// This tensor as `Target` elements, itself when it has them already (as PyTorch's `.float()`).
    ///
    /// A conversion between two element types records no graph: converting a tensor that
    /// requires grad traps while grad mode is on (detach it first, or convert inside
    /// ``withNoGrad(_:)``), rather than silently cutting the gradient.
    private func asElements<Target: TensorElement>(_ type: Target.Type, op: String) -> Tensor<Target> {
        if let same = self as? Tensor<Target> { return same }
        check(
            !(requiresGrad && GradMode.isEnabled),
            "\(op): converting a tensor that requires grad from \(Scalar.dtypeName) to \(Target.dtypeName) "
                + "is not differentiable here; detach() it first")
        return converted(to: type)
    }

    /// The elements as `Float` (`x.float()`); `self` if they are already.
    /// - Precondition: see ``converted(to:)``; a tensor that requires grad converts only to its own type.
    public func float() -> Tensor<Float> { asElements(Float.self, op: "float") }

    /// The elements as `Double` (`x.double()`); `self` if they are already.
    public func double() -> Tensor<Double> { asElements(Double.self, op: "double") }

    /// The elements as `Int` (`x.long()`), truncated toward zero; `self` if they are already.
    public func long() -> Tensor<Int> { asElements(Int.self, op: "long") }

    /// The elements as `Int32` (`x.int()`), truncated toward zero; `self` if they are already.
    public func int() -> Tensor<Int32> { asElements(Int32.self, op: "int") }

    /// The elements as `Bool` (`x.bool()`): true where non-zero; `self` if they are already.
    public func bool() -> Tensor<Bool> { asElements(Bool.self, op: "bool") }
}
