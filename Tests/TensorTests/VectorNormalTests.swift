import CKernels
import Foundation
import Testing

/// `ck_snormal16`, the Box-Muller transform behind `Tensor<Float>.normal` (bit for bit against
/// PyTorch in RandomTests), on every instruction set the CPU has (portable C included).
@Suite("Vectorised Box-Muller")
struct VectorNormalTests {
    /// Uniforms as PyTorch draws them for `Float` (multiples of 2⁻²⁴ in [0, 1)): the ends of the
    /// range, then a dense sweep, in blocks of 16.
    static let uniforms: [Float] = {
        let step = Float(1) / Float(1 << 24)
        var u: [Float] = [0, step, 2 * step, 0.5 - step, 0.5, 0.125, 0.25, 0.375, 0.625, 0.75, 0.875, 1 - step]
        u += (0..<(16 * 4_096 - u.count)).map { Float(($0 &* 2_654_435_761) % (1 << 24)) * step }
        return u
    }()

    static func transformed(_ uniforms: [Float], isa: Int32, mean: Float, std: Float) -> [Float] {
        var data = uniforms
        data.withUnsafeMutableBufferPointer { ck_snormal16_isa(isa, $0.baseAddress!, $0.count / 16, mean, std) }
        return data
    }

    @Test("every instruction set gives the portable path's bits", arguments: 1...max(1, ck_isa()))
    func sameBits(isa: Int32) {
        for (mean, std) in [(Float(0), Float(1)), (-0.5, 3), (2, 0.01)] {
            let portable = Self.transformed(Self.uniforms, isa: 0, mean: mean, std: std)
            let vectorised = Self.transformed(Self.uniforms, isa: isa, mean: mean, std: std)
            #expect(portable.map(\.bitPattern) == vectorised.map(\.bitPattern))
        }
    }

    @Test("is the Box-Muller transform: r cos θ and r sin θ, r = sqrt(-2 ln(1 - u₁)), θ = 2π u₂",
          arguments: 0...ck_isa())
    func boxMuller(isa: Int32) {
        let mean: Float = 0.25, std: Float = 2
        let output = Self.transformed(Self.uniforms, isa: isa, mean: mean, std: std)
        for block in stride(from: 0, to: Self.uniforms.count, by: 16) {
            for j in 0..<8 {
                let u1 = Double(Self.uniforms[block + j]), u2 = Double(Self.uniforms[block + j + 8])
                let radius = (-2 * Foundation.log(1 - u1)).squareRoot(), theta = 2 * Double.pi * u2
                let expected = [radius * Foundation.cos(theta), radius * Foundation.sin(theta)]
                for (index, exact) in zip([block + j, block + j + 8], expected) {
                    let sample = (Double(output[index]) - Double(mean)) / Double(std)
                    #expect(abs(sample - exact) <= 4e-6 * max(1, radius), "u1 \(u1), u2 \(u2)")
                }
            }
        }
    }
}
