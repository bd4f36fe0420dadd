import Synchronization

/// A seedable source of random numbers (`torch.Generator`), producing PyTorch's streams:
/// `Generator(seed: s)` draws the same uniform values as `torch.Generator().manual_seed(s)`.
///
/// Random functions take a generator and default to ``Generator/default``, the process-wide
/// generator that ``manualSeed(_:)`` reseeds (PyTorch's `torch.manual_seed`). A generator is
/// thread-safe: draws are serialised by a lock.
public final class Generator: Sendable {
    /// Everything a draw may read or update, guarded by one lock.
    struct State {
        /// The Mersenne Twister producing the raw bits.
        var engine: MersenneTwister
        /// The second value of the last Box-Muller pair drawn one sample at a time, kept for the
        /// next such draw (PyTorch's `next_double_normal_sample`); reseeding clears it.
        var spareNormal: Double?
    }

    private let state: Mutex<State>

    /// The process-wide default generator (`torch.default_generator`), seeded with PyTorch's
    /// default seed 67280421310721 until ``manualSeed(_:)`` is called.
    public static let `default` = Generator(seed: 67_280_421_310_721)

    /// A generator seeded with `seed`.
    public init(seed: UInt64) {
        state = Mutex(State(engine: MersenneTwister(seed: seed)))
    }

    /// Restarts the stream from `seed` (`generator.manual_seed(seed)`).
    public func manualSeed(_ seed: UInt64) {
        state.withLock { $0 = State(engine: MersenneTwister(seed: seed)) }
    }

    /// Calls `body` with exclusive access to the underlying Mersenne Twister.
    public func withEngine<R>(_ body: (inout MersenneTwister) -> R) -> R {
        state.withLock { body(&$0.engine) }
    }

    /// Calls `body` with exclusive access to the whole generator state.
    func withState<R>(_ body: (inout State) -> R) -> R {
        state.withLock { body(&$0) }
    }
}

/// Reseeds the default generator (`torch.manual_seed(seed)`).
public func manualSeed(_ seed: UInt64) {
    Generator.default.manualSeed(seed)
}

extension TensorFloatingPoint {
    /// A uniform sample in `[lower, upper)` drawn as PyTorch draws it for this type:
    /// `Float` takes 24 bits of one 32-bit word, `Double` 53 bits of a 64-bit draw, and the
    /// result is `fma(u, upper - lower, lower)` in the element type.
    @inlinable
    static func uniformSample(_ engine: inout MersenneTwister, _ lower: Self, _ upper: Self) -> Self {
        let unit: Self
        if Self.significandBitCount <= 23 {
            unit = Self(engine.next32() & 0xFF_FFFF) * Self(sign: .plus, exponent: -24, significand: 1)
        } else {
            unit = Self(engine.next64() & 0x1F_FFFF_FFFF_FFFF) * Self(sign: .plus, exponent: -53, significand: 1)
        }
        return lower.addingProduct(unit, upper - lower)
    }
}
