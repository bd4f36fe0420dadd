import NN
import Tensor
import Testing

/// `Tensor.packedSelfAttention` (the fused split → heads → attention → concatenation that `GPT`
/// runs) against the unfused graph it replaces, in Double and Float, and gradient-checked.
@Suite("packedSelfAttention equals split, permute, attention, permute")
struct PackedSelfAttentionTests {
    /// The unfused computation: nanoGPT's `CausalSelfAttention` between `c_attn` and `c_proj`.
    static func unfused<Scalar: TensorFloatingPoint>(
        _ qkv: Tensor<Scalar>, heads: Int, isCausal: Bool, dropoutP: Double, scale: Scalar?, seed: UInt64
    ) -> Tensor<Scalar> {
        let (b, t, c) = (qkv.shape[0], qkv.shape[1], qkv.shape[2] / 3)
        let parts = qkv.split(size: c, axis: 2).map { $0.reshape(b, t, heads, c / heads).permute(0, 2, 1, 3) }
        let y = scaledDotProductAttention(
            parts[0], parts[1], parts[2], isCausal: isCausal, dropoutP: dropoutP, scale: scale,
            generator: Generator(seed: seed))
        return y.permute(0, 2, 1, 3).reshape(b, t, c)
    }

    /// Output and input gradient (for fixed output weights) of both forms, for one configuration.
    static func compare<Scalar: TensorFloatingPoint>(
        _: Scalar.Type, shape: [Int], heads: Int, isCausal: Bool, dropoutP: Double, scale: Scalar?, tolerance: Double
    ) {
        let x = sample(shape, seed: 11).converted(to: Scalar.self)
        let weights = sample([shape[0], shape[1], shape[2] / 3], seed: 12).converted(to: Scalar.self)
        func run(_ fused: Bool) -> (y: [Double], dx: [Double]) {
            let leaf = x.detach().requiringGrad()
            let y = fused
                ? Tensor.packedSelfAttention(
                    leaf, heads: heads, isCausal: isCausal, dropoutP: dropoutP, scale: scale, generator: Generator(seed: 5))
                : unfused(leaf, heads: heads, isCausal: isCausal, dropoutP: dropoutP, scale: scale, seed: 5)
            (y * weights).sum().backward()
            return (y.scalars.map(\.doubleValue), leaf.grad!.scalars.map(\.doubleValue))
        }
        let (fused, reference) = (run(true), run(false))
        for (a, b) in zip(fused.y + fused.dx, reference.y + reference.dx) {
            #expect(abs(a - b) <= tolerance * max(1, abs(b)), "\(shape) heads \(heads) causal \(isCausal) p \(dropoutP): \(a) vs \(b)")
        }
        #expect(fused.y.count == reference.y.count && fused.dx.count == reference.dx.count)
    }

    static let cases: [(shape: [Int], heads: Int, isCausal: Bool, dropoutP: Double, scale: Double?)] = [
        ([2, 5, 12], 2, true, 0, nil), ([3, 4, 6], 1, false, 0, 0.7), ([1, 7, 24], 4, true, 0.3, nil),
        ([2, 1, 9], 3, false, 0, nil),
    ]

    @Test("Double to 1e-12, Float within rounding (1e-5), same dropout draws", arguments: cases.indices)
    func matchesUnfused(index: Int) {
        let c = Self.cases[index]
        Self.compare(Double.self, shape: c.shape, heads: c.heads, isCausal: c.isCausal, dropoutP: c.dropoutP, scale: c.scale, tolerance: 1e-12)
        Self.compare(
            Float.self, shape: c.shape, heads: c.heads, isCausal: c.isCausal, dropoutP: c.dropoutP, scale: c.scale.map { Float($0) },
            tolerance: 1e-5)
    }

    @Test("gradient check (causal, and with dropout from a fixed seed)")
    func gradients() {
        let x = sample([2, 4, 12], seed: 3)
        var report = gradientCheck(of: { Tensor.packedSelfAttention($0[0], heads: 2, isCausal: true) }, at: [x])
        #expect(report.passed, "\(report)")
        report = gradientCheck(
            of: { Tensor.packedSelfAttention($0[0], heads: 3, dropoutP: 0.25, generator: Generator(seed: 4)) },
            at: [sample([2, 4, 18], seed: 5)])
        #expect(report.passed, "\(report)")
    }
}
