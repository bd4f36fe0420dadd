/// Elementwise arithmetic with NumPy/PyTorch broadcasting. The gradient of a broadcast
/// operand is the output gradient summed back to the operand's shape (``Tensor/sum(toShape:)``).
extension Tensor where Scalar: TensorFloatingPoint {
    /// Elementwise sum, broadcasting: `[2, 3] + [3] -> [2, 3]`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
        lhs.arithmetic(rhs, .add).recording("AddBackward", [lhs, rhs]) { g in
            [g.sum(toShape: lhs.shape), g.sum(toShape: rhs.shape)]
        }
    }

    /// Elementwise difference, broadcasting.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
        lhs.arithmetic(rhs, .sub).recording("SubBackward", [lhs, rhs]) { g in
            [g.sum(toShape: lhs.shape), (-g).sum(toShape: rhs.shape)]
        }
    }

    /// Elementwise product, broadcasting.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
        lhs.arithmetic(rhs, .mul).recording("MulBackward", [lhs, rhs]) { g in
            [
                lhs.requiresGrad ? (g * rhs).sum(toShape: lhs.shape) : nil,
                rhs.requiresGrad ? (g * lhs).sum(toShape: rhs.shape) : nil,
            ]
        }
    }

    /// Elementwise quotient, broadcasting.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor {
        lhs.arithmetic(rhs, .div).recording("DivBackward", [lhs, rhs]) { g in
            [
                lhs.requiresGrad ? (g / rhs).sum(toShape: lhs.shape) : nil,
                rhs.requiresGrad ? (-g * lhs / (rhs * rhs)).sum(toShape: rhs.shape) : nil,
            ]
        }
    }

    /// Elementwise negation.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static prefix func - (x: Tensor) -> Tensor {
        x.map { -$0 }.recording("NegBackward", [x]) { g in [-g] }
    }

    /// Adds a scalar to every element.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func + (lhs: Tensor, rhs: Scalar) -> Tensor {
        lhs.map { $0 + rhs }.recording("AddBackward", [lhs]) { g in [g] }
    }

    /// Adds a scalar to every element.
    public static func + (lhs: Scalar, rhs: Tensor) -> Tensor { rhs + lhs }

    /// Subtracts a scalar from every element.
    public static func - (lhs: Tensor, rhs: Scalar) -> Tensor { lhs + (-rhs) }

    /// Subtracts every element from a scalar.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func - (lhs: Scalar, rhs: Tensor) -> Tensor {
        rhs.map { lhs - $0 }.recording("RsubBackward", [rhs]) { g in [-g] }
    }

    /// Multiplies every element by a scalar.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func * (lhs: Tensor, rhs: Scalar) -> Tensor {
        lhs.map { $0 * rhs }.recording("MulBackward", [lhs]) { g in [g * rhs] }
    }

    /// Multiplies every element by a scalar.
    public static func * (lhs: Scalar, rhs: Tensor) -> Tensor { rhs * lhs }

    /// Divides every element by a scalar.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func / (lhs: Tensor, rhs: Scalar) -> Tensor {
        lhs.map { $0 / rhs }.recording("DivBackward", [lhs]) { g in [g / rhs] }
    }

    /// Divides a scalar by every element.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func / (lhs: Scalar, rhs: Tensor) -> Tensor {
        rhs.map { lhs / $0 }.recording("DivBackward", [rhs]) { g in [-g * lhs / (rhs * rhs)] }
    }

    /// Elementwise power with a tensor exponent, broadcasting (`torch.pow(x, y)`).
    ///
    /// Backward, with PyTorch's conventions at zero: d/dx = y x^(y-1), and 0 where y = 0;
    /// d/dy = x^y log x, and 0 where x = 0 and y >= 0.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func pow(_ exponent: Tensor) -> Tensor {
        let result = zipWith(exponent, op: "pow") { Scalar.pow($0, $1) }
        let saved = result.detach()
        return result.recording("PowBackward", [self, exponent]) { [self] g in
            [
                requiresGrad
                    ? (g * zipWith(exponent, op: "pow") { x, y in y == 0 ? 0 : y * Scalar.pow(x, y - 1) })
                        .sum(toShape: shape)
                    : nil,
                exponent.requiresGrad
                    ? (g * (saved * zipWith(exponent, op: "pow") { x, y in x == 0 && y >= 0 ? 0 : Scalar.log(x) }))
                        .sum(toShape: exponent.shape)
                    : nil,
            ]
        }
    }

    /// Every element raised to a scalar power (`x ** p`). d/dx = p x^(p-1), and 0 everywhere
    /// when p = 0 (PyTorch's convention, so `x ** 0` has gradient 0 even at x = 0).
    ///
    /// As PyTorch's kernel, p = 2, 3, -1, -2 are computed by multiplication and division and
    /// p = ±0.5 by the square root (so `(-inf) ** 0.5` is NaN, not C's `pow` +inf), in the
    /// value and in the gradient.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func pow(_ exponent: Scalar) -> Tensor {
        let power: (Scalar) -> Scalar =
            switch exponent {
            case 2: { $0 * $0 }
            case 3: { $0 * $0 * $0 }
            case -1: { 1 / $0 }
            case -2: { 1 / ($0 * $0) }
            case 0.5: { $0.squareRoot() }
            case -0.5: { 1 / $0.squareRoot() }
            default: { Scalar.pow($0, exponent) }
            }
        return map(power).recording("PowBackward", [self]) { [self] g in
            exponent == 0 ? [g * 0] : [g * (pow(exponent - 1) * exponent)]
        }
    }

    /// The elementwise larger of two tensors, broadcasting (`torch.maximum`); NaN if either is NaN.
    ///
    /// Backward, as PyTorch: each operand gets g where it is not below the other (so both get
    /// it where either is NaN), halved where they tie.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func maximum(_ other: Tensor) -> Tensor {
        let result = zipWith(other, op: "maximum") { $0.isNaN || $0 > $1 ? $0 : $1 }
        return result.recording("MaximumBackward", [self, other]) { [self] g in
            extremumGradients(g, other, op: "maximum") { $0 < $1 }
        }
    }

    /// The elementwise smaller of two tensors, broadcasting (`torch.minimum`); NaN if either is NaN.
    ///
    /// Backward, as PyTorch: each operand gets g where it is not above the other (so both get
    /// it where either is NaN), halved where they tie.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func minimum(_ other: Tensor) -> Tensor {
        let result = zipWith(other, op: "minimum") { $0.isNaN || $0 < $1 ? $0 : $1 }
        return result.recording("MinimumBackward", [self, other]) { [self] g in
            extremumGradients(g, other, op: "minimum") { $0 > $1 }
        }
    }

    /// The gradients of `maximum`/`minimum`: g where `loses(x, y)` is false (halved at a tie),
    /// for x = self and for x = other.
    private func extremumGradients(_ g: Tensor, _ other: Tensor, op: String, loses: @escaping (Scalar, Scalar) -> Bool)
        -> [Tensor?]
    {
        let share = { (x: Scalar, y: Scalar) -> Scalar in loses(x, y) ? 0 : x == y ? 0.5 : 1 }
        return [
            requiresGrad ? (g * zipWith(other, op: op, share)).sum(toShape: shape) : nil,
            other.requiresGrad ? (g * other.zipWith(self, op: op, share)).sum(toShape: other.shape) : nil,
        ]
    }

    /// Adds `other` into `self` in place (`x.add_(other)`), without recording autograd.
    ///
    /// - Precondition: `other` broadcasts to `self`'s shape.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func addInPlace(_ other: Tensor, scaledBy alpha: Scalar = 1) {
        let addend = other.broadcastValues(to: shape, op: "addInPlace")
        withUnsafeMutableBufferPointer { x in
            addend.withUnsafeBufferPointer { y in
                for i in 0..<x.count { x[i] += alpha * y[i] }
            }
        }
    }
}
