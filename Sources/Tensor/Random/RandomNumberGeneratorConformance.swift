/// The framework's generators as Swift `RandomNumberGenerator`s, and shuffling with PyTorch's
/// permutations.
extension MersenneTwister: RandomNumberGenerator {
    /// The next 64 random bits (two words, the first high), for Swift's random APIs.
    public mutating func next() -> UInt64 { next64() }
}

extension Generator: RandomNumberGenerator {
    /// The next 64 random bits of this generator's stream, for Swift's random APIs:
    /// `var g = Generator(seed: 0); Int.random(in: 0..<10, using: &g)`, `array.shuffle(using: &g)`.
    /// (Swift's algorithms draw differently from PyTorch's; ``Swift/Array/shuffle(generator:)``
    /// follows `torch.randperm`.)
    public func next() -> UInt64 { withEngine { $0.next64() } }
}

extension Array {
    /// Reorders the elements by `torch.randperm(count, generator=g)`: element i of the result is
    /// the old element `perm[i]`, so a seed gives the order a PyTorch program gets from
    /// `[items[i] for i in torch.randperm(len(items), generator=g)]`.
    public mutating func shuffle(generator: Generator) { self = shuffled(generator: generator) }

    /// The elements reordered by `torch.randperm(count, generator=g)` (see ``shuffle(generator:)``).
    public func shuffled(generator: Generator) -> [Element] {
        Tensor<Int>.randperm(count, generator: generator).scalars.map { self[$0] }
    }
}
