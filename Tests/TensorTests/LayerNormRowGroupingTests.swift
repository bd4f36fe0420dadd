import Testing
import Tensor

/// The layer normalisation kernels sum four rows side by side: every row must get the bits it
/// gets when normalised alone, forward and backward, whatever its place in a group of four, for
/// widths that are and are not multiples of the four partial sums.
@Suite("layerNorm rows normalised together or alone")
struct LayerNormRowGroupingTests {
    /// The output and the input's gradient of (layerNorm(x) ⊙ w).sum(), row by row.
    static func rows<S: TensorFloatingPoint>(
        _ x: Tensor<S>, _ w: Tensor<S>, weight: Tensor<S>?, bias: Tensor<S>?
    ) -> (output: [[S]], gradient: [[S]]) {
        let width = x.shape[1]
        let leaf = x.detach().requiringGrad()
        let output = leaf.layerNorm(normalizedShape: [width], weight: weight, bias: bias)
        (output * w).sum().backward()
        func split(_ values: [S]) -> [[S]] {
            stride(from: 0, to: values.count, by: width).map { Array(values[$0..<($0 + width)]) }
        }
        return (split(output.scalars), split(leaf.grad!.scalars))
    }

    static func check<S: TensorFloatingPoint>(_: S.Type, rowCount: Int, width: Int, affine: Bool) {
        let g = Generator(seed: UInt64(rowCount * 1000 + width))
        let x = Tensor<S>.uniform([rowCount, width], lower: -3, upper: 3, generator: g)
        let w = Tensor<S>.uniform([rowCount, width], lower: -1, upper: 1, generator: g)
        let weight = affine ? Tensor<S>.uniform([width], lower: 0.5, upper: 1.5, generator: g) : nil
        let bias = affine ? Tensor<S>.uniform([width], lower: -1, upper: 1, generator: g) : nil
        let together = withThreads(1) { rows(x, w, weight: weight, bias: bias) }
        for r in 0..<rowCount {
            let alone = withThreads(1) { rows(x[r..<(r + 1)], w[r..<(r + 1)], weight: weight, bias: bias) }
            #expect(alone.output[0] == together.output[r], "row \(r) of \(rowCount), width \(width)")
            #expect(alone.gradient[0] == together.gradient[r], "row \(r) of \(rowCount), width \(width)")
        }
    }

    @Test("Float and Double, 9 rows (two groups of four and one alone)", arguments: [1, 4, 7, 130])
    func grouping(width: Int) {
        for affine in [false, true] {
            Self.check(Float.self, rowCount: 9, width: width, affine: affine)
            Self.check(Double.self, rowCount: 9, width: width, affine: affine)
        }
    }
}
