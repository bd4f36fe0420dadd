import Testing
@testable import Tensor
@testable import NN

/// The fused whole-sequence LSTM and GRU ops against the unfused cell-by-cell graph
/// (``Recurrence`` over ``CellMath``'s steps, autograd deriving the backward pass), and against
/// central differences.
@Suite("Fused LSTM and GRU sequences")
struct GatedSequenceTests {
    /// A case: the recurrence, its sizes and options, derived from the case number.
    struct Case: CustomStringConvertible {
        let lstm: Bool, batch: Int, steps: Int, hidden: Int, bias: Bool, reversed: Bool
        init(lstm: Bool, batch: Int, steps: Int, hidden: Int, bias: Bool, reversed: Bool) {
            (self.lstm, self.batch, self.steps, self.hidden, self.bias, self.reversed) = (lstm, batch, steps, hidden, bias, reversed)
        }
        init(_ i: Int) {
            lstm = i % 4 < 2
            batch = 1 + (i * 7) % 4
            steps = 1 + (i * 5) % 6
            hidden = 1 + (i * 3) % 5
            bias = i % 2 == 0
            reversed = i % 3 == 0
        }
        var gates: Int { (lstm ? 4 : 3) * hidden }
        /// Whether the case has b_ih: with b_hh, or alone when the step count is even.
        var inputBias: Bool { bias || steps % 2 == 0 }
        var stateWidth: Int { lstm ? 2 * hidden : hidden }
        var description: String {
            "\(lstm ? "LSTM" : "GRU") batch \(batch) steps \(steps) hidden \(hidden) bias \(bias) reversed \(reversed)"
        }
    }

    /// The states `[batch, steps, S]` of the fused op, or of the unfused graph.
    static func states<Scalar: TensorFloatingPoint>(
        _ c: Case, fused: Bool, _ p: Tensor<Scalar>, _ s0: Tensor<Scalar>, _ whh: Tensor<Scalar>, _ bhh: Tensor<Scalar>?,
        _ bih: Tensor<Scalar>?
    ) -> Tensor<Scalar> {
        // b_ih added to the projections, as `linear` adds it, except where the fused LSTM takes it.
        let projections = bih.map { p + $0 } ?? p
        if fused {
            return c.lstm
                ? Tensor.lstmSequence(
                    projections: p, initialState: s0, weightHH: whh, biasIH: bih, biasHH: bhh, reversed: c.reversed)
                : Tensor.gruSequence(
                    projections: projections, initialHidden: s0, weightHH: whh, biasHH: bhh, reversed: c.reversed)
        }
        let weights = StepWeights(hiddenWeightT: whh.T, biasHH: bhh, projectionT: nil)
        return Recurrence.run(
            projections: projections, initialState: s0, weights: weights.tensors, reversed: c.reversed, name: "Reference"
        ) { tensors in
            CellMath.gatedStep(lstm: c.lstm, hSize: c.hidden, weights.replacing(with: tensors))
        }
    }

    /// Runs both paths from the same random values and returns (fused, unfused) outputs and the
    /// gradients of every input under a random weighting of the outputs.
    static func compare<Scalar: TensorFloatingPoint>(
        _ c: Case, _ type: Scalar.Type, seed: UInt64
    ) -> [(fused: Tensor<Scalar>, unfused: Tensor<Scalar>)] {
        let g = Generator(seed: seed)
        func value(_ shape: [Int]) -> Tensor<Scalar> {
            Tensor<Scalar>.uniform(shape, lower: -0.9, upper: 0.9, generator: g).requiringGrad()
        }
        let p = value([c.batch, c.steps, c.gates]), s0 = value([c.batch, c.stateWidth])
        let whh = value([c.gates, c.hidden]), bhh = c.bias ? value([c.gates]) : nil
        let bih = c.inputBias ? value([c.gates]) : nil
        let weighting = Tensor<Scalar>.uniform([c.batch, c.steps, c.stateWidth], lower: -1, upper: 1, generator: g)
        let inputs = [p, s0, whh] + [bhh, bih].compactMap { $0 }
        var results: [[Tensor<Scalar>]] = []
        for fused in [true, false] {
            inputs.forEach { $0.grad = nil }
            let y = states(c, fused: fused, p, s0, whh, bhh, bih)
            (y * weighting).sum().backward()
            results.append([y.detach()] + inputs.map { $0.grad! })
        }
        return Array(zip(results[0], results[1]))
    }

    @Test("fused equals the unfused graph in Double: states and every gradient", arguments: 0..<16)
    func matchesUnfusedDouble(index: Int) {
        let c = Case(index)
        for (fused, unfused) in Self.compare(c, Double.self, seed: UInt64(100 + index)) {
            #expect(fused.shape == unfused.shape, "\(c)")
            #expect(fused.isClose(to: unfused, rtol: 1e-12, atol: 1e-13), "\(c)")
        }
    }

    /// Sizes where the per-step products (W_hh packed once per pass) span several row strips of
    /// the microkernel (batch 13), more than one K panel and column block of the packed weight
    /// (gates 280 and 210 against KC 256 and NC 192 for AVX2), and the time loop is split over
    /// the batch between threads; at every instruction set (the portable one included).
    @Test("fused equals the unfused graph at sizes spanning several tiles and panels", arguments: GEMM.InstructionSet.allCases)
    func matchesUnfusedLarge(isa: GEMM.InstructionSet) {
        GEMM.$instructionSetLimit.withValue(isa) {
            for (index, lstm) in [true, false].enumerated() {
                let c = Case(lstm: lstm, batch: 13, steps: 8, hidden: 70, bias: !lstm, reversed: lstm)
                for (fused, unfused) in Self.compare(c, Double.self, seed: UInt64(400 + index)) {
                    #expect(fused.shape == unfused.shape, "\(c)")
                    #expect(fused.isClose(to: unfused, rtol: 1e-12, atol: 1e-12), "\(c) \(isa)")
                }
            }
        }
    }

    /// A sampling loop runs a layer one step at a time; a single step reads W_hh in place where a
    /// longer sequence packs it. Hidden 70 gives LSTM gates of 280, past a K panel of the AVX2 kernels.
    @Test("one step at a time equals the whole sequence bit for bit", arguments: GEMM.InstructionSet.allCases)
    func stepByStep(isa: GEMM.InstructionSet) {
        GEMM.$instructionSetLimit.withValue(isa) {
            let g = Generator(seed: 7)
            let (features, hidden, steps) = (9, 70, 4)
            let lstm = LSTM<Float>(features, hidden, numLayers: 2, batchFirst: true, generator: g)
            let gru = GRU<Float>(features, hidden, numLayers: 2, batchFirst: true, generator: g)
            let rnn = RNN<Float>(features, hidden, numLayers: 2, batchFirst: true, generator: g)
            for batch in [1, 13] {
                let x = Tensor<Float>.uniform([batch, steps, features], lower: -1, upper: 1, generator: g)
                withNoGrad {
                    let runs = [
                        ("LSTM", Self.wholeAndStepped(x, { let r = lstm($0, $1); return (r.output, r.hidden) }) {
                            $0.h.scalars + $0.c.scalars
                        }),
                        ("GRU", Self.wholeAndStepped(x, { let r = gru($0, $1); return (r.output, r.hidden) }) { $0.scalars }),
                        ("RNN", Self.wholeAndStepped(x, { let r = rnn($0, $1); return (r.output, r.hidden) }) { $0.scalars }),
                    ]
                    for (name, run) in runs { #expect(run.stepped == run.whole, "\(name) batch \(batch) \(isa)") }
                }
            }
        }
    }

    /// The outputs and final states (flattened by `scalars`) of `layer` run over `x` `[batch,
    /// steps, features]` whole, and one step at a time with the state carried.
    static func wholeAndStepped<State>(
        _ x: Tensor<Float>, _ layer: (Tensor<Float>, State?) -> (Tensor<Float>, State), scalars: (State) -> [Float]
    ) -> (whole: [Float], stepped: [Float]) {
        let (whole, wholeState) = layer(x, nil)
        var state: State?
        var outputs: [Tensor<Float>] = []
        for t in 0..<x.shape[1] {
            let (output, next) = layer(x.narrow(axis: 1, start: t, length: 1), state)
            outputs.append(output)
            state = next
        }
        return (whole.scalars + scalars(wholeState), Tensor.cat(outputs, axis: 1).scalars + scalars(state!))
    }

    @Test("fused equals the unfused graph in Float within rounding", arguments: 0..<8)
    func matchesUnfusedFloat(index: Int) {
        let c = Case(index)
        for (fused, unfused) in Self.compare(c, Float.self, seed: UInt64(200 + index)) {
            #expect(fused.isClose(to: unfused, rtol: 1e-5, atol: 1e-6), "\(c)")
        }
    }

    @Test("fused LSTM and GRU pass the gradient check", arguments: [0, 1, 2, 3, 6, 7])
    func gradients(index: Int) {
        let c = Case(index)
        let g = Generator(seed: UInt64(300 + index))
        let shapes = [[c.batch, c.steps, c.gates], [c.batch, c.stateWidth], [c.gates, c.hidden]]
            + (c.bias ? [[c.gates]] : []) + (c.inputBias ? [[c.gates]] : [])
        let inputs = shapes.map { Tensor<Double>.uniform($0, lower: -0.8, upper: 0.8, generator: g) }
        let report = gradientCheck(of: { t in
            Self.states(c, fused: true, t[0], t[1], t[2], c.bias ? t[3] : nil, c.inputBias ? t[t.count - 1] : nil)
        }, at: inputs)
        #expect(report.passed, "\(c): \(report)")
    }
}
