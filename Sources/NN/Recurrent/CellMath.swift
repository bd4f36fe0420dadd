import Tensor

/// One time step of each recurrence, given the input projection p = x W_ihᵀ + b_ih `[batch, G]`
/// (computed for all time steps at once by the layers). Shared by the cells and the layers.
enum CellMath {
    /// h W_hhᵀ + b_hh: `[batch, P]` to `[batch, G]`.
    static func hiddenProjection<Scalar>(_ h: Tensor<Scalar>, _ w: StepWeights<Scalar>) -> Tensor<Scalar> {
        let product = h.matmul(w.hiddenWeightT)
        return w.biasHH.map { product + $0 } ?? product
    }

    /// Elman: h' = act(p + h W_hhᵀ + b_hh).
    static func rnn<Scalar>(
        _ p: Tensor<Scalar>, _ h: Tensor<Scalar>, _ w: StepWeights<Scalar>, _ nonlinearity: RecurrentActivation
    ) -> Tensor<Scalar> {
        let preactivation = p + hiddenProjection(h, w)
        switch nonlinearity {
        case .tanh: return preactivation.tanh()
        case .relu: return preactivation.relu()
        }
    }

    /// LSTM, gates in PyTorch's order i, f, g, o:
    ///
    ///     [i, f, g, o] = p + h W_hhᵀ + b_hh
    ///     c' = σ(f) c + σ(i) tanh(g)
    ///     h' = σ(o) tanh(c'), then h' W_hrᵀ with a projection
    static func lstm<Scalar>(
        _ p: Tensor<Scalar>, _ h: Tensor<Scalar>, _ c: Tensor<Scalar>, _ w: StepWeights<Scalar>
    ) -> (h: Tensor<Scalar>, c: Tensor<Scalar>) {
        let gates = (p + hiddenProjection(h, w)).chunk(4, axis: 1)
        let input = gates[0].sigmoid(), forget = gates[1].sigmoid()
        let candidate = gates[2].tanh(), output = gates[3].sigmoid()
        let c = forget * c + input * candidate
        let h = output * c.tanh()
        return (w.projectionT.map { h.matmul($0) } ?? h, c)
    }

    /// GRU, gates in PyTorch's order r, z, n:
    ///
    ///     r = σ(p_r + h W_hrᵀ + b_hr),  z = σ(p_z + h W_hzᵀ + b_hz)
    ///     n = tanh(p_n + r (h W_hnᵀ + b_hn))
    ///     h' = (1 - z) n + z h
    static func gru<Scalar>(_ p: Tensor<Scalar>, _ h: Tensor<Scalar>, _ w: StepWeights<Scalar>) -> Tensor<Scalar> {
        let x = p.chunk(3, axis: 1), hh = hiddenProjection(h, w).chunk(3, axis: 1)
        let reset = (x[0] + hh[0]).sigmoid(), update = (x[1] + hh[1]).sigmoid()
        let candidate = (x[2] + reset * hh[2]).tanh()
        return (1 - update) * candidate + update * h
    }

    /// The gated steps on a single state tensor, for ``Recurrence``: h for a GRU, [h, c]
    /// concatenated along dimension 1 for an LSTM (`hSize` columns of h first).
    static func gatedStep<Scalar>(lstm isLSTM: Bool, hSize: Int, _ w: StepWeights<Scalar>) -> Recurrence.Step<Scalar> {
        guard isLSTM else { return { p, h in gru(p, h, w) } }
        return { p, state in
            let cellSize = state.shape[1] - hSize
            let next = lstm(p, state.narrow(axis: 1, start: 0, length: hSize), state.narrow(axis: 1, start: hSize, length: cellSize), w)
            return Tensor.cat([next.h, next.c], axis: 1)
        }
    }
}
