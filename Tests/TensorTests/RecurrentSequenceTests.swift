import Testing
import Tensor

/// The fused whole-sequence RNN against the same recurrence written step by step with
/// ordinary differentiable ops (the unfused reference), and against central differences.
@Suite("Fused RNN sequence")
struct RecurrentSequenceTests {
    /// Column t of the identity, `[steps, 1]`: selects or places time step t with a matmul.
    static func unit(_ t: Int, _ steps: Int) -> Tensor<Double> {
        Tensor<Double>.eye(steps).matmul(Tensor<Double>.oneHot(Tensor<Int>([t]), classes: steps).T)
    }

    /// h_t = act(x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh), one step at a time.
    static func reference(
        _ x: Tensor<Double>, _ h0: Tensor<Double>, _ wih: Tensor<Double>, _ whh: Tensor<Double>,
        _ bih: Tensor<Double>?, _ bhh: Tensor<Double>?, _ activation: RecurrentActivation
    ) -> Tensor<Double> {
        let (batch, steps, features) = (x.shape[0], x.shape[1], x.shape[2])
        let hidden = whh.shape[0]
        let bySteps = x.permute(1, 0, 2).reshape(steps, batch * features)
        var h = h0
        var output = Tensor<Double>.zeros([steps, batch * hidden])
        for t in 0..<steps {
            let xt = unit(t, steps).T.matmul(bySteps).reshape(batch, features)
            var z = xt.matmul(wih.T) + h.matmul(whh.T)
            if let bih { z = z + bih }
            if let bhh { z = z + bhh }
            h = activation == .tanh ? z.tanh() : z.relu()
            output = output + unit(t, steps).matmul(h.reshape(1, batch * hidden))
        }
        return output.reshape(steps, batch, hidden).permute(1, 0, 2)
    }

    static let cases: [(batch: Int, steps: Int, features: Int, hidden: Int, bias: Bool, activation: RecurrentActivation)] = [
        (1, 5, 4, 3, true, .tanh), (3, 4, 2, 5, true, .relu), (2, 3, 3, 4, false, .tanh), (2, 1, 1, 2, true, .tanh),
    ]

    @Test("fused forward and gradients equal the unfused reference", arguments: cases.indices)
    func matchesReference(caseIndex: Int) {
        let c = Self.cases[caseIndex]
        let g = Generator(seed: UInt64(caseIndex + 10))
        func param(_ shape: [Int]) -> Tensor<Double> {
            Tensor<Double>.uniform(shape, lower: -0.7, upper: 0.7, generator: g).requiringGrad()
        }
        let x = param([c.batch, c.steps, c.features]), h0 = param([c.batch, c.hidden])
        let wih = param([c.hidden, c.features]), whh = param([c.hidden, c.hidden])
        let bih = c.bias ? param([c.hidden]) : nil, bhh = c.bias ? param([c.hidden]) : nil
        let weights = Tensor<Double>.uniform([c.batch, c.steps, c.hidden], lower: -1, upper: 1, generator: g)
        let all = [x, h0, wih, whh] + [bih, bhh].compactMap { $0 }

        let fused = Tensor.rnnSequence(
            input: x, initialHidden: h0, weightIH: wih, weightHH: whh, biasIH: bih, biasHH: bhh, activation: c.activation)
        (fused * weights).sum().backward()
        let fusedGrads = all.map { $0.grad! }
        all.forEach { $0.grad = nil }

        let reference = Self.reference(x, h0, wih, whh, bih, bhh, c.activation)
        (reference * weights).sum().backward()
        #expect(fused.isClose(to: reference, rtol: 1e-12, atol: 1e-14))
        for (tensor, fusedGrad) in zip(all, fusedGrads) {
            #expect(fusedGrad.isClose(to: tensor.grad!, rtol: 1e-10, atol: 1e-13))
        }
    }

    @Test("fused RNN passes the gradient check", arguments: RecurrentActivation.allCases)
    func gradients(activation: RecurrentActivation) {
        let g = Generator(seed: 7)
        let inputs = [[2, 3, 4], [2, 3], [3, 4], [3, 3], [3], [3]].map {
            Tensor<Double>.uniform($0, lower: -0.8, upper: 0.8, generator: g)
        }
        let report = gradientCheck(of: { t in
            Tensor.rnnSequence(
                input: t[0], initialHidden: t[1], weightIH: t[2], weightHH: t[3], biasIH: t[4], biasHH: t[5],
                activation: activation)
        }, at: inputs)
        #expect(report.passed, "\(report)")
    }
}
