extension Tensor where Scalar: TensorFloatingPoint {
    /// The recurrence of one GRU layer and direction over a whole sequence as a single fused
    /// operation with its own backpropagation through time (the op behind `torch.nn.GRU`), given
    /// the input projections p_t = x_t W_ihᵀ + b_ih of every step. Gates in PyTorch's order r, z, n,
    /// with q_t = h_{t-1} W_hhᵀ + b_hh:
    ///
    ///     r = σ(p_r + q_r),  z = σ(p_z + q_z),  n = tanh(p_n + r ⊙ q_n)
    ///     h_t = (1 - z) ⊙ n + z ⊙ h_{t-1}
    ///
    /// - Parameters:
    ///   - projections: p, `[batch, seq, 3·hidden]`.
    ///   - initialHidden: h_0, `[batch, hidden]`.
    ///   - weightHH: W_hh, `[3·hidden, hidden]`; `biasHH`: b_hh, `[3·hidden]` or `nil`.
    ///   - reversed: whether time runs from the last step to the first (a reverse direction).
    /// - Returns: h_t at each step's time position, `[batch, seq, hidden]`.
    ///
    /// Backward, going back in the recurrence's time with the carry dh' (the gradient reaching
    /// h_t from later steps): dh = g + dh', dn = dh (1 - z)(1 - n²), dz = dh (h_{t-1} - n) z(1 - z),
    /// dr = dn q_n r(1 - r); dp = [dr, dz, dn], dq = [dr, dz, dn ⊙ r], the new carry
    /// dh z + dq W_hh; then dW_hh = Σ_t dq_tᵀ h_{t-1} and db_hh = Σ_t dq_t (one product each over
    /// the whole sequence), dh_0 the last carry.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func gruSequence(
        projections: Tensor, initialHidden: Tensor, weightHH: Tensor, biasHH: Tensor?, reversed: Bool = false
    ) -> Tensor {
        check(projections.rank == 3, "gruSequence: projections must be [batch, seq, 3·hidden], got \(projections.shape)")
        let (batch, steps, gates) = (projections.shape[0], projections.shape[1], projections.shape[2])
        let hidden = weightHH.rank == 2 ? weightHH.shape[1] : 0
        check(
            weightHH.shape == [3 * hidden, hidden] && gates == 3 * hidden,
            "gruSequence: weightHH \(weightHH.shape) does not fit projections \(projections.shape)")
        check(
            initialHidden.shape == [batch, hidden],
            "gruSequence: initial hidden state \(initialHidden.shape) does not fit [\(batch), \(hidden)]")
        if let biasHH { check(biasHH.shape == [gates], "gruSequence: bias \(biasHH.shape) does not fit \(gates) gates") }
        let rows = batch * steps
        // [r, z, n, q_n] of every step, kept for the backward pass (written by the time loop).
        let saved = TensorStorage<Scalar>(count: rows * 4 * hidden) { _ in }
        let output = TensorStorage<Scalar>(count: rows * hidden) { y in
            guard rows > 0, hidden > 0 else { return }
            withStepWeight(weightHH, rows: gates, columns: hidden, transposed: true, steps: steps) { whhT in
                initialHidden.withUnsafeBufferPointer { h0 in
                    projections.withUnsafeBufferPointer { p in
                        saved.withBuffer { saved in
                            let bias = biasHH.map { Array($0.scalars) }
                            let h0 = GEMM.ReadPointer(h0.baseAddress!)
                            let p = GEMM.ReadPointer(p.baseAddress!)
                            let y = GEMM.WritePointer(y.baseAddress!), saved = GEMM.WritePointer(saved.baseAddress!)
                            parallelFor(batch, parts: batchParts(batch: batch, hidden: 2 * hidden, steps: steps)) { part in
                                // q_t of this part's rows, and the sigmoid's scratch.
                                let q = UnsafeMutablePointer<Scalar>.allocate(capacity: part.count * gates)
                                let scratch = UnsafeMutablePointer<Scalar>.allocate(capacity: 2 * hidden)
                                defer { q.deallocate(); scratch.deallocate() }
                                for s in 0..<steps {
                                    let (t, tp) = timePositions(s, steps: steps, reversed: reversed)
                                    let (previous, ldPrevious) = s == 0
                                        ? (h0.pointer + part.lowerBound * hidden, hidden)
                                        : (UnsafePointer(y.pointer + (part.lowerBound * steps + tp) * hidden), steps * hidden)
                                    if let bias {
                                        for r in 0..<part.count { (q + r * gates).update(from: bias, count: gates) }
                                    }
                                    whhT.multiply(
                                        m: part.count, a: previous, lda: ldPrevious, beta: bias == nil ? 0 : 1, c: q, ldc: gates)
                                    for b in part {
                                        let row = b * steps + t
                                        let pr = p.pointer + row * gates, qr = q + (b - part.lowerBound) * gates
                                        let v = saved.pointer + row * 4 * hidden, out = y.pointer + row * hidden
                                        let hPrevious = s == 0
                                            ? h0.pointer + b * hidden : UnsafePointer(y.pointer + (b * steps + tp) * hidden)
                                        // p + q of r and z, and e^-|p + q| for their sigmoids (scratch).
                                        for j in 0..<(2 * hidden) {
                                            v[j] = pr[j] + qr[j]
                                            scratch[j] = -Swift.abs(v[j])
                                        }
                                        VectorMath.exp(scratch, into: scratch, count: 2 * hidden)
                                        for j in 0..<(2 * hidden) { v[j] = logistic(v[j], exponential: scratch[j]) }
                                        // Over each gate's own base pointer (indexed as v[2 · hidden + j], the
                                        // overflow checks kept a loop scalar).
                                        let (vz, vn, vq) = (v + hidden, v + 2 * hidden, v + 3 * hidden)
                                        let (pn, qn) = (pr + 2 * hidden, qr + 2 * hidden)
                                        for j in 0..<hidden {
                                            vq[j] = qn[j]
                                            vn[j] = pn[j] + v[j] * qn[j]
                                        }
                                        VectorMath.tanh(vn, into: vn, count: hidden)
                                        for j in 0..<hidden { out[j] = (1 - vz[j]) * vn[j] + vz[j] * hPrevious[j] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let result = Tensor(shape: [batch, steps, hidden], storage: output)
        let states = result.detach()
        var inputs = [projections, initialHidden, weightHH]
        if let biasHH { inputs.append(biasHH) }
        return result.recording("GruSequenceBackward", inputs) { g in
            let grads = gruSequenceBackward(
                gradient: g, output: states, saved: saved, initialHidden: initialHidden, weightHH: weightHH,
                reversed: reversed)
            var result: [Tensor?] = [
                projections.requiresGrad ? grads.projections : nil,
                initialHidden.requiresGrad ? grads.initialHidden : nil, grads.weightHH,
            ]
            if biasHH != nil { result.append(grads.bias) }
            return result
        }
    }

    /// The gradients of ``gruSequence(projections:initialHidden:weightHH:biasHH:reversed:)``.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    static func gruSequenceBackward(
        gradient: Tensor, output: Tensor, saved: TensorStorage<Scalar>, initialHidden: Tensor, weightHH: Tensor,
        reversed: Bool
    ) -> (projections: Tensor, initialHidden: Tensor, weightHH: Tensor, bias: Tensor) {
        let (batch, steps) = (output.shape[0], output.shape[1])
        let hidden = weightHH.shape[1], gates = 3 * hidden
        let rows = batch * steps
        let carry = TensorStorage<Scalar>(repeating: 0, count: batch * hidden)  // dh', then dh_0
        guard rows > 0, hidden > 0 else {
            return (Tensor.zeros([batch, steps, gates]), Tensor(shape: initialHidden.shape, storage: carry),
                    Tensor.zeros(weightHH.shape), Tensor.zeros([gates]))
        }
        let dP = TensorStorage<Scalar>(count: rows * gates) { _ in }  // written by the time loop
        let dQ = TensorStorage<Scalar>(count: rows * gates) { dQ in
            let dQ = GEMM.WritePointer(dQ.baseAddress!)
            gradient.withUnsafeBufferPointer { g in
                output.withUnsafeBufferPointer { y in
                    initialHidden.withUnsafeBufferPointer { h0 in
                        saved.withBuffer { v in
                            dP.withBuffer { dP in
                                withStepWeight(weightHH, rows: gates, columns: hidden, transposed: false, steps: steps) { whh in
                                    carry.withBuffer { carry in
                                        let g = GEMM.ReadPointer(g.baseAddress!), y = GEMM.ReadPointer(y.baseAddress!)
                                        let h0 = GEMM.ReadPointer(h0.baseAddress!), v = GEMM.ReadPointer(v.baseAddress!)
                                        let dP = GEMM.WritePointer(dP.baseAddress!)
                                        let carry = GEMM.WritePointer(carry.baseAddress!)
                                        parallelFor(batch, parts: batchParts(batch: batch, hidden: 2 * hidden, steps: steps)) { part in
                                            for s in stride(from: steps - 1, through: 0, by: -1) {
                                                let (t, tp) = timePositions(s, steps: steps, reversed: reversed)
                                                for b in part {
                                                    let row = b * steps + t
                                                    let gh = g.pointer + row * hidden, c = carry.pointer + b * hidden
                                                    let w = v.pointer + row * 4 * hidden
                                                    let (wz, wn, wq) = (w + hidden, w + 2 * hidden, w + 3 * hidden)
                                                    let dp = dP.pointer + row * gates, dq = dQ.pointer + row * gates
                                                    let hPrevious = s == 0
                                                        ? h0.pointer + b * hidden : y.pointer + (b * steps + tp) * hidden
                                                    for j in stride(from: 0, to: hidden, by: 8) {
                                                        let m = Swift.min(8, hidden - j)
                                                        let r = lanes(w + j, m), z = lanes(wz + j, m)
                                                        let n = lanes(wn + j, m), qn = lanes(wq + j, m)
                                                        let dh = lanes(gh + j, m) + lanes(c + j, m)
                                                        let dn = dh * (1 - z) * (1 - n * n)
                                                        let dz = dh * (lanes(hPrevious + j, m) - n) * z * (1 - z)
                                                        let dr = dn * qn * r * (1 - r)
                                                        store(dr, to: dp + j, m); store(dz, to: dp + hidden + j, m)
                                                        store(dn, to: dp + 2 * hidden + j, m)
                                                        store(dr, to: dq + j, m); store(dz, to: dq + hidden + j, m)
                                                        store(dn * r, to: dq + 2 * hidden + j, m)
                                                        store(dh * z, to: c + j, m)
                                                    }
                                                }
                                                // dh' = dh z + dq_t W_hh, the gradient reaching h_{t-1}.
                                                whh.multiply(
                                                    m: part.count,
                                                    a: UnsafePointer(dQ.pointer + (part.lowerBound * steps + t) * gates),
                                                    lda: steps * gates, beta: 1,
                                                    c: carry.pointer + part.lowerBound * hidden, ldc: hidden)
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
        let dWeight = dQ.withBuffer { d in
            hiddenWeightGradient(
                UnsafePointer(d.baseAddress!), gates: gates, states: output, initial: initialHidden, hidden: hidden,
                reversed: reversed)
        }
        let dBias = dQ.withBuffer { columnSums(UnsafeBufferPointer($0), rows: rows, width: gates) }
        return (Tensor(shape: [batch, steps, gates], storage: dP), Tensor(shape: initialHidden.shape, storage: carry),
                dWeight, dBias)
    }
}
