import Testing
import Tensor

/// `randperm`, `multinomial`, `bernoulli` and shuffling against PyTorch's draws for the same
/// seeds (Golden/ops_golden.json, family `random_`).
@Suite("Random sampling")
struct RandomSamplingTests {
    @Test("draws equal PyTorch's for the same seed", arguments: OpsGolden.forwardCases("random_"))
    func draws(name: String) throws {
        let golden = try #require(OpsGolden.shared.forward[name])
        let outputs = try #require(Self.outputs(name, golden.inputs.map(\.tensor)), "no Swift mirror of case \(name)")
        #expect(outputs.count == golden.outputs.count, "\(name): number of outputs")
        for (i, (actual, expected)) in zip(outputs, golden.outputs).enumerated() {
            expectClose(actual, expected, "\(name) output \(i)", relative: 0, absolute: 0)
        }
    }

    /// The Swift spelling of each `random_` case of `FORWARD` in make_ops_golden.py, with its seeds.
    static func outputs(_ name: String, _ x: [Tensor<Double>]) -> [Tensor<Double>]? {
        func g(_ seed: UInt64) -> Generator { Generator(seed: seed) }
        switch name {
        case "random_randperm":
            return [(1, 0), (5, 0), (10, 7), (30, 42)].map { Tensor<Int>.randperm($0.0, generator: g($0.1)).double() }
        case "random_multinomial":
            let p = x[0], f = p.float()
            return [p.multinomial(numSamples: 3, generator: g(1)), p.multinomial(numSamples: 8, replacement: true, generator: g(2)),
                    p[0].multinomial(numSamples: 1, generator: g(3)), f.multinomial(numSamples: 4, generator: g(4)),
                    f.multinomial(numSamples: 6, replacement: true, generator: g(5)),
                    Tensor<Double>([0, 1, 0, 3]).multinomial(numSamples: 5, replacement: true, generator: g(6))].map { $0.double() }
        case "random_multinomial_large":
            let p = x[0]
            return [p.multinomial(numSamples: 7, generator: g(8)), p.float().multinomial(numSamples: 7, generator: g(9)),
                    p.multinomial(numSamples: 40, replacement: true, generator: g(10))].map { $0.double() }
        case "random_bernoulli":
            let p = x[0]
            return [p.bernoulli(generator: g(11)), p.float().bernoulli(generator: g(12)).double()]
        default: return nil
        }
    }

    @Test("an array shuffles in torch.randperm's order, and Generator serves Swift's random APIs")
    func shuffleAndRandomNumberGenerator() {
        let items = ["a", "b", "c", "d", "e"]
        let permutation = Tensor<Int>.randperm(5, generator: Generator(seed: 3)).scalars
        #expect(items.shuffled(generator: Generator(seed: 3)) == permutation.map { items[$0] })
        var shuffled = items
        shuffled.shuffle(generator: Generator(seed: 3))
        #expect(shuffled == permutation.map { items[$0] })
        var a = Generator(seed: 9), b = MersenneTwister(seed: 9)
        let draws = (0..<5).map { _ in Int.random(in: 0..<1000, using: &a) }
        #expect(draws == (0..<5).map { _ in Int.random(in: 0..<1000, using: &b) })
        #expect(Set(items.shuffled(using: &a)) == Set(items))
    }

    @Test("multinomial without replacement never repeats a category")
    func withoutReplacementDistinct() {
        let samples = Tensor<Double>.ones([3, 6]).multinomial(numSamples: 6, generator: Generator(seed: 1))
        for row in 0..<3 { #expect(Set(samples[row].scalars) == Set(0..<6)) }
    }

    @Test("too many samples without replacement trap")
    func tooManySamples() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Double>([1, 0, 1]).multinomial(numSamples: 3)
        }
        expectTrapMessage(result, contains: "multinomial: cannot sample 3")
    }
}
