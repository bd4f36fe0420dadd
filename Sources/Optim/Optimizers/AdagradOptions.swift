import Tensor

/// The hyperparameters of ``Adagrad`` for one parameter group, with PyTorch's defaults.
public struct AdagradOptions: OptimizerOptions {
    /// The learning rate γ.
    public var lr: Double
    /// The learning-rate decay η: step t uses `γ / (1 + (t − 1)η)`.
    public var lrDecay: Double
    /// The L2 penalty λ added to the gradient as `λθ`.
    public var weightDecay: Double
    /// The starting value τ of every element of the sum of squared gradients.
    public var initialAccumulatorValue: Double
    /// The term ε added to the denominator for numerical stability.
    public var eps: Double
    /// Whether to maximise the objective instead of minimising it.
    public var maximize: Bool

    /// Creates Adagrad hyperparameters; the defaults are PyTorch's.
    public init(
        lr: Double = 1e-2, lrDecay: Double = 0, weightDecay: Double = 0, initialAccumulatorValue: Double = 0,
        eps: Double = 1e-10, maximize: Bool = false
    ) {
        self.lr = lr
        self.lrDecay = lrDecay
        self.weightDecay = weightDecay
        self.initialAccumulatorValue = initialAccumulatorValue
        self.eps = eps
        self.maximize = maximize
    }

    private enum CodingKeys: String, CodingKey {
        case lr, eps, maximize
        case lrDecay = "lr_decay"
        case weightDecay = "weight_decay"
        case initialAccumulatorValue = "initial_accumulator_value"
    }

    /// PyTorch's printed options of `Adagrad`.
    public var printedOptions: [String: String] {
        [
            "differentiable": "False", "eps": PythonRepr.float(eps), "foreach": "None", "fused": "None",
            "initial_accumulator_value": PythonRepr.intOrFloat(initialAccumulatorValue), "lr": PythonRepr.float(lr),
            "lr_decay": PythonRepr.intOrFloat(lrDecay), "maximize": PythonRepr.bool(maximize),
            "weight_decay": PythonRepr.intOrFloat(weightDecay),
        ]
    }

    /// Rejects a negative learning rate, learning-rate decay, weight decay, initial
    /// accumulator value or ε, as PyTorch does.
    public func validate(optimizer: String) throws(OptimizerError) {
        func invalid(_ message: String) -> OptimizerError { .invalidHyperparameter(optimizer: optimizer, message: message) }
        guard lr >= 0 else { throw invalid("invalid learning rate: \(lr)") }
        guard lrDecay >= 0 else { throw invalid("invalid lr_decay value: \(lrDecay)") }
        guard weightDecay >= 0 else { throw invalid("invalid weight_decay value: \(weightDecay)") }
        guard initialAccumulatorValue >= 0 else {
            throw invalid("invalid initial_accumulator_value value: \(initialAccumulatorValue)")
        }
        guard eps >= 0 else { throw invalid("invalid epsilon value: \(eps)") }
    }

    /// `step` and `sum`.
    public var stateNames: (required: [String], optional: [String]) { (required: ["step", "sum"], optional: []) }

    /// Step 0 and a sum filled with the initial accumulator value (``Adagrad`` creates it at
    /// construction, as PyTorch does).
    public func makeState<Scalar: TensorFloatingPoint>(for parameter: Tensor<Scalar>) -> ParameterState<Scalar> {
        ParameterState(step: 0, buffers: ["sum": .full(parameter.shape, Scalar(initialAccumulatorValue))])
    }

    /// One Adagrad step (see ``Adagrad`` for the formula).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func update<Scalar: TensorFloatingPoint>(
        _ parameter: Tensor<Scalar>, gradient: Tensor<Scalar>, state: inout ParameterState<Scalar>
    ) {
        let step = (state.step ?? 0) + 1
        state.step = step
        let decayedLR = lr / (1 + (Double(step) - 1) * lrDecay)
        adagradStep(parameter: parameter, gradient: gradient, sum: state.buffer("sum"), decayedLR: decayedLR, options: self)
    }
}

/// The Adagrad update of one parameter, in PyTorch's operation order (`_single_tensor_adagrad`).
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
func adagradStep<Scalar: TensorFloatingPoint>(
    parameter: Tensor<Scalar>, gradient: Tensor<Scalar>, sum: Tensor<Scalar>, decayedLR: Double, options: AdagradOptions
) {
    parameter.withUnsafeMutableBufferPointer { p in
        gradient.withUnsafeBufferPointer { grad in
            sum.withUnsafeMutableBufferPointer { adagradLoop(p, grad, $0, decayedLR: decayedLR, options: options) }
        }
    }
}

/// The element loop of ``adagradStep(parameter:gradient:sum:decayedLR:options:)`` over the
/// parameter `p`, its gradient and the sum of squared gradients `s`, in chunks: the sums of a
/// chunk, then their square roots with ``VectorMath/squareRoot(_:into:count:)`` (Swift's own
/// square root cannot be vectorised on Linux), then the parameters. Each element goes through the
/// same IEEE operations as the scalar formula; the second pass recomputes g (one or two
/// operations) rather than storing it.
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
private func adagradLoop<Scalar: TensorFloatingPoint>(
    _ p: UnsafeMutableBufferPointer<Scalar>, _ grad: UnsafeBufferPointer<Scalar>, _ s: UnsafeMutableBufferPointer<Scalar>,
    decayedLR: Double, options: AdagradOptions
) {
    let eps = Scalar(options.eps), negativeLR = Scalar(-decayedLR)
    let gradient = TransformedGradient(grad, parameter: p, maximize: options.maximize, weightDecay: options.weightDecay)
    forEachChunk(of: p.count) { (chunk, vectorEnd, root: UnsafeMutableBufferPointer<Scalar>) in
        let start = chunk.lowerBound
        for i in stride(from: start, to: vectorEnd, by: 8) {
            let g = gradient.lanes(at: i)
            s.setLanes(s.lanes(at: i) + g * g, at: i)
        }
        for i in vectorEnd..<chunk.upperBound {
            let g = gradient[i]
            s[i] = s[i] + g * g
        }
        VectorMath.squareRoot(s.baseAddress! + start, into: root.baseAddress!, count: chunk.count)
        let r = UnsafeBufferPointer(root)
        for i in stride(from: start, to: vectorEnd, by: 8) {
            let g = gradient.lanes(at: i)
            p.setLanes(p.lanes(at: i) + negativeLR * g / (r.lanes(at: i - start) + eps), at: i)
        }
        for i in vectorEnd..<chunk.upperBound {
            let g = gradient[i]
            p[i] = p[i] + negativeLR * g / (r[i - start] + eps)
        }
    }
}
