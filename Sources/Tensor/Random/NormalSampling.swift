import CKernels
import Foundation

/// Normal samples drawn exactly as PyTorch's CPU `normal_` draws them (ATen's
/// `DistributionTemplates.h`), so that the same seed gives the same values.
///
/// - Fewer than 16 elements: one sample at a time from `at::normal_distribution<double>`:
///   uniforms u1, u2 (53-bit), r = sqrt(-2 log1p(-u2)), θ = 2π u1, the sample r cos θ and
///   the spare r sin θ kept in the generator for the next such sample; then
///   fma(sample, std, mean) in `Double`, rounded to the element type.
/// - 16 or more: every element first gets a uniform of its type, then each block of 16 is
///   transformed in place by Box-Muller over the pairs (j, j + 8), u1 = 1 - data[j]; when the
///   count is not a multiple of 16, the last 16 get fresh uniforms and are transformed again.
///   `Double` uses libm's log/cos/sin; `Float` runs `ck_snormal16`, which reproduces PyTorch's
///   vectorised kernel (`normal_fill_16_AVX2` with `avx_mathfun`'s Cephes polynomials for log
///   and sincos and the fused multiply-adds of PyTorch's x86-64 build), not libm.
enum NormalSampling {
    /// Initializes `buffer` with samples of N(mean, std²) for `Float` or `Double`, advancing `state`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    static func fill<Scalar: TensorFloatingPoint>(
        _ buffer: UnsafeMutableBufferPointer<Scalar>, mean: Scalar, std: Scalar, state: inout Generator.State
    ) {
        let count = buffer.count, data = buffer.baseAddress!
        guard count >= 16 else {
            for i in 0..<count {
                (data + i).initialize(to: Scalar(Double(mean).addingProduct(spareOrNewNormal(&state), Double(std))))
            }
            return
        }
        for i in 0..<count { (data + i).initialize(to: Scalar.uniformSample(&state.engine, 0, 1)) }
        // Transforms `blocks` blocks of 16 from `start` in place.
        func transform(_ start: Int, blocks: Int) {
            if Scalar.self == Float.self {
                ck_snormal16(UnsafeMutableRawPointer(data + start).assumingMemoryBound(to: Float.self),
                             blocks, Float(mean), Float(std))
            } else {
                let doubles = UnsafeMutableRawPointer(data + start).assumingMemoryBound(to: Double.self)
                for block in 0..<blocks { fill16(doubles + 16 * block, mean: Double(mean), std: Double(std)) }
            }
        }
        transform(0, blocks: count / 16)
        if count % 16 != 0 {
            for i in (count - 16)..<count { data[i] = Scalar.uniformSample(&state.engine, 0, 1) }
            transform(count - 16, blocks: 1)
        }
    }

    /// A standard normal sample from `at::normal_distribution<double>`: the spare from the last
    /// pair if there is one, else a new Box-Muller pair whose second value becomes the spare.
    private static func spareOrNewNormal(_ state: inout Generator.State) -> Double {
        if let spare = state.spareNormal {
            state.spareNormal = nil
            return spare
        }
        let u1 = Double.uniformSample(&state.engine, 0, 1), u2 = Double.uniformSample(&state.engine, 0, 1)
        let radius = Foundation.sqrt(-2 * Foundation.log1p(-u2))
        let theta = 2 * Double.pi * u1
        state.spareNormal = radius * Foundation.sin(theta)
        return radius * Foundation.cos(theta)
    }

    /// Box-Muller on 16 `Double` uniforms in place (`normal_fill_16<double>`).
    private static func fill16(_ data: UnsafeMutablePointer<Double>, mean: Double, std: Double) {
        for j in 0..<8 {
            let radius = Foundation.sqrt(-2 * Foundation.log(1 - data[j]))
            let theta = 2 * Double.pi * data[j + 8]
            data[j] = mean.addingProduct(radius * Foundation.cos(theta), std)
            data[j + 8] = mean.addingProduct(radius * Foundation.sin(theta), std)
        }
    }
}
