import Tensor

/// What an optimizer remembers about one parameter between steps (PyTorch's `optimizer.state[p]`).
///
/// Buffers have the parameter's shape and PyTorch's names: `momentum_buffer` (SGD, RMSprop),
/// `exp_avg`, `exp_avg_sq`, `max_exp_avg_sq` (Adam, AdamW), `sum` (Adagrad),
/// `square_avg`, `grad_avg` (RMSprop). The state is created on the first step at which the
/// parameter has a gradient.
public struct ParameterState<Scalar: TensorFloatingPoint> {
    /// The number of updates applied so far (PyTorch's `state["step"]`), or `nil` for
    /// optimizers that do not count steps (SGD).
    public var step: Int?
    /// The per-parameter buffers, keyed by PyTorch's names.
    public var buffers: [String: Tensor<Scalar>]

    /// Creates a state from a step count and named buffers.
    public init(step: Int? = nil, buffers: [String: Tensor<Scalar>] = [:]) {
        self.step = step
        self.buffers = buffers
    }

    /// The buffer named `name`; traps if it is missing (the optimizer creates every buffer it reads).
    func buffer(_ name: String) -> Tensor<Scalar> {
        guard let buffer = buffers[name] else {
            fatalError("optimizer state has no '\(name)' buffer (it has \(buffers.keys.sorted()))")
        }
        return buffer
    }
}
