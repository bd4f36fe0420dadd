/// The 32-bit Mersenne Twister (MT19937), seeded exactly as PyTorch's CPU generator, so that
/// the same seed gives the same stream of 32-bit words as `torch.manual_seed(seed)`.
public struct MersenneTwister: Sendable {
    var state: [UInt32]
    var index: Int

    /// Seeds the generator: `state[0] = seed mod 2^32`, `state[i] = 1812433253 * (state[i-1] ^ (state[i-1] >> 30)) + i`.
    public init(seed: UInt64) {
        var state = [UInt32](repeating: 0, count: 624)
        state[0] = UInt32(truncatingIfNeeded: seed)
        for i in 1..<624 {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
        self.state = state
        self.index = 624
    }

    /// The next 32 random bits.
    public mutating func next32() -> UInt32 {
        if index >= 624 { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// The next 64 random bits: two 32-bit words, the first one high (PyTorch's `random64()`).
    public mutating func next64() -> UInt64 {
        let high = UInt64(next32())
        return high << 32 | UInt64(next32())
    }

    private mutating func twist() {
        for i in 0..<624 {
            let y = (state[i] & 0x8000_0000) | (state[(i + 1) % 624] & 0x7FFF_FFFF)
            state[i] = state[(i + 397) % 624] ^ (y >> 1) ^ (y & 1 == 0 ? 0 : 0x9908_B0DF)
        }
        index = 0
    }
}
