import Tensor

/// An optimizer: updates a model's parameters in place from their gradients (`torch.optim.Optimizer`).
///
/// The training loop is PyTorch's:
///
/// ```swift
/// for (x, y) in batches {
///     optimizer.zeroGrad()
///     let loss = lossFunction(model(x), y)
///     loss.backward()
///     optimizer.step()
/// }
/// ```
///
/// Optimizers of different kinds can be held together as `[any Optimizer<Float>]`, e.g. to
/// train copies of a model with SGD, Adam and RMSprop side by side. Schedulers change
/// ``learningRates``.
public protocol Optimizer<Scalar>: AnyObject {
    /// The element type of the parameters.
    associatedtype Scalar: TensorFloatingPoint

    /// The optimizer's name as PyTorch spells it (`"SGD"`, `"AdamW"`), recorded in state dicts.
    var name: String { get }

    /// Every parameter, group by group, in the order state dicts number them.
    var parameters: [Tensor<Scalar>] { get }

    /// The learning rate of each parameter group, in group order (settable, for schedulers).
    var learningRates: [Double] { get set }

    /// The learning rate of each group when the first scheduler was attached to this optimizer
    /// (PyTorch's `param_group["initial_lr"]`), `nil` for a group no scheduler has seen. The first
    /// ``LRScheduler`` sets it; every later one takes its base rates from it, so chained
    /// schedulers and schedulers created mid-training follow PyTorch's rates.
    var initialLearningRates: [Double?] { get set }

    /// Each group's momentum as ``CyclicLR`` and ``OneCycleLR`` cycle it: `momentum` for SGD
    /// and RMSprop, β₁ of `betas` for Adam and AdamW (PyTorch's `use_beta1`); `nil` for an
    /// optimizer without one (Adagrad). Setting it needs one value per group.
    var momenta: [Double]? { get set }

    /// Applies one update to every parameter that has a gradient; parameters whose `grad`
    /// is `nil` are skipped and get no state.
    func step()

    /// Clears every parameter's gradient: sets it to `nil` (`setToNone`, PyTorch's default)
    /// or fills it with zeros.
    func zeroGrad(setToNone: Bool)

    /// The optimizer's state: per-parameter buffers and step counts, and every group's
    /// hyperparameters, in a form that can be saved next to the model.
    func stateDict() -> OptimizerStateDict<Scalar>

    /// Restores a state produced by ``stateDict()`` of an optimizer of the same kind over
    /// parameters of the same shapes, so that training continues exactly as if uninterrupted.
    ///
    /// The state is validated completely before anything changes; a mismatch throws
    /// ``OptimizerError/invalidStateDict(optimizer:message:)``.
    func loadStateDict(_ stateDict: OptimizerStateDict<Scalar>) throws(OptimizerError)
}

extension Optimizer {
    /// Sets every parameter's gradient to `nil` (`optimizer.zero_grad()`).
    public func zeroGrad() { zeroGrad(setToNone: true) }
}
