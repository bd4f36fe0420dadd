import Foundation
import Tensor

/// The hyperparameters of ``Adam`` and ``AdamW`` for one parameter group, with PyTorch's
/// `Adam` defaults (``AdamW`` changes `weightDecay` to `1e-2` and `decoupledWeightDecay` to `true`).
public struct AdamOptions: OptimizerOptions {
    /// The learning rate γ.
    public var lr: Double
    /// The decay rates (β₁, β₂) of the running averages of the gradient and of its square.
    public var betas: (Double, Double)
    /// The term ε added to the denominator for numerical stability.
    public var eps: Double
    /// The weight decay λ: an L2 penalty `λθ` added to the gradient, or with
    /// `decoupledWeightDecay` a shrinking of the parameter by `1 − γλ` (AdamW).
    public var weightDecay: Double
    /// Whether to use the AMSGrad variant (normalise by the running maximum of the second moment).
    public var amsgrad: Bool
    /// Whether to maximise the objective instead of minimising it.
    public var maximize: Bool
    /// Whether weight decay shrinks the parameter directly (AdamW) instead of adding to the gradient.
    public var decoupledWeightDecay: Bool

    /// β₁, the value cyclic schedulers vary (PyTorch's `use_beta1`); β₂ is kept.
    public var cycledMomentum: Double? {
        get { betas.0 }
        set { if let newValue { betas.0 = newValue } }
    }

    /// Creates Adam hyperparameters; the defaults are PyTorch's `Adam` defaults.
    public init(
        lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8, weightDecay: Double = 0,
        amsgrad: Bool = false, maximize: Bool = false, decoupledWeightDecay: Bool = false
    ) {
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.weightDecay = weightDecay
        self.amsgrad = amsgrad
        self.maximize = maximize
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    /// Whether every hyperparameter is equal.
    public static func == (lhs: AdamOptions, rhs: AdamOptions) -> Bool {
        lhs.lr == rhs.lr && lhs.betas == rhs.betas && lhs.eps == rhs.eps && lhs.weightDecay == rhs.weightDecay
            && lhs.amsgrad == rhs.amsgrad && lhs.maximize == rhs.maximize
            && lhs.decoupledWeightDecay == rhs.decoupledWeightDecay
    }

    private enum CodingKeys: String, CodingKey {
        case lr, betas, eps, amsgrad, maximize
        case weightDecay = "weight_decay"
        case decoupledWeightDecay = "decoupled_weight_decay"
    }

    /// Decodes the options from PyTorch's names, `betas` being a two-element array.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let betas = try container.decode([Double].self, forKey: .betas)
        guard betas.count == 2 else {
            throw DecodingError.dataCorruptedError(
                forKey: .betas, in: container, debugDescription: "betas must have two values, got \(betas)")
        }
        self.init(
            lr: try container.decode(Double.self, forKey: .lr),
            betas: (betas[0], betas[1]),
            eps: try container.decode(Double.self, forKey: .eps),
            weightDecay: try container.decode(Double.self, forKey: .weightDecay),
            amsgrad: try container.decode(Bool.self, forKey: .amsgrad),
            maximize: try container.decode(Bool.self, forKey: .maximize),
            decoupledWeightDecay: try container.decode(Bool.self, forKey: .decoupledWeightDecay))
    }

    /// Encodes the options under PyTorch's names, `betas` as a two-element array.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(lr, forKey: .lr)
        try container.encode([betas.0, betas.1], forKey: .betas)
        try container.encode(eps, forKey: .eps)
        try container.encode(weightDecay, forKey: .weightDecay)
        try container.encode(amsgrad, forKey: .amsgrad)
        try container.encode(maximize, forKey: .maximize)
        try container.encode(decoupledWeightDecay, forKey: .decoupledWeightDecay)
    }

    /// PyTorch's printed options of `Adam` and `AdamW`.
    public var printedOptions: [String: String] {
        [
            "amsgrad": PythonRepr.bool(amsgrad), "betas": "(\(PythonRepr.float(betas.0)), \(PythonRepr.float(betas.1)))",
            "capturable": "False", "decoupled_weight_decay": PythonRepr.bool(decoupledWeightDecay),
            "differentiable": "False", "eps": PythonRepr.float(eps), "foreach": "None", "fused": "None",
            "lr": PythonRepr.float(lr), "maximize": PythonRepr.bool(maximize), "weight_decay": PythonRepr.intOrFloat(weightDecay),
        ]
    }

    /// Rejects a negative learning rate, ε or weight decay and betas outside `[0, 1)`, as PyTorch does.
    public func validate(optimizer: String) throws(OptimizerError) {
        func invalid(_ message: String) -> OptimizerError { .invalidHyperparameter(optimizer: optimizer, message: message) }
        guard lr >= 0 else { throw invalid("invalid learning rate: \(lr)") }
        guard eps >= 0 else { throw invalid("invalid epsilon value: \(eps)") }
        guard betas.0 >= 0 && betas.0 < 1 else { throw invalid("invalid beta parameter at index 0: \(betas.0)") }
        guard betas.1 >= 0 && betas.1 < 1 else { throw invalid("invalid beta parameter at index 1: \(betas.1)") }
        guard weightDecay >= 0 else { throw invalid("invalid weight_decay value: \(weightDecay)") }
    }

    /// `step`, `exp_avg`, `exp_avg_sq`, and `max_exp_avg_sq` with AMSGrad.
    public var stateNames: (required: [String], optional: [String]) {
        (required: ["step", "exp_avg", "exp_avg_sq"] + (amsgrad ? ["max_exp_avg_sq"] : []), optional: [])
    }

    /// Step 0 and zero moments.
    public func makeState<Scalar: TensorFloatingPoint>(for parameter: Tensor<Scalar>) -> ParameterState<Scalar> {
        var buffers = ["exp_avg": Tensor<Scalar>.zeros(like: parameter), "exp_avg_sq": Tensor.zeros(like: parameter)]
        if amsgrad { buffers["max_exp_avg_sq"] = Tensor.zeros(like: parameter) }
        return ParameterState(step: 0, buffers: buffers)
    }

    /// One Adam step (see ``Adam`` for the formula). The bias corrections are computed in
    /// `Double` from the step count, exactly as PyTorch computes them in Python floats.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func update<Scalar: TensorFloatingPoint>(
        _ parameter: Tensor<Scalar>, gradient: Tensor<Scalar>, state: inout ParameterState<Scalar>
    ) {
        let step = (state.step ?? 0) + 1
        state.step = step
        let biasCorrection1 = 1 - pow(betas.0, Double(step))
        let biasCorrection2 = 1 - pow(betas.1, Double(step))
        adamStep(
            parameter: parameter, gradient: gradient,
            expAvg: state.buffer("exp_avg"), expAvgSq: state.buffer("exp_avg_sq"),
            maxExpAvgSq: amsgrad ? state.buffer("max_exp_avg_sq") : nil,
            stepSize: lr / biasCorrection1, biasCorrection2Sqrt: pow(biasCorrection2, 0.5), options: self)
    }
}

/// The Adam update of one parameter, in PyTorch's operation order (`_single_tensor_adam`).
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
func adamStep<Scalar: TensorFloatingPoint>(
    parameter: Tensor<Scalar>, gradient: Tensor<Scalar>, expAvg: Tensor<Scalar>, expAvgSq: Tensor<Scalar>,
    maxExpAvgSq: Tensor<Scalar>?, stepSize: Double, biasCorrection2Sqrt: Double, options: AdamOptions
) {
    parameter.withUnsafeMutableBufferPointer { p in
        gradient.withUnsafeBufferPointer { grad in
            expAvg.withUnsafeMutableBufferPointer { m in
                expAvgSq.withUnsafeMutableBufferPointer { v in
                    if let maxExpAvgSq {
                        maxExpAvgSq.withUnsafeMutableBufferPointer {
                            adamLoopConcurrently(
                                AdamBuffers(p, grad, m, v, $0), stepSize: stepSize, biasCorrection2Sqrt: biasCorrection2Sqrt,
                                options: options)
                        }
                    } else {
                        adamLoopConcurrently(
                            AdamBuffers(p, grad, m, v, nil), stepSize: stepSize, biasCorrection2Sqrt: biasCorrection2Sqrt,
                            options: options)
                    }
                }
            }
        }
    }
}

/// ``adamLoop(_:_:_:_:_:stepSize:biasCorrection2Sqrt:options:)`` over `buffers`, large parameters
/// in ranges on several threads (``parallelForElements(_:minimumCount:_:)``): each element's
/// update depends on that element alone, so the result does not depend on the thread count.
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
private func adamLoopConcurrently<Scalar: TensorFloatingPoint>(
    _ buffers: AdamBuffers<Scalar>, stepSize: Double, biasCorrection2Sqrt: Double, options: AdamOptions
) {
    parallelForElements(buffers.p.count) { range in
        let part = buffers[range]
        adamLoop(
            part.p, part.grad, part.m, part.v, part.vMax, stepSize: stepSize,
            biasCorrection2Sqrt: biasCorrection2Sqrt, options: options)
    }
}

/// The buffers of one Adam update (parameter, gradient, moments, running maximum), handed to the
/// threads of ``adamLoopConcurrently(_:stepSize:biasCorrection2Sqrt:options:)``, which touch
/// disjoint ranges of them.
private struct AdamBuffers<Scalar: TensorFloatingPoint>: @unchecked Sendable {
    let p: UnsafeMutableBufferPointer<Scalar>, grad: UnsafeBufferPointer<Scalar>
    let m: UnsafeMutableBufferPointer<Scalar>, v: UnsafeMutableBufferPointer<Scalar>
    let vMax: UnsafeMutableBufferPointer<Scalar>?

    init(
        _ p: UnsafeMutableBufferPointer<Scalar>, _ grad: UnsafeBufferPointer<Scalar>, _ m: UnsafeMutableBufferPointer<Scalar>,
        _ v: UnsafeMutableBufferPointer<Scalar>, _ vMax: UnsafeMutableBufferPointer<Scalar>?
    ) {
        (self.p, self.grad, self.m, self.v, self.vMax) = (p, grad, m, v, vMax)
    }

    /// The elements `range` of every buffer.
    subscript(range: Range<Int>) -> AdamBuffers {
        AdamBuffers(
            UnsafeMutableBufferPointer(rebasing: p[range]), UnsafeBufferPointer(rebasing: grad[range]),
            UnsafeMutableBufferPointer(rebasing: m[range]), UnsafeMutableBufferPointer(rebasing: v[range]),
            vMax.map { UnsafeMutableBufferPointer(rebasing: $0[range]) })
    }
}

/// The element loop of ``adamStep(parameter:gradient:expAvg:expAvgSq:maxExpAvgSq:stepSize:biasCorrection2Sqrt:options:)``
/// over the parameter `p`, its gradient, moments `m`, `v` and running maximum `vMax` (AMSGrad).
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
private func adamLoop<Scalar: TensorFloatingPoint>(
    _ p: UnsafeMutableBufferPointer<Scalar>, _ grad: UnsafeBufferPointer<Scalar>, _ m: UnsafeMutableBufferPointer<Scalar>,
    _ v: UnsafeMutableBufferPointer<Scalar>, _ vMax: UnsafeMutableBufferPointer<Scalar>?,
    stepSize: Double, biasCorrection2Sqrt: Double, options: AdamOptions
) {
    // Decoupled decay multiplies the parameter by 1 − γλ (by exactly 1 otherwise, a no-op);
    // coupled decay adds λθ to the gradient.
    let decoupled = options.decoupledWeightDecay
    let shrink = Scalar(decoupled ? 1 - options.lr * options.weightDecay : 1)
    let weight1 = Scalar(1 - options.betas.0), smallWeight1 = Swift.abs(weight1) < 0.5
    let beta2 = Scalar(options.betas.1), weight2 = Scalar(1 - options.betas.1)
    let correction2 = Scalar(biasCorrection2Sqrt), eps = Scalar(options.eps)
    let negativeStepSize = Scalar(-stepSize)
    // Coupled decay reads p itself, as the shrink factor is then exactly 1.
    let gradient = TransformedGradient(
        grad, parameter: p, maximize: options.maximize, weightDecay: decoupled ? 0 : options.weightDecay)
    if let vMax {
        for i in 0..<p.count {
            let g = gradient[i]
            m[i] = lerp(m[i], g, weight1, small: smallWeight1)
            v[i] = v[i] * beta2 + weight2 * g * g
            vMax[i] = Swift.max(vMax[i], v[i])
            p[i] = p[i] * shrink + negativeStepSize * m[i] / (vMax[i].squareRoot() / correction2 + eps)
        }
        return
    }
    // Otherwise the same formula on eight lanes at a time (packed divisions), in chunks: the
    // moments of a chunk, their square roots with VectorMath (see VectorLanes.swift), then the
    // parameters.
    forEachChunk(of: p.count) { (chunk, vectorEnd, root: UnsafeMutableBufferPointer<Scalar>) in
        let start = chunk.lowerBound
        for i in stride(from: start, to: vectorEnd, by: 8) {
            let g = gradient.lanes(at: i)
            let previous = m.lanes(at: i)
            m.setLanes(smallWeight1 ? previous + weight1 * (g - previous) : g - (g - previous) * (1 - weight1), at: i)
            v.setLanes(v.lanes(at: i) * beta2 + weight2 * g * g, at: i)
        }
        for i in vectorEnd..<chunk.upperBound {
            let g = gradient[i]
            m[i] = lerp(m[i], g, weight1, small: smallWeight1)
            v[i] = v[i] * beta2 + weight2 * g * g
        }
        VectorMath.squareRoot(v.baseAddress! + start, into: root.baseAddress!, count: chunk.count)
        let r = UnsafeBufferPointer(root)
        for i in stride(from: start, to: vectorEnd, by: 8) {
            let denominator = r.lanes(at: i - start) / correction2 + eps
            p.setLanes(p.lanes(at: i) * shrink + negativeStepSize * m.lanes(at: i) / denominator, at: i)
        }
        for i in vectorEnd..<chunk.upperBound {
            p[i] = p[i] * shrink + negativeStepSize * m[i] / (r[i - start] / correction2 + eps)
        }
    }
}
