import Tensor

/// The hyperparameters of ``RMSprop`` for one parameter group, with PyTorch's defaults.
public struct RMSpropOptions: OptimizerOptions {
    /// The learning rate γ.
    public var lr: Double
    /// The smoothing constant α of the running average of squared gradients.
    public var alpha: Double
    /// The term ε added to the denominator (outside the square root) for numerical stability.
    public var eps: Double
    /// The L2 penalty λ added to the gradient as `λθ`.
    public var weightDecay: Double
    /// The momentum factor μ (0 disables the momentum buffer).
    public var momentum: Double
    /// Whether to normalise by an estimate of the gradient's variance (subtracting the squared
    /// running average of gradients) instead of its raw second moment.
    public var centered: Bool
    /// Whether to maximise the objective instead of minimising it.
    public var maximize: Bool

    /// `momentum`, the value cyclic schedulers vary.
    public var cycledMomentum: Double? {
        get { momentum }
        set { if let newValue { momentum = newValue } }
    }

    /// Creates RMSprop hyperparameters; the defaults are PyTorch's.
    public init(
        lr: Double = 1e-2, alpha: Double = 0.99, eps: Double = 1e-8, weightDecay: Double = 0, momentum: Double = 0,
        centered: Bool = false, maximize: Bool = false
    ) {
        self.lr = lr
        self.alpha = alpha
        self.eps = eps
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.centered = centered
        self.maximize = maximize
    }

    private enum CodingKeys: String, CodingKey {
        case lr, alpha, eps, momentum, centered, maximize
        case weightDecay = "weight_decay"
    }

    /// PyTorch's printed options of `RMSprop`.
    public var printedOptions: [String: String] {
        [
            "alpha": PythonRepr.float(alpha), "capturable": "False", "centered": PythonRepr.bool(centered),
            "differentiable": "False", "eps": PythonRepr.float(eps), "foreach": "None", "lr": PythonRepr.float(lr),
            "maximize": PythonRepr.bool(maximize), "momentum": PythonRepr.intOrFloat(momentum),
            "weight_decay": PythonRepr.intOrFloat(weightDecay),
        ]
    }

    /// Rejects a negative learning rate, ε, momentum, weight decay or α, as PyTorch does.
    public func validate(optimizer: String) throws(OptimizerError) {
        func invalid(_ message: String) -> OptimizerError { .invalidHyperparameter(optimizer: optimizer, message: message) }
        guard lr >= 0 else { throw invalid("invalid learning rate: \(lr)") }
        guard eps >= 0 else { throw invalid("invalid epsilon value: \(eps)") }
        guard momentum >= 0 else { throw invalid("invalid momentum value: \(momentum)") }
        guard weightDecay >= 0 else { throw invalid("invalid weight_decay value: \(weightDecay)") }
        guard alpha >= 0 else { throw invalid("invalid alpha value: \(alpha)") }
    }

    /// `step` and `square_avg`, plus `momentum_buffer` with momentum and `grad_avg` when centered.
    public var stateNames: (required: [String], optional: [String]) {
        (required: ["step", "square_avg"] + (momentum > 0 ? ["momentum_buffer"] : []) + (centered ? ["grad_avg"] : []),
         optional: [])
    }

    /// Step 0 and zero buffers.
    public func makeState<Scalar: TensorFloatingPoint>(for parameter: Tensor<Scalar>) -> ParameterState<Scalar> {
        var buffers = ["square_avg": Tensor<Scalar>.zeros(like: parameter)]
        if momentum > 0 { buffers["momentum_buffer"] = Tensor.zeros(like: parameter) }
        if centered { buffers["grad_avg"] = Tensor.zeros(like: parameter) }
        return ParameterState(step: 0, buffers: buffers)
    }

    /// One RMSprop step (see ``RMSprop`` for the formula).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func update<Scalar: TensorFloatingPoint>(
        _ parameter: Tensor<Scalar>, gradient: Tensor<Scalar>, state: inout ParameterState<Scalar>
    ) {
        state.step = (state.step ?? 0) + 1
        rmspropStep(
            parameter: parameter, gradient: gradient, squareAvg: state.buffer("square_avg"),
            gradAvg: centered ? state.buffer("grad_avg") : nil,
            momentumBuffer: momentum > 0 ? state.buffer("momentum_buffer") : nil, options: self)
    }
}

/// The RMSprop update of one parameter, in PyTorch's operation order (`_single_tensor_rmsprop`).
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
func rmspropStep<Scalar: TensorFloatingPoint>(
    parameter: Tensor<Scalar>, gradient: Tensor<Scalar>, squareAvg: Tensor<Scalar>, gradAvg: Tensor<Scalar>?,
    momentumBuffer: Tensor<Scalar>?, options: RMSpropOptions
) {
    parameter.withUnsafeMutableBufferPointer { p in
        gradient.withUnsafeBufferPointer { grad in
            squareAvg.withUnsafeMutableBufferPointer { v in
                switch (gradAvg, momentumBuffer) {
                case (nil, nil):
                    rmspropLoop(p, grad, v, nil, nil, options: options)
                case let (gradAvg?, nil):
                    gradAvg.withUnsafeMutableBufferPointer { rmspropLoop(p, grad, v, $0, nil, options: options) }
                case let (nil, momentumBuffer?):
                    momentumBuffer.withUnsafeMutableBufferPointer { rmspropLoop(p, grad, v, nil, $0, options: options) }
                case let (gradAvg?, momentumBuffer?):
                    gradAvg.withUnsafeMutableBufferPointer { a in
                        momentumBuffer.withUnsafeMutableBufferPointer { rmspropLoop(p, grad, v, a, $0, options: options) }
                    }
                }
            }
        }
    }
}

/// The element loop of ``rmspropStep(parameter:gradient:squareAvg:gradAvg:momentumBuffer:options:)``
/// over the parameter `p`, its gradient, square average `v`, gradient average `gAvg`
/// (centered) and momentum buffer `b`, eight lanes at a time (see VectorLanes.swift) and in
/// chunks: the averages of a chunk and what each square root is taken of, then the roots with
/// ``VectorMath/squareRoot(_:into:count:)``, then the parameters. Each element goes through the
/// same IEEE operations as the formula in ``RMSprop``; the second pass recomputes g.
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
private func rmspropLoop<Scalar: TensorFloatingPoint>(
    _ p: UnsafeMutableBufferPointer<Scalar>, _ grad: UnsafeBufferPointer<Scalar>, _ v: UnsafeMutableBufferPointer<Scalar>,
    _ gAvg: UnsafeMutableBufferPointer<Scalar>?, _ b: UnsafeMutableBufferPointer<Scalar>?, options: RMSpropOptions
) {
    let eps = Scalar(options.eps)
    let alpha = Scalar(options.alpha), weight = Scalar(1 - options.alpha), smallWeight = Swift.abs(weight) < 0.5
    let momentum = Scalar(options.momentum), negativeLR = Scalar(-options.lr)
    let gradient = TransformedGradient(grad, parameter: p, maximize: options.maximize, weightDecay: options.weightDecay)
    forEachChunk(of: p.count) { (chunk, vectorEnd, root: UnsafeMutableBufferPointer<Scalar>) in
        let (start, end) = (chunk.lowerBound, chunk.upperBound)
        // v ← αv + (1 − α)g², and (centered) g_avg ← lerp(g_avg, g, 1 − α): the root's argument.
        for i in stride(from: start, to: vectorEnd, by: 8) {
            let g = gradient.lanes(at: i)
            let square = v.lanes(at: i) * alpha + weight * g * g
            v.setLanes(square, at: i)
            if let gAvg {
                let previous = gAvg.lanes(at: i)
                let average = smallWeight ? previous + weight * (g - previous) : g - (g - previous) * (1 - weight)
                gAvg.setLanes(average, at: i)
                root.setLanes(square + -average * average, at: i - start)
            } else {
                root.setLanes(square, at: i - start)
            }
        }
        for i in vectorEnd..<end {
            let g = gradient[i]
            v[i] = v[i] * alpha + weight * g * g
            if let gAvg {
                gAvg[i] = lerp(gAvg[i], g, weight, small: smallWeight)
                root[i - start] = v[i] + -gAvg[i] * gAvg[i]
            } else {
                root[i - start] = v[i]
            }
        }
        VectorMath.squareRoot(root.baseAddress!, into: root.baseAddress!, count: end - start)
        let r = UnsafeBufferPointer(root)
        for i in stride(from: start, to: vectorEnd, by: 8) {
            let g = gradient.lanes(at: i)
            let denominator = r.lanes(at: i - start) + eps
            if let b {
                let buffer = b.lanes(at: i) * momentum + g / denominator
                b.setLanes(buffer, at: i)
                p.setLanes(p.lanes(at: i) + negativeLR * buffer, at: i)
            } else {
                p.setLanes(p.lanes(at: i) + negativeLR * g / denominator, at: i)
            }
        }
        for i in vectorEnd..<end {
            let g = gradient[i]
            if let b {
                b[i] = b[i] * momentum + g / (r[i - start] + eps)
                p[i] = p[i] + negativeLR * b[i]
            } else {
                p[i] = p[i] + negativeLR * g / (r[i - start] + eps)
            }
        }
    }
}
