/// A node of the autograd graph: the operation that produced a tensor.
///
/// It holds its inputs and a pullback that maps the gradient of its output to the
/// gradients of its inputs (`nil` for an input that needs none). It never holds its own
/// output, so tensors and nodes form no reference cycle (an ARC leak in Swift).
/// `backward()` releases the inputs and the pullback, freeing everything saved for it.
final class GradFn<Scalar: TensorElement> {
    /// The operation's name, as in PyTorch's `grad_fn` (`"AddBackward"`, `"MatmulBackward"`, ...).
    let name: String
    /// The inputs that require a gradient; the pullback's results line up with them.
    private(set) var inputs: [Tensor<Scalar>]
    private var pullback: ((Tensor<Scalar>) -> [Tensor<Scalar>?])?

    init(name: String, inputs: [Tensor<Scalar>], pullback: @escaping (Tensor<Scalar>) -> [Tensor<Scalar>?]) {
        self.name = name
        self.inputs = inputs
        self.pullback = pullback
    }

    /// Whether `release()` has already run (the graph was used by a `backward()`).
    var isReleased: Bool { pullback == nil }

    /// The gradients of the inputs given the gradient of the output.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func callAsFunction(_ gradient: Tensor<Scalar>) -> [Tensor<Scalar>?] {
        guard let pullback else {
            fatalError(
                "backward: trying to backward through \(name) a second time; "
                    + "its saved values were freed by the first backward (pass retainGraph: true)")
        }
        return pullback(gradient)
    }

    /// Frees the inputs and saved values.
    func release() {
        inputs = []
        pullback = nil
    }
}

/// Whether operations record the autograd graph; `false` inside ``withNoGrad(_:)``.
public enum GradMode {
    /// `true` unless inside ``withNoGrad(_:)`` (task-local, so concurrent tasks do not interfere).
    @TaskLocal public static var isEnabled = true
}

/// Runs `body` without recording the autograd graph (`with torch.no_grad():`).
///
/// Results computed inside do not require gradients; use it for inference and for
/// in-place parameter updates.
public func withNoGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$isEnabled.withValue(false, operation: body)
}

/// Runs `body` with graph recording enabled again (`with torch.enable_grad():`).
public func withGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$isEnabled.withValue(true, operation: body)
}

extension Tensor {
    /// Whether gradients flow to this tensor: set by the user on leaves, inherited by results.
    ///
    /// Setting it is allowed on leaves only, as in PyTorch.
    public var requiresGrad: Bool {
        get { gradFn != nil || leafRequiresGrad }
        set {
            check(gradFn == nil, "requiresGrad: only leaf tensors can change requiresGrad; use detach()")
            leafRequiresGrad = newValue
        }
    }

    /// Whether this tensor was created by the user rather than by a recorded operation.
    public var isLeaf: Bool { gradFn == nil }

    /// The name of the operation that produced this tensor (`x.grad_fn` in PyTorch), if any.
    public var gradFnName: String? { gradFn?.name }

    /// Keeps this non-leaf tensor's gradient in `grad` during `backward()` (`x.retain_grad()`).
    public func retainGrad() {
        if gradFn != nil { retainsGrad = true }
    }

    /// Sets `requiresGrad` and returns `self`, for chaining (`x.requires_grad_()`).
    @discardableResult
    public func requiringGrad(_ flag: Bool = true) -> Tensor {
        requiresGrad = flag
        return self
    }

    /// Makes this freshly computed tensor the differentiable result of `inputs`
    /// (PyTorch's `torch.autograd.Function`): when grad mode is on and any input requires a
    /// gradient, a graph node named `name` is attached and `self` is returned.
    ///
    /// `pullback` receives dL/dself and returns one gradient per element of `inputs`, each
    /// with that input's shape, or `nil` where none is needed (check `input.requiresGrad` to
    /// skip work). It runs under no-grad. It must not capture `self` (capture `self.detach()`
    /// instead): a node that holds its own output is a reference cycle, which leaks.
    /// Inside ``withAnomalyDetection(_:_:)`` the recorded result is scanned for NaN and infinity.
    ///
    /// ```swift
    /// let y = Tensor(shape: x.shape, scalars: x.scalars.map { $0 * $0 })
    ///     .recording("SquareBackward", [x]) { g in [g * x * 2] }
    /// ```
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func recording(
        _ name: String, _ inputs: [Tensor<Scalar>],
        _ pullback: @escaping (Tensor<Scalar>) -> [Tensor<Scalar>?]
    ) -> Tensor<Scalar> {
        guard GradMode.isEnabled, inputs.contains(where: { $0.requiresGrad }) else { return self }
        gradFn = GradFn(name: name, inputs: inputs, pullback: pullback)
        // Anomaly detection (withAnomalyDetection): one task-local read per recorded op when off.
        if let detector = AnomalyDetector.current { detector.checkForward(name, result: self, inputs: inputs) }
        return self
    }

    /// Whether an operation on these inputs would record a graph node (grad mode is on and
    /// one of them requires a gradient): lets a custom operation skip saving values for backward.
    public static func needsGraph(_ inputs: Tensor<Scalar>...) -> Bool {
        GradMode.isEnabled && inputs.contains(where: { $0.requiresGrad })
    }
}
