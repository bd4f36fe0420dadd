import CKernels
import Foundation
import Testing

/// `ck_sgelu`, the vectorised single-precision exact GELU (and its derivative) behind
/// `Tensor.gelu` for `Float`, against the `Double` formulas with libm's erf, on every instruction
/// set the CPU has (portable C included).
@Suite("Vectorised GELU")
struct VectorGELUTests {
    /// x Φ(x) and Φ(x) + x φ(x) in `Double`.
    static func exact(_ x: Double) -> (value: Double, slope: Double) {
        let cdf = 0.5 * (1 + Foundation.erf(x / 2.0.squareRoot()))
        return (x * cdf, cdf + x * Foundation.exp(-0.5 * x * x) / (2 * Double.pi).squareRoot())
    }

    @Test("within 4e-7 (relative to max(1, |x|)) of GELU and its slope, NaN propagates", arguments: 0...ck_isa())
    func accuracy(isa: Int32) {
        // Dense near 0 and sparse out to where e^(-x²/2) underflows, both signs, with a tail
        // shorter than a vector.
        var x = (0..<20_003).map { Float($0 - 10_001) * 1e-3 }
        x += (0..<2_001).map { Float($0 - 1_000) * 0.02 }
        x += [0, -0, 1e-30, -1e-30, 30, -30, 1e30, -1e30, .nan]
        var y = [Float](repeating: 0, count: x.count), slope = y, alone = y
        ck_sgelu_isa(isa, x, &y, &slope, x.count)
        ck_sgelu_isa(isa, x, &alone, nil, x.count)
        var worst = (value: 0.0, slope: 0.0)
        for i in x.indices {
            if x[i].isNaN {
                #expect(y[i].isNaN && slope[i].isNaN && alone[i].isNaN)
                continue
            }
            #expect(alone[i] == y[i])
            let (value, derivative) = Self.exact(Double(x[i]))
            let scale = max(1, abs(Double(x[i])))
            worst.value = max(worst.value, abs(Double(y[i]) - value) / scale)
            worst.slope = max(worst.slope, abs(Double(slope[i]) - derivative) / scale)
        }
        #expect(worst.value <= 4e-7, "worst value error \(worst.value)")
        #expect(worst.slope <= 4e-7, "worst slope error \(worst.slope)")
    }

    @Test("every instruction set computes the same formula (to a few ulp)")
    func instructionSetsAgree() {
        let x = (0..<1_003).map { Float($0 - 501) * 0.013 }
        var reference = [Float](repeating: 0, count: x.count), referenceSlope = reference
        ck_sgelu_isa(0, x, &reference, &referenceSlope, x.count)
        for isa in 1...max(ck_isa(), 1) where isa <= ck_isa() {
            var y = [Float](repeating: 0, count: x.count), slope = y
            ck_sgelu_isa(isa, x, &y, &slope, x.count)
            for i in x.indices {
                #expect(abs(y[i] - reference[i]) <= 4 * max(abs(reference[i]), 1).ulp)
                #expect(abs(slope[i] - referenceSlope[i]) <= 4 * max(abs(referenceSlope[i]), 1).ulp)
            }
        }
    }

    @Test("in place")
    func inPlace() {
        var x: [Float] = [-3, -0.5, 0, 0.25, 0.75, 2, 9, 11, 0.1, -0.3, 5, -7, 1, 0.55, -0.55, 4, 3]
        let expected = x.map { Float(Self.exact(Double($0)).value) }
        x.withUnsafeMutableBufferPointer { p in ck_sgelu(p.baseAddress!, p.baseAddress!, nil, p.count) }
        for (value, exact) in zip(x, expected) { #expect(abs(value - exact) <= 4e-7 * max(1, abs(exact))) }
    }
}
