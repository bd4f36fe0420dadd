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
///   `Double` uses libm's log/cos/sin; `Float` reproduces PyTorch's vectorised kernel
///   (`normal_fill_16_AVX2` with `avx_mathfun`'s Cephes polynomials for log and sincos and
///   the fused multiply-adds of PyTorch's x86-64 build), not libm.
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
        func transform(_ start: Int) {
            if Scalar.self == Float.self {
                fill16(UnsafeMutableRawPointer(data + start).assumingMemoryBound(to: Float.self),
                       mean: Float(mean), std: Float(std))
            } else {
                fill16(UnsafeMutableRawPointer(data + start).assumingMemoryBound(to: Double.self),
                       mean: Double(mean), std: Double(std))
            }
        }
        for start in stride(from: 0, through: count - 16, by: 16) { transform(start) }
        if count % 16 != 0 {
            for i in (count - 16)..<count { data[i] = Scalar.uniformSample(&state.engine, 0, 1) }
            transform(count - 16)
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

    /// Box-Muller on 16 `Float` uniforms in place, as PyTorch's `normal_fill_16_AVX2` computes it.
    private static func fill16(_ data: UnsafeMutablePointer<Float>, mean: Float, std: Float) {
        let twoPi = Float(2 * Double.pi)
        for j in 0..<8 {
            let radius = (-2 * cephesLog(1 - data[j])).squareRoot()
            let (sine, cosine) = cephesSinCos(twoPi * data[j + 8])
            data[j] = mean.addingProduct(radius * cosine, std)
            data[j + 8] = mean.addingProduct(radius * sine, std)
        }
    }

    /// ln x for x in (0, 1] by `avx_mathfun`'s `log256_ps`: x = m 2^e with m in [√½, √2),
    /// ln x = e ln 2 + ln m, ln(1 + t) by a degree-9 polynomial, ln 2 split in two parts.
    private static func cephesLog(_ input: Float) -> Float {
        var x = Swift.max(input, Float(bitPattern: 0x0080_0000))
        let exponent = Int32(bitPattern: x.bitPattern >> 23) - 0x7F
        x = Float(bitPattern: (x.bitPattern & ~0x7F80_0000) | Float(0.5).bitPattern)
        var e = Float(exponent) + 1
        let below = x < 0.707106781186547524
        let tmp: Float = below ? x : 0
        x -= 1
        if below { e -= 1 }
        x += tmp
        let z = x * x
        var y: Float = 7.0376836292e-2
        y = Float(-1.1514610310e-1).addingProduct(y, x)
        y = Float(1.1676998740e-1).addingProduct(y, x)
        y = Float(-1.2420140846e-1).addingProduct(y, x)
        y = Float(1.4249322787e-1).addingProduct(y, x)
        y = Float(-1.6668057665e-1).addingProduct(y, x)
        y = Float(2.0000714765e-1).addingProduct(y, x)
        y = Float(-2.4999993993e-1).addingProduct(y, x)
        y = Float(3.3333331174e-1).addingProduct(y, x)
        y *= x
        y = (e * -2.12194440e-4).addingProduct(y, z)
        y = y.addingProduct(z, -0.5)
        x += y
        return x.addingProduct(e, 0.693359375)
    }

    /// (sin x, cos x) by `avx_mathfun`'s `sincos256_ps`: reduction by multiples of π/4 in three
    /// parts (Cody-Waite), then the Cephes sine and cosine polynomials on [-π/4, π/4].
    private static func cephesSinCos(_ input: Float) -> (sin: Float, cos: Float) {
        var signSin = input.bitPattern & 0x8000_0000
        var x = Float(bitPattern: input.bitPattern & 0x7FFF_FFFF)
        var octant = Int32(x * 1.27323954473516)
        octant = (octant + 1) & ~1
        let y = Float(octant)
        signSin ^= UInt32(bitPattern: octant & 4) << 29
        let signCos = UInt32(bitPattern: ~(octant - 2) & 4) << 29
        let sinePolynomial = octant & 2 == 0
        x = x.addingProduct(y, -0.78515625)
        x = x.addingProduct(y, -2.4187564849853515625e-4)
        x = x.addingProduct(y, -3.77489497744594108e-8)
        let z = x * x
        var c = Float(-1.388731625493765e-3).addingProduct(2.443315711809948e-5, z)
        c = Float(4.166664568298827e-2).addingProduct(c, z)
        c *= z
        c = (-(z * 0.5)).addingProduct(c, z)
        c += 1
        var s = Float(8.3321608736e-3).addingProduct(-1.9515295891e-4, z)
        s = Float(-1.6666654611e-1).addingProduct(s, z)
        s *= z
        s = x.addingProduct(s, x)
        let (sine, cosine) = sinePolynomial ? (s, c) : (c, s)
        return (Float(bitPattern: sine.bitPattern ^ signSin), Float(bitPattern: cosine.bitPattern ^ signCos))
    }
}
