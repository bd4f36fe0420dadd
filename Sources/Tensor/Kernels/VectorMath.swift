import CKernels

/// Elementwise `exp` and `tanh` over raw buffers, for the ops whose inner loops apply them to
/// whole rows (softmax, the fused RNN): vectorised in `CKernels` (`ck_sexp`, `ck_stanh`, within
/// 2 ulp) for `Float`, libm for `Double`.
enum VectorMath {
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

    /// `kernel` on the buffers reinterpreted as `Float` when `S` is `Float`, else `f` element by
    /// element.
    @inline(__always)
    private static func apply<S: TensorFloatingPoint>(
        _ x: UnsafePointer<S>, into y: UnsafeMutablePointer<S>, count: Int,
        float kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void, _ f: (S) -> S
    ) {
        if S.self == Float.self {
            kernel(
                UnsafeRawPointer(x).assumingMemoryBound(to: Float.self),
                UnsafeMutableRawPointer(y).assumingMemoryBound(to: Float.self), count)
        } else {
            for i in 0..<count { y[i] = f(x[i]) }
        }
    }
}
