import CKernels
import Foundation
import Tensor
import Testing

/// `ck_sexp`, the vectorised single-precision exp behind `Float` softmax, against `Foundation.exp`
/// in `Double`, on every instruction set the CPU has (portable C included).
@Suite("Vectorised exp")
struct VectorExpTests {
    /// The error of `value` as an approximation of `exact`, in units of the last place of `Float`
    /// (of the smallest subnormal below the normal range).
    static func ulps(_ value: Float, _ exact: Double) -> Double {
        let rounded = Float(exact).magnitude
        let ulp = rounded < .leastNormalMagnitude ? Double(Float.leastNonzeroMagnitude) : Double(rounded.nextUp - rounded)
        return abs(Double(value) - exact) / ulp
    }

    @Test("within 2 ulp of exp, subnormals included; NaN propagates, -inf gives 0, overflow +inf",
          arguments: 0...ck_isa())
    func accuracy(isa: Int32) {
        // Both ends of the range (underflow to subnormals and 0, overflow to +inf) and a dense
        // stretch around 0, with a tail shorter than a vector.
        var x = (0..<20_003).map { Float($0 - 10_001) * 1e-3 }
        x += (0..<4_001).map { Float($0 - 2_000) * 0.0525 }
        x += (0..<1_001).map { -87 - Float($0) * 0.017 }
        x += [0, -0, 1e-30, 88.72283, 88.72284, 89, 200, -103.97, -104, -200, .infinity, -.infinity, .nan]
        var y = [Float](repeating: 0, count: x.count)
        ck_sexp_isa(isa, x, &y, x.count)
        var worst = 0.0
        for (input, output) in zip(x, y) {
            let exact = Foundation.exp(Double(input))
            if input.isNaN {
                #expect(output.isNaN)
            } else if Float(exact).isInfinite {
                #expect(output == .infinity, "exp(\(input))")
            } else {
                worst = max(worst, Self.ulps(output, exact))
            }
        }
        #expect(worst <= 2, "worst error \(worst) ulp")
    }

    @Test("in place")
    func inPlace() {
        var x: [Float] = [-3, -0.5, 0, 0.25, 0.75, 2, 9, 11, 0.1, -0.3, 5, -7, 1, 0.55, -0.55, 40, -90]
        let expected = x.map { Foundation.exp(Double($0)) }
        x.withUnsafeMutableBufferPointer { p in ck_sexp(p.baseAddress!, p.baseAddress!, p.count) }
        for (value, exact) in zip(x, expected) { #expect(Self.ulps(value, exact) <= 2) }
    }

    /// `Tensor<Float>`'s exp, tanh and sigmoid go through the vectorised kernels: within a few
    /// ulp of the exact values (2 for exp and tanh; sigmoid adds a division's rounding), gradients
    /// included, NaN and infinities handled, and an empty tensor stays empty.
    @Test("Float Tensor.exp(), tanh() and sigmoid() are accurate, forward and backward", arguments: ["exp", "tanh", "sigmoid"])
    func tensorFunctions(function: String) {
        typealias Pair = (float: (Tensor<Float>) -> Tensor<Float>, exact: (Double) -> Double, slope: (Double) -> Double)
        let (f, exact, slope): Pair =
            switch function {
            case "exp": ({ $0.exp() }, { Foundation.exp($0) }, { Foundation.exp($0) })
            case "tanh": ({ $0.tanh() }, { Foundation.tanh($0) }, { 1 - Foundation.tanh($0) * Foundation.tanh($0) })
            default: ({ $0.sigmoid() }, { 1 / (1 + Foundation.exp(-$0)) }, { 1 / (2 + Foundation.exp($0) + Foundation.exp(-$0)) })
            }
        let values = (0..<203).map { Float($0 - 101) * 0.0731 } + [-30, 30]
        let x = Tensor<Float>(shape: [values.count], scalars: values, requiresGrad: true)
        let y = f(x)
        y.sum().backward()
        for (i, input) in values.enumerated() {
            #expect(Self.ulps(y.scalars[i], exact(Double(input))) <= (function == "sigmoid" ? 3 : 2), "f(\(input))")
            let expected = slope(Double(input))
            #expect(abs(Double(x.grad!.scalars[i]) - expected) <= 4e-7 * max(1, abs(expected)), "f'(\(input))")
        }
        let special = f(Tensor<Float>([.nan, .infinity, -.infinity])).scalars
        #expect(special[0].isNaN)
        #expect(special[1] == Float(exact(.infinity)) && special[2] == Float(exact(-.infinity)))
        #expect(f(Tensor<Float>(shape: [0, 3], scalars: [])).shape == [0, 3])
    }

    /// Float softmax and log-softmax (vectorised exp along contiguous lanes, libm along strided
    /// ones) against Double, forward and backward.
    @Test("Float softmax and log-softmax agree with Double", arguments: [(0, false), (1, false), (0, true), (1, true)])
    func softmaxFloatMatchesDouble(axis: Int, log: Bool) {
        let g = Generator(seed: 5)
        let x = Tensor<Double>.uniform([40, 70], lower: -6, upper: 6, generator: g)
        let w = Tensor<Double>.uniform([40, 70], lower: -1, upper: 1, generator: g)
        let xf = Tensor<Float>(shape: x.shape, scalars: x.scalars.map { Float($0) })
        let wf = Tensor<Float>(shape: w.shape, scalars: w.scalars.map { Float($0) })
        let single = SoftmaxThreadingTests.run(xf, wf, axis: axis, log: log)
        let double = SoftmaxThreadingTests.run(x, w, axis: axis, log: log)
        for (s, d) in zip(single, double) {
            let scale = d.scalars.map { abs($0) }.max() ?? 1
            for (a, b) in zip(s.scalars, d.scalars) { #expect(abs(Double(a) - b) <= 1e-5 * scale) }
        }
    }
}
