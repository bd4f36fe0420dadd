import CKernels

/// Elementwise functions over raw buffers, for loops that apply them to whole rows (softmax, the
/// fused RNN, the elementwise ops, the optimizers): `exp` and `tanh` vectorised in `CKernels`
/// (`ck_sexp`, `ck_stanh`, within 2 ulp) for `Float` and from libm for `Double`; square roots
/// with vector instructions for both (exact).
public enum VectorMath {
    /// The number of elements a caller working in chunks should hand over at once (a chunk and
    /// its results stay in L1).
    public static let chunk = 256

    /// y[i] = √x[i] for i < count, exactly as `squareRoot()` (IEEE square roots are correctly
    /// rounded), but with vector instructions: Swift's own compiles to libm's `sqrt`, which must
    /// set `errno` and so cannot be vectorised. `y` may equal `x`.
    @inline(__always)
    public static func squareRoot<S: TensorFloatingPoint>(_ x: UnsafePointer<S>, into y: UnsafeMutablePointer<S>, count: Int) {
        apply(x, into: y, count: count, float: ck_ssqrt, double: ck_dsqrt) { $0.squareRoot() }
    }

    /// y[i] = e^(x[i]) for i < count; `y` may equal `x`.
    @inline(__always)
    static func exp<S: TensorFloatingPoint>(_ x: UnsafePointer<S>, into y: UnsafeMutablePointer<S>, count: Int) {
        apply(x, into: y, count: count, float: ck_sexp) { S.exp($0) }
    }

    /// y[i] = tanh(x[i]) for i < count; `y` may equal `x`.
    @inline(__always)
    static func tanh<S: TensorFloatingPoint>(_ x: UnsafePointer<S>, into y: UnsafeMutablePointer<S>, count: Int) {
        apply(x, into: y, count: count, float: ck_stanh) { S.tanh($0) }
    }

    /// The buffer kernel of `S`'s precision (`float` or `double`, the buffers reinterpreted),
    /// or `f` element by element when there is none.
    @inline(__always)
    private static func apply<S: TensorFloatingPoint>(
        _ x: UnsafePointer<S>, into y: UnsafeMutablePointer<S>, count: Int,
        float: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void,
        double: ((UnsafePointer<Double>, UnsafeMutablePointer<Double>, Int) -> Void)? = nil, _ f: (S) -> S
    ) {
        if S.self == Float.self {
            float(
                UnsafeRawPointer(x).assumingMemoryBound(to: Float.self),
                UnsafeMutableRawPointer(y).assumingMemoryBound(to: Float.self), count)
        } else if S.self == Double.self, let double {
            double(
                UnsafeRawPointer(x).assumingMemoryBound(to: Double.self),
                UnsafeMutableRawPointer(y).assumingMemoryBound(to: Double.self), count)
        } else {
            for i in 0..<count { y[i] = f(x[i]) }
        }
    }
}
