import Testing
import Tensor

/// The random generators against PyTorch's CPU generator (Golden/tensor_golden.json).
@Suite("Random numbers match PyTorch")
struct RandomTests {
    @Test("uniform reproduces torch.empty(n).uniform_(a, b) bit for bit", arguments: Golden.shared.uniform)
    func uniform(golden: Golden.UniformCase) {
        let floats = Tensor<Float>.uniform(
            [golden.count], lower: Float(golden.lower), upper: Float(golden.upper), generator: Generator(seed: golden.seed))
        #expect(floats.scalars == golden.float32.map { Float($0) })
        let doubles = Tensor<Double>.uniform(
            [golden.count], lower: golden.lower, upper: golden.upper, generator: Generator(seed: golden.seed))
        #expect(doubles.scalars == golden.float64)
    }

    @Test("normal reproduces successive torch.empty(n).normal_(mean, std) calls bit for bit", arguments: Golden.shared.normal)
    func normal(golden: Golden.NormalCase) {
        let generator = Generator(seed: golden.seed)
        for (call, expected) in zip(golden.calls, golden.values) {
            if golden.dtype == "float32" {
                let x = Tensor<Float>.normal([call.count], mean: Float(call.mean), std: Float(call.std), generator: generator)
                #expect(x.scalars == expected.map { Float($0) }, "call of size \(call.count)")
            } else {
                let x = Tensor<Double>.normal([call.count], mean: call.mean, std: call.std, generator: generator)
                #expect(x.scalars == expected, "call of size \(call.count)")
            }
        }
    }

    @Test("normal samples have the requested mean and standard deviation", arguments: [(0.0, 1.0), (-2.0, 0.5), (3.0, 4.0)])
    func normalStatistics(mean: Double, std: Double) {
        let n = 20_000
        for values in [Tensor<Float>.normal([n], mean: Float(mean), std: Float(std), generator: Generator(seed: 5)).scalars.map(Double.init),
                       Tensor<Double>.normal([n], mean: mean, std: std, generator: Generator(seed: 6)).scalars] {
            let sampleMean = values.reduce(0, +) / Double(n)
            let sampleStd = (values.map { ($0 - sampleMean) * ($0 - sampleMean) }.reduce(0, +) / Double(n - 1)).squareRoot()
            // Five standard errors: the mean's is std / sqrt(n), the standard deviation's about std / sqrt(2n).
            #expect(Swift.abs(sampleMean - mean) < 5 * std / Double(n).squareRoot())
            #expect(Swift.abs(sampleStd - std) < 5 * std / Double(2 * n).squareRoot())
        }
    }

    @Test("reseeding restarts the stream and forgets the spare normal sample")
    func reseed() {
        let generator = Generator(seed: 9)
        let first = Tensor<Double>.normal([3], generator: generator).scalars
        generator.manualSeed(9)
        #expect(Tensor<Double>.normal([3], generator: generator).scalars == first)
        generator.manualSeed(9)
        _ = Tensor<Double>.normal([1], generator: generator)
        // The spare of the first pair is used next, so a fresh stream of 2 shares its second value.
        #expect(Tensor<Double>.normal([1], generator: generator).item == first[1])
    }

    @Test("separate generators with the same seed give the same stream")
    func independentGenerators() {
        let a = Generator(seed: 77), b = Generator(seed: 77)
        #expect(Tensor<Float>.rand([5], generator: a).scalars == Tensor<Float>.rand([5], generator: b).scalars)
        #expect(Tensor<Float>.randn([20], generator: a).scalars == Tensor<Float>.randn([20], generator: b).scalars)
        #expect(Tensor<Float>.rand([5], generator: a).scalars != Tensor<Float>.rand([5], generator: Generator(seed: 78)).scalars)
    }
}
