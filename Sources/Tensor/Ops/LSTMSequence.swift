extension Tensor where Scalar: TensorFloatingPoint {
    /// The recurrence of one LSTM layer and direction over a whole sequence as a single fused
    /// operation with its own backpropagation through time (the op behind `torch.nn.LSTM`), given
    /// the input projections p_t = x_t W_ihᵀ of every step. Gates in PyTorch's order i, f, g, o:
    ///
    ///     [i, f, g, o] = ((p_t + b_ih) + b_hh) + h_{t-1} W_hhᵀ
    ///     c_t = σ(f) ⊙ c_{t-1} + σ(i) ⊙ tanh(g),   h_t = σ(o) ⊙ tanh(c_t)
    ///
    /// b_ih is added here rather than by the projection's `linear` (the same sums in the same
    /// order): both biases then take one pass over the projections and one gradient.
    ///
    /// - Parameters:
    ///   - projections: p, `[batch, seq, 4·hidden]`.
    ///   - initialState: h_0 and c_0 side by side, `[batch, 2·hidden]` (h first).
    ///   - weightHH: W_hh, `[4·hidden, hidden]`.
    ///   - biasIH: b_ih, `[4·hidden]`, or `nil` (none, or already in `projections`).
    ///   - biasHH: b_hh, `[4·hidden]`, or `nil`.
    ///   - reversed: whether time runs from the last step to the first (a reverse direction).
    /// - Returns: h_t and c_t side by side at each step's time position, `[batch, seq, 2·hidden]`.
    ///
    /// Backward, going back in the recurrence's time with the carries dh' = dA_{t+1} W_hh and
    /// dc' = dc_{t+1} ⊙ σ(f_{t+1}): dh = g_h + dh', dc = g_c + dc' + dh ⊙ σ(o)(1 - tanh²c_t), and the
    /// gate pre-activation gradients dA = [dc tanh(g) σ'(i), dc c_{t-1} σ'(f), dc σ(i) tanh'(g),
    /// dh tanh(c_t) σ'(o)], which are dp; then dW_hh = Σ_t dA_tᵀ h_{t-1} and db_ih = db_hh = Σ_t dA_t
    /// (each one product over the whole sequence), d[h_0, c_0] the last carries.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func lstmSequence(
        projections: Tensor, initialState: Tensor, weightHH: Tensor, biasIH: Tensor? = nil, biasHH: Tensor?,
        reversed: Bool = false
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
        let biases = [biasIH, biasHH].compactMap { $0 }
        for bias in biases {
            check(bias.shape == [gates], "lstmSequence: bias \(bias.shape) does not fit \(gates) gates")
        }
        let rows = batch * steps
        // The activated gates [σ(i), σ(f), tanh(g), σ(o)] of every step, kept for the backward pass.
        let activations = TensorStorage<Scalar>(count: rows * gates) { a in
            guard rows > 0, gates > 0 else { return }
            projections.withUnsafeBufferPointer { p in
                guard !biases.isEmpty else {
                    a.baseAddress!.initialize(from: p.baseAddress!, count: rows * gates)
                    return
                }
                // (p_t + b_ih) + b_hh in the copy's pass, rows split over the threads when large.
                let (a, p) = (GEMM.WritePointer(a.baseAddress!), GEMM.ReadPointer(p.baseAddress!))
                let first = GEMM.ReadPointer(UnsafePointer(biases[0].storage.base))
                let second = biases.count > 1 ? GEMM.ReadPointer(UnsafePointer(biases[1].storage.base)) : nil
                parallelForRows(rows, width: gates) { range in
                    for r in range {
                        let row = a.pointer + r * gates, source = p.pointer + r * gates
                        if let second = second?.pointer {
                            for j in 0..<gates { row[j] = (source[j] + first.pointer[j]) + second[j] }
                        } else {
                            for j in 0..<gates { row[j] = source[j] + first.pointer[j] }
                        }
                    }
                }
                withExtendedLifetime(biases) {}
            }
        }
        // tanh(c_t) of every step, kept for the backward pass.
        let cellTanh = TensorStorage<Scalar>(count: rows * hidden) { _ in }
        let output = TensorStorage<Scalar>(count: rows * 2 * hidden) { y in
            guard rows > 0, hidden > 0 else { return }
            let width = 2 * hidden
            withStepWeight(weightHH, rows: gates, columns: hidden, transposed: true, steps: steps) { whhT in
                initialState.withUnsafeBufferPointer { s0 in
                    activations.withBuffer { a in
                        cellTanh.withBuffer { tc in
                        let s0 = GEMM.ReadPointer(s0.baseAddress!), tc = GEMM.WritePointer(tc.baseAddress!)
                        let y = GEMM.WritePointer(y.baseAddress!), a = GEMM.WritePointer(a.baseAddress!)
                        parallelFor(batch, parts: batchParts(batch: batch, hidden: 2 * hidden, steps: steps)) { part in
                            let scratch = UnsafeMutablePointer<Scalar>.allocate(capacity: 3 * hidden)
                            defer { scratch.deallocate() }
                            for s in 0..<steps {
                                let (t, p) = timePositions(s, steps: steps, reversed: reversed)
                                let (previous, ldPrevious) = s == 0
                                    ? (s0.pointer + part.lowerBound * width, width)
                                    : (UnsafePointer(y.pointer + (part.lowerBound * steps + p) * width), steps * width)
                                whhT.multiply(
                                    m: part.count, a: previous, lda: ldPrevious,
                                    beta: 1, c: a.pointer + (part.lowerBound * steps + t) * gates, ldc: steps * gates)
                                for b in part {
                                    let z = a.pointer + (b * steps + t) * gates
                                    let cPrevious = s == 0
                                        ? s0.pointer + b * width + hidden
                                        : UnsafePointer(y.pointer + (b * steps + p) * width + hidden)
                                    lstmCell(
                                        z, cPrevious: cPrevious, out: y.pointer + (b * steps + t) * width,
                                        cellTanh: tc.pointer + (b * steps + t) * hidden, hidden: hidden, scratch: scratch)
                                }
                            }
                        }
                        }
                    }
                }
            }
        }
        let result = Tensor(shape: [batch, steps, 2 * hidden], storage: output)
        let saved = result.detach()
        return result.recording("LstmSequenceBackward", [projections, initialState, weightHH] + biases) { g in
            let grads = lstmSequenceBackward(
                gradient: g, output: saved, activations: activations, cellTanh: cellTanh, initialState: initialState,
                weightHH: weightHH, reversed: reversed)
            // One Σ dA for both biases; the second gets its own copy (gradients are updated in place).
            let biasGradients = biases.indices.map { $0 == 0 ? grads.bias : grads.bias.copy() }
            return [
                projections.requiresGrad ? grads.projections : nil, initialState.requiresGrad ? grads.initialState : nil,
                grads.weightHH,
            ] + biasGradients
        }
    }

    /// One step of one batch row: the pre-activations `z` = [i, f, g, o] become
    /// [σ(i), σ(f), tanh(g), σ(o)] in place (one exponential call for the three sigmoids, each
    /// rounded as ``sigmoid()`` rounds it), `out` = [h_t, c_t] from c_{t-1} = `cPrevious`, and
    /// `cellTanh` = tanh(c_t), which the backward pass reads instead of computing it again.
    /// `scratch` holds 3·hidden values.
    @inline(__always)
    static func lstmCell(
        _ z: UnsafeMutablePointer<Scalar>, cPrevious: UnsafePointer<Scalar>, out: UnsafeMutablePointer<Scalar>,
        cellTanh: UnsafeMutablePointer<Scalar>, hidden: Int, scratch: UnsafeMutablePointer<Scalar>
    ) {
        // Every loop over a gate's own base pointer: indexed as z[3 · hidden + j], the overflow
        // checks kept a loop scalar.
        let (i, f, g, o) = (z, z + hidden, z + 2 * hidden, z + 3 * hidden)
        let c = out + hidden, oExponential = scratch + 2 * hidden
        // e^-|x| of i and f (the first 2·hidden values of scratch), then of o.
        for j in 0..<(2 * hidden) { scratch[j] = -Swift.abs(i[j]) }
        for j in 0..<hidden { oExponential[j] = -Swift.abs(o[j]) }
        VectorMath.exp(scratch, into: scratch, count: 3 * hidden)
        VectorMath.tanh(g, into: g, count: hidden)
        for j in 0..<(2 * hidden) { i[j] = logistic(i[j], exponential: scratch[j]) }
        for j in 0..<hidden { o[j] = logistic(o[j], exponential: oExponential[j]) }
        for j in 0..<hidden { c[j] = f[j] * cPrevious[j] + i[j] * g[j] }
        VectorMath.tanh(c, into: cellTanh, count: hidden)
        for j in 0..<hidden { out[j] = o[j] * cellTanh[j] }
    }

    /// The gradients of ``lstmSequence(projections:initialState:weightHH:biasIH:biasHH:reversed:)``.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    static func lstmSequenceBackward(
        gradient: Tensor, output: Tensor, activations: TensorStorage<Scalar>, cellTanh: TensorStorage<Scalar>,
        initialState: Tensor, weightHH: Tensor, reversed: Bool
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
                            cellTanh.withBuffer { tc in
                            withStepWeight(weightHH, rows: gates, columns: hidden, transposed: false, steps: steps) { whh in
                                carry.withBuffer { carry in
                                    let g = GEMM.ReadPointer(g.baseAddress!), y = GEMM.ReadPointer(y.baseAddress!)
                                    let s0 = GEMM.ReadPointer(s0.baseAddress!), a = GEMM.ReadPointer(a.baseAddress!)
                                    let tc = GEMM.ReadPointer(tc.baseAddress!)
                                    let carry = GEMM.WritePointer(carry.baseAddress!)
                                    parallelFor(batch, parts: batchParts(batch: batch, hidden: 2 * hidden, steps: steps)) { part in
                                        for s in stride(from: steps - 1, through: 0, by: -1) {
                                            let (t, p) = timePositions(s, steps: steps, reversed: reversed)
                                            for b in part {
                                                let row = b * steps + t
                                                let gh = g.pointer + row * width, gc = gh + hidden
                                                let tanhC = tc.pointer + row * hidden
                                                let cPrevious = s == 0
                                                    ? s0.pointer + b * width + hidden : y.pointer + (b * steps + p) * width + hidden
                                                let z = a.pointer + row * gates, d = dA.pointer + row * gates
                                                let (zf, zg, zo) = (z + hidden, z + 2 * hidden, z + 3 * hidden)
                                                let (df, dg, dOut) = (d + hidden, d + 2 * hidden, d + 3 * hidden)
                                                let dhCarry = carry.pointer + b * width, dcCarry = dhCarry + hidden
                                                for j in stride(from: 0, to: hidden, by: 8) {
                                                    let m = Swift.min(8, hidden - j)
                                                    let i = lanes(z + j, m), f = lanes(zf + j, m)
                                                    let n = lanes(zg + j, m), o = lanes(zo + j, m)
                                                    let tc = lanes(tanhC + j, m)
                                                    let dh = lanes(gh + j, m) + lanes(dhCarry + j, m)
                                                    let dcOut: SIMD8<Scalar> = dh * o * (1 - tc * tc)
                                                    let dc = lanes(gc + j, m) + lanes(dcCarry + j, m) + dcOut
                                                    store(dc * n * i * (1 - i), to: d + j, m)
                                                    store(dc * lanes(cPrevious + j, m) * f * (1 - f), to: df + j, m)
                                                    store(dc * i * (1 - n * n), to: dg + j, m)
                                                    store(dh * tc * o * (1 - o), to: dOut + j, m)
                                                    store(dc * f, to: dcCarry + j, m)
                                                }
                                            }
                                            // dh' = dA_t W_hh, the gradient reaching h_{t-1}.
                                            whh.multiply(
                                                m: part.count,
                                                a: UnsafePointer(dA.pointer + (part.lowerBound * steps + t) * gates),
                                                lda: steps * gates, beta: 0,
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
        }
        let dWeight = dA.withBuffer { d in
            hiddenWeightGradient(
                UnsafePointer(d.baseAddress!), gates: gates, states: output, initial: initialState, hidden: hidden,
                reversed: reversed)
        }
        let dBias = dA.withBuffer { columnSums(UnsafeBufferPointer($0), rows: rows, width: gates) }
        return (Tensor(shape: [batch, steps, gates], storage: dA), Tensor(shape: initialState.shape, storage: carry),
                dWeight, dBias)
    }
}
