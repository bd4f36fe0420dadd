import Tensor

/// An optimizer's complete state, flattened for saving next to a model's parameters
/// (for instance into the same safetensors file, under a prefix).
///
/// The layout follows PyTorch's `optimizer.state_dict()`, with parameters numbered across
/// groups in order (the numbering of ``Optimizer/parameters``):
///
/// - `tensors["state.<i>.<name>"]`: buffer `<name>` of parameter `i` (`state.0.exp_avg`,
///   `state.3.momentum_buffer`, ...), shaped like the parameter; `state.<i>.step` is a 0-d
///   tensor holding the step count. Parameters that have no state yet have no entries.
/// - `metadata["optimizer"]`: the optimizer's name (`"Adam"`).
/// - `metadata["param_groups"]`: a JSON array with one object per group: its hyperparameters
///   under PyTorch's names and `"params"`, the numbers of its parameters, e.g.
///   `[{"amsgrad":false,"betas":[0.9,0.999],"eps":1e-08,"lr":0.001,...,"params":[0,1]}]`.
///
/// Numbers are written in their shortest round-trip form, so a save and load is exact.
public struct OptimizerStateDict<Scalar: TensorFloatingPoint> {
    /// The state tensors, keyed `state.<parameter>.<name>`.
    public var tensors: [String: Tensor<Scalar>]
    /// The optimizer's name and its parameter groups as JSON, keyed `optimizer` and `param_groups`.
    public var metadata: [String: String]

    /// Creates a state dict from its flattened parts, e.g. as read back from a file.
    public init(tensors: [String: Tensor<Scalar>], metadata: [String: String]) {
        self.tensors = tensors
        self.metadata = metadata
    }
}
