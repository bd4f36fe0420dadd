import Tensor

/// The base class of every layer and model (`torch.nn.Module`).
///
/// A subclass declares its parameters and submodules as stored properties; there is nothing to
/// register. `Module` finds them by reflection:
///
/// - parameters: properties of type `Tensor<Scalar>`, `Tensor<Scalar>?` and `[Tensor<Scalar>]`;
/// - submodules: properties whose type is a `Module<Scalar>` subclass, optionals of one, and
///   arrays of them.
///
/// Keys follow PyTorch: a property's name, dotted with its submodule's key (`fc.bias`), array
/// elements numbered (`layers.0.weight`). Order is declaration order, superclass properties
/// first, which is PyTorch's registration order for a model whose `__init__` assigns its
/// attributes in the same order. Other stored properties (sizes, flags, integer tensors) are
/// ignored. A layer whose storage cannot spell PyTorch's names overrides
/// ``namedOwnParameters()`` (the recurrent layers do).
///
/// ```swift
/// final class Classifier: Module<Float> {
///     let hidden = Linear<Float>(4, 16)
///     let output = Linear<Float>(16, 3)
///
///     func callAsFunction(_ x: Tensor<Float>) -> Tensor<Float> { output(hidden(x).relu()) }
/// }
/// Classifier().namedParameters().map(\.name)  // ["hidden.weight", "hidden.bias", "output.weight", "output.bias"]
/// ```
///
/// The element type is fixed when the model is built (`Module<Float>` or `Module<Double>`); to
/// move weights between the two, load a converted ``StateDict``.
open class Module<Scalar: TensorFloatingPoint> {
    /// Whether the module is in training mode (`module.training`): `true` after ``train(_:)``,
    /// `false` after ``eval()``. Only some layers (``Dropout``, the dropout between recurrent
    /// layers) behave differently.
    public private(set) var isTraining = true

    /// Creates a module in training mode.
    public init() {}

    // MARK: - Discovery hooks

    /// This module's own parameters (not its submodules'), with their local names, in
    /// registration order.
    ///
    /// The default reflects over stored properties (see the type's overview). Override it when a
    /// layer's storage cannot express PyTorch's names; the result must name each tensor once.
    open func namedOwnParameters() -> [(name: String, parameter: Tensor<Scalar>)] {
        var result: [(name: String, parameter: Tensor<Scalar>)] = []
        for (label, value) in storedProperties() {
            if let tensor = value as? Tensor<Scalar> {
                result.append((label, tensor))
            } else if let tensors = value as? [Tensor<Scalar>] {
                result += tensors.enumerated().map { ("\(label).\($0.offset)", $0.element) }
            }
        }
        return result
    }

    /// This module's direct submodules with their local names, in registration order.
    ///
    /// The default reflects over stored properties (see the type's overview).
    open func namedOwnChildren() -> [(name: String, module: Module<Scalar>)] {
        var result: [(name: String, module: Module<Scalar>)] = []
        for (label, value) in storedProperties() {
            if let module = value as? Module<Scalar> {
                result.append((label, module))
            } else if let modules = value as? [Module<Scalar>] {
                result += modules.enumerated().map { ("\(label).\($0.offset)", $0.element) }
            }
        }
        return result
    }

    /// The labels and values of the stored properties of every class from the one below `Module`
    /// down to the dynamic type, superclass properties first.
    private func storedProperties() -> [(label: String, value: Any)] {
        var levels: [Mirror] = []
        var mirror: Mirror? = Mirror(reflecting: self)
        while let current = mirror, current.subjectType != Module<Scalar>.self {
            levels.append(current)
            mirror = current.superclassMirror
        }
        return levels.reversed().flatMap { level in
            level.children.compactMap { child in child.label.map { ($0, child.value) } }
        }
    }

    // MARK: - Traversal

    /// The direct submodules (`module.children()`).
    public final func children() -> [Module<Scalar>] { namedOwnChildren().map(\.module) }

    /// The direct submodules with their names (`module.named_children()`).
    public final func namedChildren() -> [(name: String, module: Module<Scalar>)] { namedOwnChildren() }

    /// This module and every submodule below it, depth first, each once, with dotted names; this
    /// module's name is `""` (`module.named_modules()`).
    public final func namedModules() -> [(name: String, module: Module<Scalar>)] {
        var seen: Set<ObjectIdentifier> = []
        var result: [(name: String, module: Module<Scalar>)] = []
        func visit(_ module: Module<Scalar>, _ prefix: String) {
            guard seen.insert(ObjectIdentifier(module)).inserted else { return }
            result.append((prefix, module))
            for (name, child) in module.namedOwnChildren() {
                visit(child, prefix.isEmpty ? name : "\(prefix).\(name)")
            }
        }
        visit(self, "")
        return result
    }

    /// This module and every submodule below it, depth first, each once (`module.modules()`).
    public final func modules() -> [Module<Scalar>] { namedModules().map(\.module) }

    /// Every parameter of this module and its submodules with its dotted key
    /// (`module.named_parameters()`): `"rnn.weight_ih_l0"`, `"fc.bias"`, `"layers.0.weight"`.
    ///
    /// A tensor shared by two modules is listed once, under its first key.
    public final func namedParameters() -> [(name: String, parameter: Tensor<Scalar>)] {
        var seen: Set<ObjectIdentifier> = []
        return allNamedParameters().filter { seen.insert(ObjectIdentifier($0.parameter)).inserted }
    }

    /// Every parameter of this module and its submodules, each once (`module.parameters()`),
    /// in the order of ``namedParameters()``: the list to hand to an optimizer.
    public final func parameters() -> [Tensor<Scalar>] { namedParameters().map(\.parameter) }

    /// Every parameter with its dotted key, shared tensors repeated under each key (the entries of
    /// ``stateDict()``).
    final func allNamedParameters() -> [(name: String, parameter: Tensor<Scalar>)] {
        var result = namedOwnParameters()
        for (name, child) in namedOwnChildren() {
            result += child.allNamedParameters().map { ("\(name).\($0.name)", $0.parameter) }
        }
        return result
    }

    /// The number of scalars in all parameters (`sum(p.numel() for p in module.parameters())`).
    public final var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }

    /// The layer's settings as PyTorch's `extra_repr()` prints them (`in_features=4, out_features=2,
    /// bias=True`), shown inside the parentheses of ``description``; empty by default.
    open var extraDescription: String { "" }

    // MARK: - Modes and gradients

    /// Sets training mode (`true`) or evaluation mode (`false`) on this module and every
    /// submodule (`module.train(mode)`); returns `self`.
    @discardableResult
    public final func train(_ mode: Bool = true) -> Self {
        for module in modules() { module.isTraining = mode }
        return self
    }

    /// Sets evaluation mode on this module and every submodule (`module.eval()`); returns `self`.
    @discardableResult
    public final func eval() -> Self { train(false) }

    /// Clears the gradient of every parameter (`module.zero_grad()`, which sets them to `None`).
    public final func zeroGrad() {
        for parameter in parameters() { parameter.grad = nil }
    }
}
