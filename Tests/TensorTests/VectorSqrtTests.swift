import CKernels
import Tensor
import Testing

/// `ck_ssqrt` / `ck_dsqrt` and `VectorMath.squareRoot`: exactly `squareRoot()` on every
/// instruction set the CPU has, tails shorter than a vector included.
struct VectorSqrtTests {
    /// Zeros of both signs, subnormals, the largest finite value, infinities, negatives and NaN.
    static func specials<S: BinaryFloatingPoint>(_: S.Type) -> [S] {
        [0, -0.0, 1, 2, 0.25, S.leastNonzeroMagnitude, S.leastNormalMagnitude / 3, S.greatestFiniteMagnitude,
         .infinity, -1, -.infinity, .nan]
    }

    /// A thousand values of both signs and many magnitudes, then ``specials(_:)``.
    static func inputs<S: BinaryFloatingPoint>(_: S.Type) -> [S] {
        var values: [S] = []
        for i in 0..<1_000 {
            let magnitude = Double(i) * 0.731 + 1e-3
            values.append(S(magnitude * Double(i % 7 - 1)))
        }
        return values + specials(S.self)
    }

    static func same<S: BinaryFloatingPoint>(_ a: S, _ b: S) -> Bool {
        a.isNaN ? b.isNaN : a == b && a.sign == b.sign
    }

    /// Runs `kernel` (ck_ssqrt_isa or ck_dsqrt_isa) at `isa` on the inputs and on tails shorter
    /// than a vector, and expects exactly `squareRoot()`.
    static func check<S: BinaryFloatingPoint>(
        _ kernel: (Int32, UnsafePointer<S>, UnsafeMutablePointer<S>, Int) -> Void, isa: Int32
    ) {
        let x = inputs(S.self)
        for count in [x.count, 13, 7, 1, 0] {
            var y = [S](repeating: 7, count: count)
            kernel(isa, x, &y, count)
            for i in 0..<count { #expect(same(y[i], x[i].squareRoot()), "sqrt(\(x[i]))") }
        }
    }

    @Test("Float: the bits of squareRoot() on every instruction set", arguments: 0...ck_isa())
    func float(isa: Int32) { Self.check(ck_ssqrt_isa, isa: isa) }

    @Test("Double: the bits of squareRoot() on every instruction set", arguments: 0...ck_isa())
    func double(isa: Int32) { Self.check(ck_dsqrt_isa, isa: isa) }

    @Test("VectorMath.squareRoot, in place")
    func inPlace() {
        var x = Self.inputs(Double.self)
        let expected = x.map { $0.squareRoot() }
        x.withUnsafeMutableBufferPointer { VectorMath.squareRoot($0.baseAddress!, into: $0.baseAddress!, count: $0.count) }
        #expect(zip(x, expected).allSatisfy { Self.same($0, $1) })
    }
}
