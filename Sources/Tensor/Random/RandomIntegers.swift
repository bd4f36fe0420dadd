/// Uniform random integers drawn exactly as PyTorch's CPU generator draws them.
extension Tensor where Scalar == Int {
    /// Integers uniform in `low..<high` (`torch.randint(low, high, shape, generator=g)`), drawn as
    /// PyTorch's CPU kernel draws them (ATen's `uniform_int_from_to_distribution`, one element
    /// after another): with range r = high - low, each element is `low + w mod r` for the next
    /// 32-bit word w of the generator, or for the next 64-bit draw (two words, the first high)
    /// when r >= 2²⁸ (PyTorch 2.15's threshold, measured against it). The same seed gives the
    /// same integers as PyTorch.
    ///
    /// - Precondition: `low < high` and no dimension of `shape` is negative.
    public static func randint(
        _ low: Int, _ high: Int, _ shape: [Int], generator: Generator = .default
    ) -> Tensor<Int> {
        check(low < high, "randint: expected low < high, but got low=\(low) and high=\(high)")
        check(shape.allSatisfy { $0 >= 0 }, "randint: negative dimension in shape \(shape)")
        let range = UInt64(bitPattern: Int64(high) &- Int64(low))
        return Tensor(shape: shape) { out in
            generator.withEngine { engine in
                for i in out.indices {
                    let word = range >= 1 << 28 ? engine.next64() : UInt64(engine.next32())
                    (out.baseAddress! + i).initialize(to: low &+ Int(truncatingIfNeeded: word % range))
                }
            }
        }
    }

    /// Integers uniform in `0..<high` (`torch.randint(high, shape, generator=g)`); see
    /// the three-argument form.
    public static func randint(_ high: Int, _ shape: [Int], generator: Generator = .default) -> Tensor<Int> {
        randint(0, high, shape, generator: generator)
    }
}
