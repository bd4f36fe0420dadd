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
            // own thread. W_hhᵀ is prepared once for all steps (and all parts).
            let parts = batchParts(batch: batch, hidden: hidden, steps: steps)
            withStepWeight(weightHH, hidden: hidden, transposed: true, rowsPerPart: batch / parts, steps: steps) { whhT in
                initialHidden.withUnsafeBufferPointer { h0 in
                    let h0 = GEMM.ReadPointer(h0.baseAddress!)
                    let y = GEMM.WritePointer(y)
                    parallelFor(batch, parts: parts) { part in
                        for t in 0..<steps {
                            let (previous, ldPrevious) = t == 0
                                ? (h0.pointer + part.lowerBound * hidden, hidden)
                                : (UnsafePointer(y.pointer + (part.lowerBound * steps + t - 1) * hidden), steps * hidden)
                            whhT.multiply(
                                m: part.count, a: previous, lda: ldPrevious,
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
                    let parts = batchParts(batch: batch, hidden: hidden, steps: steps)
                    withStepWeight(weightHH, hidden: hidden, transposed: false, rowsPerPart: batch / parts, steps: steps) { whh in
                        carry.withBuffer { carry in
                            let g = GEMM.ReadPointer(g.baseAddress!), y = GEMM.ReadPointer(y.baseAddress!)
                            let carry = GEMM.WritePointer(carry.baseAddress!)
                            parallelFor(batch, parts: parts) { part in
                                for t in stride(from: steps - 1, through: 0, by: -1) {
                                    for b in part {
                                        let row = (b * steps + t) * hidden
                                        backpropagateActivation(
                                            gradient: g.pointer + row, carry: carry.pointer + b * hidden,
                                            output: y.pointer + row, into: dz.pointer + row, count: hidden, activation)
                                    }
                                    // carry = dz_t W_hh, the gradient reaching h_{t-1}.
                                    whh.multiply(
                                        m: part.count, a: UnsafePointer(dz.pointer + (part.lowerBound * steps + t) * hidden),
                                        lda: steps * hidden, beta: 0, c: carry.pointer + part.lowerBound * hidden, ldc: hidden)
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

    /// Calls `body` with W_hh (`hidden × hidden`; W_hhᵀ when `transposed`) prepared once for the
    /// per-step products of a time loop of `steps` steps whose batch parts have at least
    /// `rowsPerPart` rows: as ``withStepWeight(_:rows:columns:transposed:steps:_:)`` prepares it
    /// (read in place for one step, else packed) when there is one step or the parts have 8 rows
    /// or more and `hidden` is at least 128, else an aligned copy that the direct product reads
    /// in place.
    /// Measured with a C harness on this Zen 3 (Float and Double, hidden 5...256): with one or two
    /// rows the direct product on the copy takes 0.5-0.9x the time of the pre-packed one; with
    /// 32 rows and hidden 256, the pre-packed one runs at 89-92 against 80-83 GFLOP/s. Both
    /// compute every element alike (bit for bit).
    @inline(__always)
    private static func withStepWeight(
        _ w: Tensor, hidden: Int, transposed: Bool, rowsPerPart: Int, steps: Int, _ body: (StepWeight<Scalar>) -> Void
    ) {
        if steps == 1 || (rowsPerPart >= 8 && hidden >= 128) {
            withStepWeight(w, rows: hidden, columns: hidden, transposed: transposed, steps: steps, body)
        } else {
            withAlignedCopy(of: w, rows: hidden, columns: hidden, transposed: transposed) { copy, stride in
                body(.inPlace(GEMM.ReadPointer(copy), transposed: false, k: hidden, n: hidden, ld: stride))
            }
        }
    }

    /// Calls `body` with a copy of the `rows × columns` matrix `w` (its `columns × rows` transpose
    /// when `transposed`) in a 64-byte aligned buffer whose rows start on 64-byte boundaries, and
    /// that row stride: the per-step products of the time loops then read it in place with
    /// aligned loads, where the GEMM would otherwise copy an unaligned or transposed operand at
    /// every step.
    @inline(__always)
    private static func withAlignedCopy(
        of w: Tensor, rows: Int, columns: Int, transposed: Bool,
        _ body: (_ copy: UnsafePointer<Scalar>, _ stride: Int) -> Void
    ) {
        let lineElements = 64 / MemoryLayout<Scalar>.stride
        let (copyRows, copyColumns) = transposed ? (columns, rows) : (rows, columns)
        let stride = (copyColumns + lineElements - 1) / lineElements * lineElements
        let count = Swift.max(copyRows * stride, 1)
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: count * MemoryLayout<Scalar>.stride, alignment: Swift.max(64, MemoryLayout<Scalar>.alignment))
        defer { raw.deallocate() }
        // The padding columns past `copyColumns` are never read.
        let copy = raw.bindMemory(to: Scalar.self, capacity: count)
        w.withUnsafeBufferPointer { w in
            guard let w = w.baseAddress else { return }
            guard transposed else {
                for i in 0..<rows { (copy + i &* stride).initialize(from: w + i &* columns, count: columns) }
                return
            }
            // 16 × 16 blocks, so that both the rows read and the rows written stay in L1.
            for i0 in Swift.stride(from: 0, to: rows, by: 16) {
                for j0 in Swift.stride(from: 0, to: columns, by: 16) {
                    for i in i0..<Swift.min(i0 + 16, rows) {
                        for j in j0..<Swift.min(j0 + 16, columns) {
                            (copy + (j &* stride &+ i)).initialize(to: w[i &* columns &+ j])
                        }
                    }
                }
            }
        }
        body(copy, stride)
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
