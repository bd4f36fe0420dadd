import Tensor

/// The hyperparameters of ``SGD`` for one parameter group, with PyTorch's defaults.
public struct SGDOptions: OptimizerOptions {
    /// The learning rate γ (PyTorch's default `1e-3`).
    public var lr: Double
    /// The momentum factor μ (0 disables the momentum buffer).
    public var momentum: Double
    /// The dampening τ applied to new gradients in the momentum buffer, from the second step on.
    public var dampening: Double
    /// The L2 penalty λ added to the gradient as `λθ`.
    public var weightDecay: Double
    /// Whether to use Nesterov momentum (requires `momentum > 0` and `dampening == 0`).
    public var nesterov: Bool
    /// Whether to maximise the objective (step along the gradient) instead of minimising it.
    public var maximize: Bool

    /// `momentum`, the value cyclic schedulers vary.
    public var cycledMomentum: Double? {
        get { momentum }
        set { if let newValue { momentum = newValue } }
    }

    /// Creates SGD hyperparameters; the defaults are PyTorch's.
    public init(
        lr: Double = 1e-3, momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0,
        nesterov: Bool = false, maximize: Bool = false
    ) {
        self.lr = lr
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        self.maximize = maximize
    }

    private enum CodingKeys: String, CodingKey {
        case lr, momentum, dampening, nesterov, maximize
        case weightDecay = "weight_decay"
    }

    /// PyTorch's printed options of `SGD`.
    public var printedOptions: [String: String] {
        [
            "dampening": PythonRepr.intOrFloat(dampening), "differentiable": "False", "foreach": "None", "fused": "None",
            "lr": PythonRepr.float(lr), "maximize": PythonRepr.bool(maximize), "momentum": PythonRepr.intOrFloat(momentum),
            "nesterov": PythonRepr.bool(nesterov), "weight_decay": PythonRepr.intOrFloat(weightDecay),
        ]
    }

    /// Rejects a negative learning rate, momentum or weight decay, and Nesterov momentum
    /// without momentum or with dampening, as PyTorch does.
    public func validate(optimizer: String) throws(OptimizerError) {
        func invalid(_ message: String) -> OptimizerError { .invalidHyperparameter(optimizer: optimizer, message: message) }
        guard lr >= 0 else { throw invalid("invalid learning rate: \(lr)") }
        guard momentum >= 0 else { throw invalid("invalid momentum value: \(momentum)") }
        guard weightDecay >= 0 else { throw invalid("invalid weight_decay value: \(weightDecay)") }
        if nesterov && (momentum <= 0 || dampening != 0) {
            throw invalid("Nesterov momentum requires a momentum and zero dampening (momentum \(momentum), dampening \(dampening))")
        }
    }

    /// A `momentum_buffer`, once the first step with momentum has run; no step count.
    public var stateNames: (required: [String], optional: [String]) {
        (required: [], optional: momentum != 0 ? ["momentum_buffer"] : [])
    }

    /// An empty state: the momentum buffer is created from the first gradient.
    public func makeState<Scalar: TensorFloatingPoint>(for parameter: Tensor<Scalar>) -> ParameterState<Scalar> {
        ParameterState()
    }

    /// One SGD step (see ``SGD`` for the formula).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func update<Scalar: TensorFloatingPoint>(
        _ parameter: Tensor<Scalar>, gradient: Tensor<Scalar>, state: inout ParameterState<Scalar>
    ) {
        guard momentum != 0 else {
            sgdStep(parameter: parameter, gradient: gradient, buffer: nil, startsBuffer: false, options: self)
            return
        }
        let existing = state.buffers["momentum_buffer"]
        let buffer = existing ?? Tensor<Scalar>.zeros(like: parameter)
        sgdStep(parameter: parameter, gradient: gradient, buffer: buffer, startsBuffer: existing == nil, options: self)
        state.buffers["momentum_buffer"] = buffer
    }
}

/// The SGD update of one parameter, in PyTorch's operation order (`_single_tensor_sgd`).
/// With `startsBuffer`, the momentum buffer is set to the gradient (PyTorch's first step).
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
func sgdStep<Scalar: TensorFloatingPoint>(
    parameter: Tensor<Scalar>, gradient: Tensor<Scalar>, buffer: Tensor<Scalar>?, startsBuffer: Bool,
    options: SGDOptions
) {
    parameter.withUnsafeMutableBufferPointer { p in
        gradient.withUnsafeBufferPointer { grad in
            if let buffer {
                buffer.withUnsafeMutableBufferPointer {
                    sgdLoop(p, grad, $0, startsBuffer: startsBuffer, options: options)
                }
            } else {
                sgdLoop(p, grad, nil, startsBuffer: false, options: options)
            }
        }
    }
}

/// The element loop of ``sgdStep(parameter:gradient:buffer:startsBuffer:options:)`` over
/// the parameter `p`, its gradient and its momentum buffer `b` (`nil` without momentum).
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
private func sgdLoop<Scalar: TensorFloatingPoint>(
    _ p: UnsafeMutableBufferPointer<Scalar>, _ grad: UnsafeBufferPointer<Scalar>, _ b: UnsafeMutableBufferPointer<Scalar>?,
    startsBuffer: Bool, options: SGDOptions
) {
    let negativeLR = Scalar(-options.lr)
    let momentum = Scalar(options.momentum)
    let gradientScale = Scalar(1 - options.dampening)
    let gradient = TransformedGradient(grad, parameter: p, maximize: options.maximize, weightDecay: options.weightDecay)
    guard let b else {
        for i in 0..<p.count { p[i] = p[i] + negativeLR * gradient[i] }
        return
    }
    switch (startsBuffer, options.nesterov) {
    case (true, false):
        for i in 0..<p.count {
            b[i] = gradient[i]
            p[i] = p[i] + negativeLR * b[i]
        }
    case (true, true):
        for i in 0..<p.count {
            let g = gradient[i]
            b[i] = g
            p[i] = p[i] + negativeLR * (g + momentum * b[i])
        }
    case (false, false):
        for i in 0..<p.count {
            b[i] = b[i] * momentum + gradientScale * gradient[i]
            p[i] = p[i] + negativeLR * b[i]
        }
    case (false, true):
        for i in 0..<p.count {
            let g = gradient[i]
            b[i] = b[i] * momentum + gradientScale * g
            p[i] = p[i] + negativeLR * (g + momentum * b[i])
        }
    }
}
