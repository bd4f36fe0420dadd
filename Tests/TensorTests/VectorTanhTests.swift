import CKernels
import Foundation
import Testing

/// `ck_stanh`, the vectorised single-precision tanh behind the fused RNN, against `Foundation.tanh`
/// in `Double`, on every instruction set the CPU has (portable C included).
@Suite("Vectorised tanh")
struct VectorTanhTests {
    /// The error of `value` as an approximation of `exact`, in units of the last place of `Float`.
    static func ulps(_ value: Float, _ exact: Double) -> Double {
        let rounded = Float(exact)
        return abs(Double(value) - exact) / Double(rounded.nextUp - rounded)
    }

    @Test("within 2 ulp of tanh, NaN propagates, infinities give ±1", arguments: 0...ck_isa())
    func accuracy(isa: Int32) {
        // Dense around the branch point (0.55) and sparse out to the clamp, both signs, with a tail
        // shorter than a vector.
        var x = (0..<20_003).map { Float($0 - 10_001) * 1e-4 }
        x += (0..<2_001).map { Float($0 - 1_000) * 0.012 }
        x += [0, -0, 1e-30, -1e-30, 1e-8, 20, -20, 1e30, .infinity, -.infinity, .nan, Float.leastNonzeroMagnitude]
        var y = [Float](repeating: 0, count: x.count)
        ck_stanh_isa(isa, x, &y, x.count)
        var worst = 0.0
        for (input, output) in zip(x, y) {
            if input.isNaN {
                #expect(output.isNaN)
            } else if input.isInfinite {
                #expect(output == (input > 0 ? 1 : -1))
            } else {
                worst = max(worst, Self.ulps(output, Foundation.tanh(Double(input))))
                #expect(output.sign == input.sign)
            }
        }
        #expect(worst <= 2, "worst error \(worst) ulp")
    }

    @Test("in place")
    func inPlace() {
        var x: [Float] = [-3, -0.5, 0, 0.25, 0.75, 2, 9, 11, 0.1, -0.3, 5, -7, 1, 0.55, -0.55, 4, 3]
        let expected = x.map { Float(Foundation.tanh(Double($0))) }
        x.withUnsafeMutableBufferPointer { p in ck_stanh(p.baseAddress!, p.baseAddress!, p.count) }
        for (value, exact) in zip(x, expected) { #expect(abs(value - exact) <= 2 * exact.ulp) }
    }
}
