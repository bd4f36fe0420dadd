import NN
import Tensor
import Testing

/// A linear map of an embedding's output multiplies the table's rows instead when the table
/// is small (`linearOfLookedUpRows`). These tests run it against the unfolded product (the
/// same lookup passed through `x * 1`, which forgets where its rows came from): same values,
/// same gradients up to the order of their sums, and every case where it must not fold.
@Suite("Embedding followed by a linear map")
struct EmbeddingLinearTests {
    /// One random configuration: a table of `tableRows` × `width`, `indexShape` lookups, a
    /// weight `[outputs, width]`, optionally a bias and a frozen (padding) row.
    struct Case: CustomStringConvertible {
        var tableRows: Int, width: Int, outputs: Int, indexShape: [Int], bias: Bool, frozenRow: Int?, seed: UInt64
        var description: String {
            "table \(tableRows)×\(width), indices \(indexShape), out \(outputs), bias \(bias), frozen \(frozenRow.map(String.init) ?? "-"), seed \(seed)"
        }
    }

    /// The tensors of one run: the output, and the gradients of the table, the weight, the bias.
    struct Run<Scalar: TensorFloatingPoint> {
        var output: Tensor<Scalar>, gradFnName: String?, table: Tensor<Scalar>?, weight: Tensor<Scalar>?, bias: Tensor<Scalar>?
    }

    static func cases(count: Int) -> [Case] {
        var random = Generator(seed: 77)
        return (0..<count).map { n in
            let tableRows = Int.random(in: 1...6, using: &random)
            let lookups = 2 * tableRows + Int.random(in: 0...9, using: &random)
            let indexShape = Bool.random(using: &random) ? [lookups] : (lookups.isMultiple(of: 2) ? [2, lookups / 2] : [1, lookups])
            return Case(
                tableRows: tableRows, width: Int.random(in: 1...7, using: &random), outputs: Int.random(in: 1...9, using: &random),
                indexShape: indexShape, bias: Bool.random(using: &random),
                frozenRow: Bool.random(using: &random) ? Int.random(in: 0..<tableRows, using: &random) : nil, seed: UInt64(n))
        }
    }

    /// Runs the lookup and the linear map, folded or not, and back-propagates a fixed gradient.
    static func run<Scalar: TensorFloatingPoint>(_ c: Case, folded: Bool, as type: Scalar.Type = Scalar.self) -> Run<Scalar> {
        let generator = Generator(seed: c.seed)
        let table = Tensor<Scalar>.randn([c.tableRows, c.width], generator: generator).requiringGrad()
        let weight = Tensor<Scalar>.randn([c.outputs, c.width], generator: generator).requiringGrad()
        let bias = c.bias ? Tensor<Scalar>.randn([c.outputs], generator: generator).requiringGrad() : nil
        let indices = Tensor<Int>.randint(0, c.tableRows, c.indexShape, generator: generator)
        let upstream = Tensor<Scalar>.randn(c.indexShape + [c.outputs], generator: generator)
        let looked = embedding(indices, weight: table, paddingIndex: c.frozenRow)
        let output = linear(folded ? looked : looked * 1, weight: weight, bias: bias)
        output.backward(gradient: upstream)
        return Run(output: output, gradFnName: output.gradFnName, table: table.grad, weight: weight.grad, bias: bias?.grad)
    }

    /// Whether `a` and `b` hold the same values within `tolerance` relative to b's largest.
    static func close<Scalar: TensorFloatingPoint>(_ a: Tensor<Scalar>?, _ b: Tensor<Scalar>?, _ tolerance: Double) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        let (x, y) = (a.scalars.map(\.doubleValue), b.scalars.map(\.doubleValue))
        let scale = max(1, y.map(abs).max() ?? 0)
        return a.shape == b.shape && zip(x, y).allSatisfy { abs($0 - $1) <= tolerance * scale }
    }

    @Test("200 random cases: same outputs bit for bit, same gradients to rounding (Double and Float)")
    func randomCases() {
        for c in Self.cases(count: 200) {
            let (folded, plain) = (Self.run(c, folded: true, as: Double.self), Self.run(c, folded: false, as: Double.self))
            #expect(folded.gradFnName == "EmbeddingLinearBackward", "\(c)")
            #expect(folded.output.scalars == plain.output.scalars, "\(c)")
            #expect(Self.close(folded.table, plain.table, 1e-13), "\(c): table")
            #expect(Self.close(folded.weight, plain.weight, 1e-13), "\(c): weight")
            #expect(Self.close(folded.bias, plain.bias, 0), "\(c): bias")
            if let frozen = c.frozenRow, let grad = folded.table {
                #expect((0..<c.width).allSatisfy { grad.scalars[frozen * c.width + $0] == 0 }, "\(c): frozen row")
            }
            let (foldedFloat, plainFloat) = (Self.run(c, folded: true, as: Float.self), Self.run(c, folded: false, as: Float.self))
            #expect(foldedFloat.output.scalars == plainFloat.output.scalars, "\(c)")
            #expect(Self.close(foldedFloat.table, plainFloat.table, 1e-5), "\(c): table (Float)")
            #expect(Self.close(foldedFloat.weight, plainFloat.weight, 1e-5), "\(c): weight (Float)")
        }
    }

    /// (The padding row's zero gradient is deliberate, so it is compared with the unfolded
    /// product above rather than checked against differences here.)
    @Test("Gradient check of the folded map")
    func gradientCheckFolded() {
        let indices = Tensor<Int>(shape: [3, 4], scalars: [0, 2, 1, 2, 2, 0, 3, 1, 1, 1, 0, 2])
        let inputs = [sample([4, 3], seed: 1), sample([5, 3], seed: 2), sample([5], seed: 3)]
        let report = gradientCheck(of: { t in
            let output = linear(embedding(indices, weight: t[0]), weight: t[1], bias: t[2])
            if output.requiresGrad { #expect(output.gradFnName == "EmbeddingLinearBackward") }
            return output
        }, at: inputs)
        #expect(report.passed, "\(report)")
    }

    @Test("Not folded: a table more than half the lookups, rows changed in place")
    func notFolded() {
        let table = sample([3, 2], seed: 4).requiringGrad(), weight = sample([2, 2], seed: 5).requiringGrad()
        let five = Tensor<Int>([0, 1, 2, 1, 0])
        #expect(linear(embedding(five, weight: table), weight: weight).gradFnName != "EmbeddingLinearBackward")
        let six = Tensor<Int>([0, 1, 2, 1, 0, 2])
        #expect(linear(embedding(six, weight: table), weight: weight).gradFnName == "EmbeddingLinearBackward")

        // x changed after the lookup: the plain product of the changed x.
        let looked = embedding(six, weight: table)
        looked.withUnsafeMutableBufferPointer { $0[3] += 1 }
        let changed = linear(looked, weight: weight)
        #expect(changed.gradFnName != "EmbeddingLinearBackward")
        #expect(changed.scalars == linear(looked.detach(), weight: weight).scalars)

        // The table changed between the lookup and the product: x's values are used.
        let early = embedding(six, weight: table)
        table.withUnsafeMutableBufferPointer { $0[0] += 1 }
        let late = linear(early, weight: weight)
        #expect(late.gradFnName != "EmbeddingLinearBackward")
        #expect(late.scalars == linear(early.detach(), weight: weight).scalars)
    }

    @Test("The table changed in place after the product: gradients of the values looked up")
    func tableChangedBeforeBackward() {
        let indices = Tensor<Int>([0, 1, 1, 0, 1, 0])
        func gradients(folded: Bool) -> [Double] {
            let table = sample([2, 3], seed: 6).requiringGrad(), weight = sample([4, 3], seed: 7).requiringGrad()
            let looked = embedding(indices, weight: table)
            let output = linear(folded ? looked : looked * 1, weight: weight)
            table.withUnsafeMutableBufferPointer { $0[1] = 100 }
            output.sum().backward()
            return weight.grad!.scalars + table.grad!.scalars
        }
        let (folded, plain) = (gradients(folded: true), gradients(folded: false))
        #expect(zip(folded, plain).allSatisfy { abs($0 - $1) <= 1e-13 })
    }

    @Test("x's own gradient: retained before or after the product, and a second use of x")
    func inputGradient() {
        let indices = Tensor<Int>(shape: [2, 3], scalars: [0, 1, 1, 0, 0, 1])
        func run(folded: Bool, retainFirst: Bool) -> (x: [Double], table: [Double], weight: [Double]) {
            let table = sample([2, 3], seed: 8).requiringGrad(), weight = sample([4, 3], seed: 9).requiringGrad()
            let looked = embedding(indices, weight: table)
            if retainFirst { looked.retainGrad() }
            let output = linear(folded ? looked : looked * 1, weight: weight)
            #expect((output.gradFnName == "EmbeddingLinearBackward") == folded)
            if !retainFirst { looked.retainGrad() }
            ((output * output).sum() + (looked * looked).sum()).backward()
            return (looked.grad!.scalars, table.grad!.scalars, weight.grad!.scalars)
        }
        for retainFirst in [true, false] {
            let (folded, plain) = (run(folded: true, retainFirst: retainFirst), run(folded: false, retainFirst: retainFirst))
            for (a, b) in [(folded.x, plain.x), (folded.table, plain.table), (folded.weight, plain.weight)] {
                #expect(a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-13 }, "retained first: \(retainFirst)")
            }
        }
    }

    @Test("A lookup made without gradients gives the table none through the fold")
    func lookupWithoutGradient() {
        let table = sample([2, 3], seed: 10).requiringGrad(), weight = sample([4, 3], seed: 11).requiringGrad()
        let looked = withNoGrad { embedding(Tensor<Int>([0, 1, 1, 0]), weight: table) }
        let output = linear(looked, weight: weight)
        #expect(output.gradFnName == "EmbeddingLinearBackward")
        output.sum().backward()
        #expect(table.grad == nil)
        let plain = weight.grad!.scalars
        weight.grad = nil
        linear(looked * 1, weight: weight).sum().backward()
        #expect(zip(plain, weight.grad!.scalars).allSatisfy { abs($0 - $1) <= 1e-13 })
    }

    @Test("Embedding → LSTM and GRU (batch first), the bench's model: same outputs, gradients to rounding")
    func recurrentLayers() {
        for lstm in [true, false] {
            func run(folded: Bool) -> (output: [Double], gradients: [[Double]]) {
                let generator = Generator(seed: 12)
                let embed = Embedding<Double>(5, 4, generator: generator)
                let layer: Module<Double> = lstm
                    ? LSTM<Double>(4, 3, numLayers: 2, batchFirst: true, generator: generator)
                    : GRU<Double>(4, 3, numLayers: 2, batchFirst: true, generator: generator)
                let indices = Tensor<Int>.randint(0, 5, [2, 7], generator: generator)
                let x = embed(indices)
                let input = folded ? x : x * 1
                let output = lstm ? (layer as! LSTM<Double>)(input).output : (layer as! GRU<Double>)(input).output
                (output * output).sum().backward()
                return (output.scalars, (embed.parameters() + layer.parameters()).map { $0.grad!.scalars })
            }
            let (folded, plain) = (run(folded: true), run(folded: false))
            #expect(folded.output == plain.output, "lstm: \(lstm)")
            for (a, b) in zip(folded.gradients, plain.gradients) {
                #expect(a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-13 }, "lstm: \(lstm)")
            }
        }
    }
}
