import Foundation

/// A type that can be stored in a ``Tensor``: `Float`, `Double`, `Int`, `Int32` or `Bool`.
///
/// Integer tensors hold class indices and gather indices (PyTorch's `LongTensor`);
/// boolean tensors hold masks produced by comparisons.
public protocol TensorElement: Sendable, Equatable {
    /// The additive identity, used to fill new tensors.
    static var zero: Self { get }
    /// The element type's name as PyTorch prints it (`torch.float32` is `"float32"`).
    static var dtypeName: String { get }
    /// The value as a `Double` (booleans are 0 and 1), for conversions between element types.
    var doubleValue: Double { get }
    /// The value nearest `value`: integers truncate toward zero and clamp to their range (NaN gives 0);
    /// booleans are `value != 0`.
    init(converting value: Double)
}

/// A floating-point element type with the elementary functions that tensors need.
///
/// `Float` and `Double` conform. Autograd, random initialisation and every
/// differentiable operation require a `TensorFloatingPoint` element. Being a `SIMDScalar` lets
/// kernels process `SIMD8<Scalar>` lanes (Swift's scalar `squareRoot()` keeps an errno path
/// on Linux that stops loops from vectorising; the SIMD one does not).
public protocol TensorFloatingPoint: TensorElement, BinaryFloatingPoint, LosslessStringConvertible, SIMDScalar, Codable
where RawSignificand: FixedWidthInteger {
    /// e^x.
    static func exp(_ x: Self) -> Self
    /// The natural logarithm of x.
    static func log(_ x: Self) -> Self
    /// log(1 + x), accurate for small x.
    static func log1p(_ x: Self) -> Self
    /// The hyperbolic tangent of x.
    static func tanh(_ x: Self) -> Self
    /// x raised to the power y.
    static func pow(_ x: Self, _ y: Self) -> Self
}

extension Float: TensorFloatingPoint {
    /// The element type's name as PyTorch prints it (`torch.float32`).
    public static var dtypeName: String { "float32" }
    /// The value as a `Double`.
    @inlinable public var doubleValue: Double { Double(self) }
    /// The `Float` nearest `value`.
    @inlinable public init(converting value: Double) { self.init(value) }
    /// e^x (libm).
    @inlinable public static func exp(_ x: Float) -> Float { Foundation.exp(x) }
    /// The natural logarithm (libm).
    @inlinable public static func log(_ x: Float) -> Float { Foundation.log(x) }
    /// log(1 + x), accurate for small x (libm).
    @inlinable public static func log1p(_ x: Float) -> Float { Foundation.log1p(x) }
    /// The hyperbolic tangent (libm).
    @inlinable public static func tanh(_ x: Float) -> Float { Foundation.tanh(x) }
    /// x raised to the power y (libm).
    @inlinable public static func pow(_ x: Float, _ y: Float) -> Float { Foundation.pow(x, y) }
}

extension Double: TensorFloatingPoint {
    /// The element type's name as PyTorch prints it (`torch.float64`).
    public static var dtypeName: String { "float64" }
    /// The value itself.
    @inlinable public var doubleValue: Double { self }
    /// The value itself.
    @inlinable public init(converting value: Double) { self = value }
    /// e^x (libm).
    @inlinable public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    /// The natural logarithm (libm).
    @inlinable public static func log(_ x: Double) -> Double { Foundation.log(x) }
    /// log(1 + x), accurate for small x (libm).
    @inlinable public static func log1p(_ x: Double) -> Double { Foundation.log1p(x) }
    /// The hyperbolic tangent (libm).
    @inlinable public static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }
    /// x raised to the power y (libm).
    @inlinable public static func pow(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }
}

extension Int: TensorElement {
    /// The element type's name as PyTorch prints it (`torch.int64`).
    public static var dtypeName: String { "int64" }
    /// The value as a `Double`.
    @inlinable public var doubleValue: Double { Double(self) }
    /// The value truncated toward zero and clamped to the `Int` range; 0 for NaN.
    @inlinable public init(converting value: Double) {
        self = value.isNaN ? 0 : value >= 0x1p63 ? .max : value < -0x1p63 ? .min : Int(value.rounded(.towardZero))
    }
}

extension Int32: TensorElement {
    /// The element type's name as PyTorch prints it (`torch.int32`).
    public static var dtypeName: String { "int32" }
    /// The value as a `Double`.
    @inlinable public var doubleValue: Double { Double(self) }
    /// The value truncated toward zero and clamped to the `Int32` range; 0 for NaN.
    @inlinable public init(converting value: Double) { self = Int32(clamping: Int(converting: value)) }
}

extension Bool: TensorElement {
    /// `false`, the value new boolean tensors are filled with.
    public static var zero: Bool { false }
    /// The element type's name as PyTorch prints it (`torch.bool`).
    public static var dtypeName: String { "bool" }
    /// 1 for `true`, 0 for `false`.
    @inlinable public var doubleValue: Double { self ? 1 : 0 }
    /// `true` for any non-zero value (and NaN).
    @inlinable public init(converting value: Double) { self = value != 0 }
}
