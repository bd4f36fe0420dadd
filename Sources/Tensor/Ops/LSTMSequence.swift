extension Tensor where Scalar: TensorFloatingPoint {
    /// The recurrence of one LSTM layer and direction over a whole sequence as a single fused
    /// operation with its own backpropagation through time (the op behind `torch.nn.LSTM`), given
    /// the input projections p_t = x_t W_ihᵀ + b_ih of every step. Gates in PyTorch's order i, f, g, o:
    ///
    ///     [i, f, g, o] = p_t + h_{t-1} W_hhᵀ + b_hh
    ///     c_t = σ(f) ⊙ c_{t-1} + σ(i) ⊙ tanh(g),   h_t = σ(o) ⊙ tanh(c_t)
    ///
    /// - Parameters:
    ///   - projections: p, `[batch, seq, 4·hidden]`.
    ///   - initialState: h_0 and c_0 side by side, `[batch, 2·hidden]` (h first).
    ///   - weightHH: W_hh, `[4·hidden, hidden]`; `biasHH`: b_hh, `[4·hidden]` or `nil`.
    ///   - reversed: whether time runs from the last step to the first (a reverse direction).
    /// - Returns: h_t and c_t side by side at each step's time position, `[batch, seq, 2·hidden]`.
    ///
    /// Backward, going back in the recurrence's time with the carries dh' = dA_{t+1} W_hh and
    /// dc' = dc_{t+1} ⊙ σ(f_{t+1}): dh = g_h + dh', dc = g_c + dc' + dh ⊙ σ(o)(1 - tanh²c_t), and the
    /// gate pre-activation gradients dA = [dc tanh(g) σ'(i), dc c_{t-1} σ'(f), dc σ(i) tanh'(g),
    /// dh tanh(c_t) σ'(o)], which are dp; then dW_hh = Σ_t dA_tᵀ h_{t-1} and db_hh = Σ_t dA_t
    /// (each one product over the whole sequence), d[h_0, c_0] the last carries.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func lstmSequence(
        projections: Tensor, initialState: Tensor, weightHH: Tensor, biasHH: Tensor?, reversed: Bool = false
    ) -> Tensor {
        check(projections.rank == 3, "lstmSequence: projections must be [batch, seq, 4·hidden], got \(projections.shape)")
        let (batch, steps, gates) = (projections.shape[0], projections.shape[1], projections.shape[2])
        let hidden = weightHH.rank == 2 ? weightHH.shape[1] : 0
        check(
            weightHH.shape == [4 * hidden, hidden] && gates == 4 * hidden,
            "lstmSequence: weightHH \(weightHH.shape) does not fit projections \(projections.shape)")
        check(
            initialState.shape == [batch, 2 * hidden],
            "lstmSequence: initial state \(initialState.shape) does not fit [\(batch), \(2 * hidden)]")
        if let biasHH { check(biasHH.shape == [gates], "lstmSequence: bias \(biasHH.shape) does not fit \(gates) gates") }
        let rows = batch * steps
        // The activated gates [σ(i), σ(f), tanh(g), σ(o)] of every step, kept for the backward pass.
        let activations = TensorStorage<Scalar>(count: rows * gates) { a in
            guard rows > 0, gates > 0 else { return }
            projections.withUnsafeBufferPointer { p in
                a.baseAddress!.initialize(from: p.baseAddress!, count: rows * gates)
            }
            if let biasHH {
                biasHH.withUnsafeBufferPointer { bias in
                    for r in 0..<rows {
                        let row = a.baseAddress! + r * gates
                        for j in 0..<gates { row[j] += bias[j] }
                    }
                }
            }
        }
        let output = TensorStorage<Scalar>(count: rows * 2 * hidden) { y in
            guard rows > 0, hidden > 0 else { return }
            let width = 2 * hidden
            withPackedWeight(weightHH, rows: gates, columns: hidden, transposed: true) { whhT in
                initialState.withUnsafeBufferPointer { s0 in
                    activations.withBuffer { a in
                        let s0 = GEMM.ReadPointer(s0.baseAddress!)
                        let y = GEMM.WritePointer(y.baseAddress!), a = GEMM.WritePointer(a.baseAddress!)
                        parallelFor(batch, parts: batchParts(batch: batch, hidden: 2 * hidden, steps: steps)) { part in
                            let scratch = UnsafeMutablePointer<Scalar>.allocate(capacity: gates)
                            defer { scratch.deallocate() }
                            for s in 0..<steps {
                                let (t, p) = timePositions(s, steps: steps, reversed: reversed)
                                let (previous, ldPrevious) = s == 0
                                    ? (s0.pointer + part.lowerBound * width, width)
                                    : (UnsafePointer(y.pointer + (part.lowerBound * steps + p) * width), steps * width)
                                GEMM.multiply(
                                    transA: false, m: part.count, alpha: 1, a: previous, lda: ldPrevious, packedB: whhT,
                                    beta: 1, c: a.pointer + (part.lowerBound * steps + t) * gates, ldc: steps * gates)
                                for b in part {
                                    let z = a.pointer + (b * steps + t) * gates
                                    let cPrevious = s == 0
                                        ? s0.pointer + b * width + hidden
                                        : UnsafePointer(y.pointer + (b * steps + p) * width + hidden)
                                    let out = y.pointer + (b * steps + t) * width
                                    sigmoidInPlace(z, count: 2 * hidden, scratch: scratch)
                                    VectorMath.tanh(z + 2 * hidden, into: z + 2 * hidden, count: hidden)
                                    sigmoidInPlace(z + 3 * hidden, count: hidden, scratch: scratch)
                                    for j in 0..<hidden {
                                        out[hidden + j] = z[hidden + j] * cPrevious[j] + z[j] * z[2 * hidden + j]
                                    }
                                    VectorMath.tanh(out + hidden, into: out, count: hidden)
                                    for j in 0..<hidden { out[j] = z[3 * hidden + j] * out[j] }
                                }
                            }
                        }
                    }
                }
            }
        }
        let result = Tensor(shape: [batch, steps, 2 * hidden], storage: output)
        let saved = result.detach()
        var inputs = [projections, initialState, weightHH]
        if let biasHH { inputs.append(biasHH) }
        return result.recording("LstmSequenceBackward", inputs) { g in
            let grads = lstmSequenceBackward(
                gradient: g, output: saved, activations: activations, initialState: initialState, weightHH: weightHH,
                reversed: reversed)
            var result: [Tensor?] = [
                projections.requiresGrad ? grads.projections : nil, initialState.requiresGrad ? grads.initialState : nil,
                grads.weightHH,
            ]
            if biasHH != nil { result.append(grads.bias) }
            return result
        }
    }

    /// The gradients of ``lstmSequence(projections:initialState:weightHH:biasHH:reversed:)``.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    static func lstmSequenceBackward(
        gradient: Tensor, output: Tensor, activations: TensorStorage<Scalar>, initialState: Tensor, weightHH: Tensor,
        reversed: Bool
    ) -> (projections: Tensor, initialState: Tensor, weightHH: Tensor, bias: Tensor) {
        let (batch, steps) = (output.shape[0], output.shape[1])
        let hidden = weightHH.shape[1], gates = 4 * hidden, width = 2 * hidden
        let rows = batch * steps
        let carry = TensorStorage<Scalar>(repeating: 0, count: batch * width)  // [dh', dc'], then d[h_0, c_0]
        guard rows > 0, hidden > 0 else {
            return (Tensor.zeros([batch, steps, gates]), Tensor(shape: initialState.shape, storage: carry),
                    Tensor.zeros(weightHH.shape), Tensor.zeros([gates]))
        }
        let dA = TensorStorage<Scalar>(count: rows * gates) { dA in
            let dA = GEMM.WritePointer(dA.baseAddress!)
            gradient.withUnsafeBufferPointer { g in
                output.withUnsafeBufferPointer { y in
                    initialState.withUnsafeBufferPointer { s0 in
                        activations.withBuffer { a in
                            withPackedWeight(weightHH, rows: gates, columns: hidden, transposed: false) { whh in
                                carry.withBuffer { carry in
                                    let g = GEMM.ReadPointer(g.baseAddress!), y = GEMM.ReadPointer(y.baseAddress!)
                                    let s0 = GEMM.ReadPointer(s0.baseAddress!), a = GEMM.ReadPointer(a.baseAddress!)
                                    let carry = GEMM.WritePointer(carry.baseAddress!)
                                    parallelFor(batch, parts: batchParts(batch: batch, hidden: 2 * hidden, steps: steps)) { part in
                                        let tanhC = UnsafeMutablePointer<Scalar>.allocate(capacity: hidden)
                                        defer { tanhC.deallocate() }
                                        for s in stride(from: steps - 1, through: 0, by: -1) {
                                            let (t, p) = timePositions(s, steps: steps, reversed: reversed)
                                            for b in part {
                                                let row = b * steps + t
                                                let gh = g.pointer + row * width, gc = gh + hidden
                                                let c = y.pointer + row * width + hidden
                                                let cPrevious = s == 0
                                                    ? s0.pointer + b * width + hidden : y.pointer + (b * steps + p) * width + hidden
                                                let z = a.pointer + row * gates, d = dA.pointer + row * gates
                                                let dhCarry = carry.pointer + b * width, dcCarry = dhCarry + hidden
                                                VectorMath.tanh(c, into: tanhC, count: hidden)
                                                for j in 0..<hidden {
                                                    let i = z[j], f = z[hidden + j], n = z[2 * hidden + j], o = z[3 * hidden + j]
                                                    let tc = tanhC[j]
                                                    let dh = gh[j] + dhCarry[j]
                                                    let dc = gc[j] + dcCarry[j] + dh * o * (1 - tc * tc)
                                                    d[j] = dc * n * i * (1 - i)
                                                    d[hidden + j] = dc * cPrevious[j] * f * (1 - f)
                                                    d[2 * hidden + j] = dc * i * (1 - n * n)
                                                    d[3 * hidden + j] = dh * tc * o * (1 - o)
                                                    dcCarry[j] = dc * f
                                                }
                                            }
                                            // dh' = dA_t W_hh, the gradient reaching h_{t-1}.
                                            GEMM.multiply(
                                                transA: false, m: part.count, alpha: 1,
                                                a: UnsafePointer(dA.pointer + (part.lowerBound * steps + t) * gates),
                                                lda: steps * gates, packedB: whh, beta: 0,
                                                c: carry.pointer + part.lowerBound * width, ldc: width)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let dWeight = dA.withBuffer { d in
            hiddenWeightGradient(
                UnsafePointer(d.baseAddress!), gates: gates, states: output, initial: initialState, hidden: hidden,
                reversed: reversed)
        }
        let dBias = dA.withBuffer { d in columnSums(UnsafePointer(d.baseAddress!), rows: rows, width: gates) }
        return (Tensor(shape: [batch, steps, gates], storage: dA), Tensor(shape: initialState.shape, storage: carry),
                dWeight, dBias)
    }
}
