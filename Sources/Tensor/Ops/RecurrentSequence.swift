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
        precondition(input.rank == 3, "rnnSequence: input must be [batch, seq, features], got \(input.shape)")
        let (batch, steps, features) = (input.shape[0], input.shape[1], input.shape[2])
        let hidden = weightHH.shape.first ?? 0
        precondition(
            weightIH.shape == [hidden, features] && weightHH.shape == [hidden, hidden],
            "rnnSequence: weights \(weightIH.shape) and \(weightHH.shape) do not fit input \(input.shape)")
        precondition(
            initialHidden.shape == [batch, hidden],
            "rnnSequence: initial hidden state \(initialHidden.shape) does not fit [\(batch), \(hidden)]")
        for bias in [biasIH, biasHH] {
            if let bias { precondition(bias.shape == [hidden], "rnnSequence: bias \(bias.shape) does not fit hidden size \(hidden)") }
        }
        let rows = batch * steps
        var output = [Scalar](repeating: 0, count: rows * hidden)
        output.withUnsafeMutableBufferPointer { y in
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
            weightHH.withUnsafeBufferPointer { whh in
                initialHidden.withUnsafeBufferPointer { h0 in
                    for t in 0..<steps {
                        let (previous, ldPrevious) = t == 0
                            ? (h0.baseAddress!, hidden) : (UnsafePointer(y + (t - 1) * hidden), steps * hidden)
                        GEMM.multiply(
                            transA: false, transB: true, m: batch, n: hidden, k: hidden, alpha: 1,
                            a: previous, lda: ldPrevious, b: whh.baseAddress!, ldb: hidden,
                            beta: 1, c: y + t * hidden, ldc: steps * hidden)
                        for b in 0..<batch { activate(y + (b * steps + t) * hidden, count: hidden, activation) }
                    }
                }
            }
        }
        let result = Tensor(shape: [batch, steps, hidden], scalars: output)
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
        var dz = gradient.scalars  // becomes dZ, [batch, seq, hidden]
        var dh0 = [Scalar](repeating: 0, count: batch * hidden)
        var carry = [Scalar](repeating: 0, count: batch * hidden)  // dz_{t+1} W_hh
        var previous = [Scalar](repeating: 0, count: rows * hidden)  // h_{t-1} for every row
        var dWih = [Scalar](repeating: 0, count: hidden * features)
        var dWhh = [Scalar](repeating: 0, count: hidden * hidden)
        var dBias = [Scalar](repeating: 0, count: hidden)
        var dx = [Scalar](repeating: 0, count: rows * features)
        guard rows > 0, hidden > 0 else {
            return (Tensor(shape: input.shape, scalars: dx), Tensor(shape: initialHidden.shape, scalars: dh0),
                    Tensor(shape: weightIH.shape, scalars: dWih), Tensor(shape: weightHH.shape, scalars: dWhh),
                    Tensor(shape: [hidden], scalars: dBias))
        }
        output.withUnsafeBufferPointer { y in
            weightHH.withUnsafeBufferPointer { whh in
                dz.withUnsafeMutableBufferPointer { dz in
                    carry.withUnsafeMutableBufferPointer { carry in
                        for t in stride(from: steps - 1, through: 0, by: -1) {
                            for b in 0..<batch {
                                let row = (b * steps + t) * hidden
                                for j in 0..<hidden {
                                    let h = y[row + j]
                                    let slope: Scalar = activation == .tanh ? 1 - h * h : (h > 0 ? 1 : 0)
                                    dz[row + j] = (dz[row + j] + carry[b * hidden + j]) * slope
                                }
                            }
                            // carry = dz_t W_hh, the gradient reaching h_{t-1}.
                            GEMM.multiply(
                                transA: false, transB: false, m: batch, n: hidden, k: hidden, alpha: 1,
                                a: UnsafePointer(dz.baseAddress! + t * hidden), lda: steps * hidden,
                                b: whh.baseAddress!, ldb: hidden, beta: 0, c: carry.baseAddress!, ldc: hidden)
                        }
                    }
                }
            }
            // h_{t-1} for every row: h_0 for t = 0, else the previous output.
            initialHidden.withUnsafeBufferPointer { h0 in
                for b in 0..<batch {
                    for t in 0..<steps {
                        let row = (b * steps + t) * hidden
                        for j in 0..<hidden {
                            previous[row + j] = t == 0 ? h0[b * hidden + j] : y[row - hidden + j]
                        }
                    }
                }
            }
        }
        dh0 = carry
        dz.withUnsafeBufferPointer { dz in
            let dzp = dz.baseAddress!
            for r in 0..<rows { for j in 0..<hidden { dBias[j] += dzp[r * hidden + j] } }
            previous.withUnsafeBufferPointer { hp in
                dWhh.withUnsafeMutableBufferPointer { dW in
                    GEMM.multiply(
                        transA: true, transB: false, m: hidden, n: hidden, k: rows, alpha: 1,
                        a: dzp, lda: hidden, b: hp.baseAddress!, ldb: hidden, beta: 0, c: dW.baseAddress!, ldc: hidden)
                }
            }
            guard features > 0 else { return }
            input.withUnsafeBufferPointer { x in
                dWih.withUnsafeMutableBufferPointer { dW in
                    GEMM.multiply(
                        transA: true, transB: false, m: hidden, n: features, k: rows, alpha: 1,
                        a: dzp, lda: hidden, b: x.baseAddress!, ldb: features, beta: 0, c: dW.baseAddress!, ldc: features)
                }
            }
            if input.requiresGrad {
                weightIH.withUnsafeBufferPointer { w in
                    dx.withUnsafeMutableBufferPointer { dx in
                        GEMM.multiply(
                            transA: false, transB: false, m: rows, n: features, k: hidden, alpha: 1,
                            a: dzp, lda: hidden, b: w.baseAddress!, ldb: features, beta: 0, c: dx.baseAddress!, ldc: features)
                    }
                }
            }
        }
        return (Tensor(shape: input.shape, scalars: dx), Tensor(shape: initialHidden.shape, scalars: dh0),
                Tensor(shape: weightIH.shape, scalars: dWih), Tensor(shape: weightHH.shape, scalars: dWhh),
                Tensor(shape: [hidden], scalars: dBias))
    }

    /// Fills each of `rows` rows of `y` with b_ih + b_hh (zeros when both are absent).
    @inline(__always)
    private static func addBiases(_ biasIH: Tensor?, _ biasHH: Tensor?, into y: UnsafeMutablePointer<Scalar>, rows: Int, hidden: Int) {
        var bias = [Scalar](repeating: 0, count: hidden)
        for b in [biasIH, biasHH] {
            guard let b else { continue }
            b.withUnsafeBufferPointer { p in for j in 0..<hidden { bias[j] += p[j] } }
        }
        for r in 0..<rows { for j in 0..<hidden { y[r * hidden + j] = bias[j] } }
    }

    /// Applies the activation to `count` values in place.
    @inline(__always)
    private static func activate(_ z: UnsafeMutablePointer<Scalar>, count: Int, _ activation: RecurrentActivation) {
        switch activation {
        case .tanh: for j in 0..<count { z[j] = Scalar.tanh(z[j]) }
        case .relu: for j in 0..<count { z[j] = Swift.max(z[j], 0) }
        }
    }
}
