/// The nonlinearity of an Elman RNN layer (`nonlinearity=` of `torch.nn.RNN`).
public enum RecurrentActivation: String, Sendable, CaseIterable {
    /// h = tanh(z); dh/dz = 1 - h².
    case tanh
    /// h = max(z, 0); dh/dz = 1 where h > 0.
    case relu
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// One Elman RNN layer run over a whole sequence as a single fused operation with its own
    /// backpropagation through time (the op behind `torch.nn.RNN`):
    ///
    ///     h_t = act(x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh),   t = 1...T
    ///
    /// - Parameters:
    ///   - input: `[batch, seq, inputSize]`.
    ///   - initialHidden: h_0, `[batch, hidden]`.
    ///   - weightIH: `[hidden, inputSize]`; `weightHH`: `[hidden, hidden]`.
    ///   - biasIH, biasHH: `[hidden]`, or `nil` for a layer without biases.
    /// - Returns: every h_t, `[batch, seq, hidden]`. The last step is `output[:, seq - 1]`.
    ///
    /// Backward (for dL/dY given): going back in time, dh_t = dY_t + dz_{t+1} W_hh and
    /// dz_t = dh_t ⊙ act'(h_t); then dW_ih = Σ_t dz_tᵀ x_t, dW_hh = Σ_t dz_tᵀ h_{t-1},
    /// db_ih = db_hh = Σ_t dz_t, dx_t = dz_t W_ih and dh_0 = dz_1 W_hh. The input
    /// projections and all weight gradients are each one matrix product over the whole sequence.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func rnnSequence(
        input: Tensor, initialHidden: Tensor, weightIH: Tensor, weightHH: Tensor,
        biasIH: Tensor?, biasHH: Tensor?, activation: RecurrentActivation
    ) -> Tensor {
        check(input.rank == 3, "rnnSequence: input must be [batch, seq, features], got \(input.shape)")
        let (batch, steps, features) = (input.shape[0], input.shape[1], input.shape[2])
        let hidden = weightHH.shape.first ?? 0
        check(
            weightIH.shape == [hidden, features] && weightHH.shape == [hidden, hidden],
            "rnnSequence: weights \(weightIH.shape) and \(weightHH.shape) do not fit input \(input.shape)")
        check(
            initialHidden.shape == [batch, hidden],
            "rnnSequence: initial hidden state \(initialHidden.shape) does not fit [\(batch), \(hidden)]")
        for bias in [biasIH, biasHH] {
            if let bias { check(bias.shape == [hidden], "rnnSequence: bias \(bias.shape) does not fit hidden size \(hidden)") }
        }
        let rows = batch * steps
        let output = TensorStorage<Scalar>(count: rows * hidden) { y in
            guard rows > 0, hidden > 0 else { return }
            let y = y.baseAddress!
            // Z = X W_ihᵀ + b_ih + b_hh for every (batch, step) row at once.
            addBiases(biasIH, biasHH, into: y, rows: rows, hidden: hidden)
            input.withUnsafeBufferPointer { x in
                weightIH.withUnsafeBufferPointer { w in
                    if features > 0 {
                        GEMM.multiply(
                            transA: false, transB: true, m: rows, n: hidden, k: features, alpha: 1,
                            a: x.baseAddress!, lda: features, b: w.baseAddress!, ldb: features,
                            beta: 1, c: y, ldc: hidden)
                    }
                }
            }
            // h_t = act(Z_t + h_{t-1} W_hhᵀ); step t of every batch row sits at stride steps * hidden.
            // Batch rows are independent, so each part of the batch runs the whole time loop on its
            // own thread. W_hhᵀ is packed once for all steps (and all parts), so that every step's
            // product reads it in the microkernels' layout.
            withPackedWeight(weightHH, rows: hidden, columns: hidden, transposed: true) { whhT in
                initialHidden.withUnsafeBufferPointer { h0 in
                    let h0 = GEMM.ReadPointer(h0.baseAddress!)
                    let y = GEMM.WritePointer(y)
                    parallelFor(batch, parts: batchParts(batch: batch, hidden: hidden, steps: steps)) { part in
                        for t in 0..<steps {
                            let (previous, ldPrevious) = t == 0
                                ? (h0.pointer + part.lowerBound * hidden, hidden)
                                : (UnsafePointer(y.pointer + (part.lowerBound * steps + t - 1) * hidden), steps * hidden)
                            GEMM.multiply(
                                transA: false, m: part.count, alpha: 1, a: previous, lda: ldPrevious, packedB: whhT,
                                beta: 1, c: y.pointer + (part.lowerBound * steps + t) * hidden, ldc: steps * hidden)
                            for b in part { activate(y.pointer + (b * steps + t) * hidden, count: hidden, activation) }
                        }
                    }
                }
            }
        }
        let result = Tensor(shape: [batch, steps, hidden], storage: output)
        let saved = result.detach()
        var inputs = [input, initialHidden, weightIH, weightHH]
        if let biasIH { inputs.append(biasIH) }
        if let biasHH { inputs.append(biasHH) }
        return result.recording("RnnSequenceBackward", inputs) { g in
            let grads = rnnSequenceBackward(
                gradient: g, output: saved, input: input, initialHidden: initialHidden,
                weightIH: weightIH, weightHH: weightHH, activation: activation)
            var result: [Tensor?] = [
                input.requiresGrad ? grads.input : nil, initialHidden.requiresGrad ? grads.initialHidden : nil,
                grads.weightIH, grads.weightHH,
            ]
            if biasIH != nil { result.append(grads.bias) }
            if biasHH != nil { result.append(grads.bias.copy()) }
            return result
        }
    }

    /// The gradients of ``rnnSequence(input:initialHidden:weightIH:weightHH:biasIH:biasHH:activation:)``.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    static func rnnSequenceBackward(
        gradient: Tensor, output: Tensor, input: Tensor, initialHidden: Tensor,
        weightIH: Tensor, weightHH: Tensor, activation: RecurrentActivation
    ) -> (input: Tensor, initialHidden: Tensor, weightIH: Tensor, weightHH: Tensor, bias: Tensor) {
        let (batch, steps, features) = (input.shape[0], input.shape[1], input.shape[2])
        let hidden = weightHH.shape[0]
        let rows = batch * steps
        let carry = TensorStorage<Scalar>(repeating: 0, count: batch * hidden)  // dz_{t+1} W_hh, then dh_0
        guard rows > 0, hidden > 0 else {
            return (Tensor.zeros(input.shape), Tensor(shape: initialHidden.shape, storage: carry),
                    Tensor.zeros(weightIH.shape), Tensor.zeros(weightHH.shape), Tensor.zeros([hidden]))
        }
        // dZ, [batch, seq, hidden], going back in time, each part of the batch on its own thread
        // (rows are independent).
        let dz = TensorStorage<Scalar>(count: rows * hidden) { dz in
            let dz = GEMM.WritePointer(dz.baseAddress!)
            gradient.withUnsafeBufferPointer { g in
                output.withUnsafeBufferPointer { y in
                    withPackedWeight(weightHH, rows: hidden, columns: hidden, transposed: false) { whh in
                        carry.withBuffer { carry in
                            let g = GEMM.ReadPointer(g.baseAddress!), y = GEMM.ReadPointer(y.baseAddress!)
                            let carry = GEMM.WritePointer(carry.baseAddress!)
                            parallelFor(batch, parts: batchParts(batch: batch, hidden: hidden, steps: steps)) { part in
                                for t in stride(from: steps - 1, through: 0, by: -1) {
                                    for b in part {
                                        let row = (b * steps + t) * hidden
                                        backpropagateActivation(
                                            gradient: g.pointer + row, carry: carry.pointer + b * hidden,
                                            output: y.pointer + row, into: dz.pointer + row, count: hidden, activation)
                                    }
                                    // carry = dz_t W_hh, the gradient reaching h_{t-1}.
                                    GEMM.multiply(
                                        transA: false, m: part.count, alpha: 1,
                                        a: UnsafePointer(dz.pointer + (part.lowerBound * steps + t) * hidden),
                                        lda: steps * hidden, packedB: whh, beta: 0,
                                        c: carry.pointer + part.lowerBound * hidden, ldc: hidden)
                                }
                            }
                        }
                    }
                }
            }
        }
        // h_{t-1} for every row: h_0 for t = 0, else the previous output.
        let previous = TensorStorage<Scalar>(count: rows * hidden) { previous in
            initialHidden.withUnsafeBufferPointer { h0 in
                output.withUnsafeBufferPointer { y in
                    for b in 0..<batch {
                        let row = b * steps * hidden
                        (previous.baseAddress! + row).initialize(from: h0.baseAddress! + b * hidden, count: hidden)
                        (previous.baseAddress! + row + hidden)
                            .initialize(from: y.baseAddress! + row, count: (steps - 1) * hidden)
                    }
                }
            }
        }
        // Every weight gradient and dx is one product over all rows (written whole: beta = 0).
        return dz.withBuffer { dz in
            let dzp = UnsafePointer(dz.baseAddress!)
            // db = 1ᵀ dZ, the column sums, as a one-row product (vectorised, where the plain loop
            // over rows is not: the compiler cannot rule out that dZ and db overlap).
            let ones = [Scalar](repeating: 1, count: rows)
            let dBias = TensorStorage<Scalar>(count: hidden) { dBias in
                ones.withUnsafeBufferPointer { ones in
                    GEMM.multiply(
                        transA: false, transB: false, m: 1, n: hidden, k: rows, alpha: 1,
                        a: ones.baseAddress!, lda: rows, b: dzp, ldb: hidden, beta: 0, c: dBias.baseAddress!, ldc: hidden)
                }
            }
            let dWhh = TensorStorage<Scalar>(count: hidden * hidden) { dW in
                previous.withBuffer { hp in
                    GEMM.multiply(
                        transA: true, transB: false, m: hidden, n: hidden, k: rows, alpha: 1,
                        a: dzp, lda: hidden, b: hp.baseAddress!, ldb: hidden, beta: 0, c: dW.baseAddress!, ldc: hidden)
                }
            }
            let dWih = TensorStorage<Scalar>(count: hidden * features) { dW in
                guard features > 0 else { return }
                input.withUnsafeBufferPointer { x in
                    GEMM.multiply(
                        transA: true, transB: false, m: hidden, n: features, k: rows, alpha: 1,
                        a: dzp, lda: hidden, b: x.baseAddress!, ldb: features, beta: 0, c: dW.baseAddress!, ldc: features)
                }
            }
            // dx stays zero unless the input requires grad.
            let dx = !input.requiresGrad || features == 0
                ? TensorStorage<Scalar>(repeating: 0, count: rows * features)
                : TensorStorage<Scalar>(count: rows * features) { dx in
                    weightIH.withUnsafeBufferPointer { w in
                        GEMM.multiply(
                            transA: false, transB: false, m: rows, n: features, k: hidden, alpha: 1,
                            a: dzp, lda: hidden, b: w.baseAddress!, ldb: features, beta: 0, c: dx.baseAddress!,
                            ldc: features)
                    }
                }
            return (Tensor(shape: input.shape, storage: dx), Tensor(shape: initialHidden.shape, storage: carry),
                    Tensor(shape: weightIH.shape, storage: dWih), Tensor(shape: weightHH.shape, storage: dWhh),
                    Tensor(shape: [hidden], storage: dBias))
        }
    }

    /// How many parts to split the batch into for the time loops: one per allowed thread
    /// (``Parallelism/maxThreads``) when the recurrence (`2·batch·hidden²·steps` flops) reaches
    /// 4 MFLOP, with at least 4 rows per part. The split forks once for the whole loop (one
    /// ``parallelFor(_:parts:_:)``). The result does not depend on it: every row's arithmetic is
    /// the same.
    @inline(__always)
    static func batchParts(batch: Int, hidden: Int, steps: Int) -> Int {
        guard 2 * batch * hidden * hidden * steps >= 4_000_000 else { return 1 }
        return Swift.max(1, Swift.min(Parallelism.maxThreads, batch / 4))
    }

    /// Fills each of `rows` rows of `y` with b_ih + b_hh (zeros when both are absent).
    @inline(__always)
    private static func addBiases(_ biasIH: Tensor?, _ biasHH: Tensor?, into y: UnsafeMutablePointer<Scalar>, rows: Int, hidden: Int) {
        var bias = [Scalar](repeating: 0, count: hidden)
        for b in [biasIH, biasHH] {
            guard let b else { continue }
            b.withUnsafeBufferPointer { p in for j in 0..<hidden { bias[j] += p[j] } }
        }
        bias.withUnsafeBufferPointer { bias in
            for r in 0..<rows { (y + r * hidden).update(from: bias.baseAddress!, count: hidden) }
        }
    }

    /// Applies the activation to `count` values in place (tanh through ``VectorMath``).
    @inline(__always)
    private static func activate(_ z: UnsafeMutablePointer<Scalar>, count: Int, _ activation: RecurrentActivation) {
        switch activation {
        case .tanh: VectorMath.tanh(z, into: z, count: count)
        case .relu: for j in 0..<count { z[j] = Swift.max(z[j], 0) }
        }
    }

    /// dz = (g + carry) ⊙ act'(h) over `count` values, act' computed from the output h.
    @inline(__always)
    private static func backpropagateActivation(
        gradient g: UnsafePointer<Scalar>, carry: UnsafePointer<Scalar>, output h: UnsafePointer<Scalar>,
        into dz: UnsafeMutablePointer<Scalar>, count: Int, _ activation: RecurrentActivation
    ) {
        switch activation {
        case .tanh: for j in 0..<count { dz[j] = (g[j] + carry[j]) * (1 - h[j] * h[j]) }
        case .relu: for j in 0..<count { dz[j] = (g[j] + carry[j]) * (h[j] > 0 ? 1 : 0) }
        }
    }
}
