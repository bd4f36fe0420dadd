import Tensor

/// A set of parameters sharing hyperparameters (one entry of PyTorch's `optimizer.param_groups`).
///
/// Groups are reference types, like PyTorch's group dicts: `optimizer.parameterGroups[1].options.lr = 0.01`
/// changes the learning rate that the next `step()` uses. The parameters of a group are fixed
/// when it is created; add parameters with ``GroupedOptimizer/addParameterGroup(_:)``.
public final class ParameterGroup<Scalar: TensorFloatingPoint, Options: OptimizerOptions> {
    /// The parameters, updated in place by `step()`.
    public let parameters: [Tensor<Scalar>]
    /// This group's hyperparameters.
    public var options: Options
    /// The learning rate when the first scheduler was attached (PyTorch's `initial_lr`), `nil`
    /// before; the base rate of every scheduler of this group.
    public var initialLR: Double?
    /// Each parameter's state, `nil` until its first update.
    var states: [ParameterState<Scalar>?]

    init(parameters: [Tensor<Scalar>], options: Options) {
        self.parameters = parameters
        self.options = options
        self.states = Array(repeating: nil, count: parameters.count)
    }
}

/// A parameter group as requested at construction: its parameters, and how its hyperparameters
/// differ from the optimizer's defaults (PyTorch's `{"params": ..., "weight_decay": 0}` dicts).
///
/// ```swift
/// let optimizer = try SGD([
///     .init(weights),
///     .init(biases) { $0.weightDecay = 0 },   // no weight decay on biases
/// ], lr: 0.1, momentum: 0.9, weightDecay: 5e-4)
/// ```
public struct ParameterGroupSpec<Scalar: TensorFloatingPoint, Options: OptimizerOptions> {
    /// The tensors to optimise.
    public var parameters: [Tensor<Scalar>]
    /// Changes applied to a copy of the optimizer's defaults to give this group's options.
    public var overrides: (inout Options) -> Void

    /// Creates a group of `parameters` whose options are the defaults changed by `overrides`.
    public init(_ parameters: [Tensor<Scalar>], overrides: @escaping (inout Options) -> Void = { _ in }) {
        self.parameters = parameters
        self.overrides = overrides
    }
}
