import Tensor

/// The machinery every optimizer here shares: parameter groups with their own options,
/// lazily created per-parameter state, `step()`, `zeroGrad()` and state dicts.
///
/// ``SGD``, ``Adam``, ``AdamW``, ``Adagrad`` and ``RMSprop`` are subclasses that only add
/// PyTorch-style initialisers; the update rule lives in `Options`
/// (see ``OptimizerOptions/update(_:gradient:state:)``).
public class GroupedOptimizer<Scalar: TensorFloatingPoint, Options: OptimizerOptions>: Optimizer {
    /// The optimizer's name as PyTorch spells it, e.g. `"Adam"`.
    public let name: String
    /// The options that new groups start from (PyTorch's `optimizer.defaults`).
    public let defaults: Options
    /// The parameter groups, in order. Change a group's hyperparameters through its `options`.
    public private(set) var parameterGroups: [ParameterGroup<Scalar, Options>] = []

    /// Creates an optimizer named `name` over `groups`, each starting from `defaults`.
    ///
    /// - Throws: ``OptimizerError`` if an option is invalid, no parameters are given, a
    ///   parameter is not a leaf, or a parameter appears twice.
    public init(name: String, groups: [ParameterGroupSpec<Scalar, Options>], defaults: Options) throws(OptimizerError) {
        self.name = name
        self.defaults = defaults
        try defaults.validate(optimizer: name)
        guard groups.contains(where: { !$0.parameters.isEmpty }) else {
            throw .emptyParameterList(optimizer: name)
        }
        for group in groups { try addParameterGroup(group) }
    }

    /// Adds a group of parameters with its own options (`optimizer.add_param_group`), e.g. to
    /// unfreeze layers while fine-tuning. Its options start from ``defaults``.
    ///
    /// - Throws: ``OptimizerError`` if an option is invalid, a parameter is not a leaf, or a
    ///   parameter is already optimised by this optimizer.
    public func addParameterGroup(_ spec: ParameterGroupSpec<Scalar, Options>) throws(OptimizerError) {
        var options = defaults
        spec.overrides(&options)
        try options.validate(optimizer: name)
        let groupIndex = parameterGroups.count
        var seen = Set(parameters.map(ObjectIdentifier.init))
        for (index, parameter) in spec.parameters.enumerated() {
            guard parameter.isLeaf else {
                throw .nonLeafParameter(optimizer: name, group: groupIndex, index: index)
            }
            guard seen.insert(ObjectIdentifier(parameter)).inserted else {
                throw .duplicateParameter(optimizer: name, group: groupIndex, index: index)
            }
        }
        parameterGroups.append(ParameterGroup(parameters: spec.parameters, options: options))
    }

    /// Every parameter, group by group, in the order state dicts number them.
    public var parameters: [Tensor<Scalar>] { parameterGroups.flatMap { $0.parameters } }

    /// The learning rate of each parameter group, in group order (settable, for schedulers).
    public var learningRates: [Double] {
        get { parameterGroups.map { $0.options.lr } }
        set {
            check(
                newValue.count == parameterGroups.count,
                "\(name).learningRates: \(newValue.count) values for \(parameterGroups.count) parameter groups")
            for (group, lr) in zip(parameterGroups, newValue) { group.options.lr = lr }
        }
    }

    /// Each group's ``ParameterGroup/initialLR`` (PyTorch's `initial_lr`), in group order.
    public var initialLearningRates: [Double?] {
        get { parameterGroups.map { $0.initialLR } }
        set {
            check(
                newValue.count == parameterGroups.count,
                "\(name).initialLearningRates: \(newValue.count) values for \(parameterGroups.count) parameter groups")
            for (group, lr) in zip(parameterGroups, newValue) { group.initialLR = lr }
        }
    }

    /// Each group's ``OptimizerOptions/cycledMomentum``, or `nil` if the options have none.
    public var momenta: [Double]? {
        get {
            let values = parameterGroups.compactMap { $0.options.cycledMomentum }
            return values.count == parameterGroups.count ? values : nil
        }
        set {
            guard let newValue else { return }
            check(
                newValue.count == parameterGroups.count && defaults.cycledMomentum != nil,
                "\(name).momenta: \(newValue.count) values for \(parameterGroups.count) parameter groups of an optimizer with\(defaults.cycledMomentum == nil ? "out" : "") momentum")
            for (group, momentum) in zip(parameterGroups, newValue) { group.options.cycledMomentum = momentum }
        }
    }

    /// The state kept for `parameter`, or `nil` if it has not been updated yet or is not
    /// optimised by this optimizer (`optimizer.state[p]`).
    public func state(for parameter: Tensor<Scalar>) -> ParameterState<Scalar>? {
        for group in parameterGroups {
            if let index = group.parameters.firstIndex(where: { $0 === parameter }) { return group.states[index] }
        }
        return nil
    }

    /// Applies one update to every parameter that has a gradient, under no-grad, in place.
    ///
    /// Parameters whose `grad` is `nil` are skipped and get no state.
    // A class method is compiled generically, where every generic type it touches costs a
    // run-time metadata lookup (7.6 % of an acknowledgement step): hence a specialization
    // per built-in optimizer and precision, and indices rather than `enumerated()` for the rest.
    @_specialize(where Scalar == Float, Options == AdamOptions)
    @_specialize(where Scalar == Double, Options == AdamOptions)
    @_specialize(where Scalar == Float, Options == SGDOptions)
    @_specialize(where Scalar == Double, Options == SGDOptions)
    @_specialize(where Scalar == Float, Options == RMSpropOptions)
    @_specialize(where Scalar == Double, Options == RMSpropOptions)
    @_specialize(where Scalar == Float, Options == AdagradOptions)
    @_specialize(where Scalar == Double, Options == AdagradOptions)
    public func step() {
        withNoGrad {
            for group in parameterGroups {
                for index in 0..<group.parameters.count {
                    let parameter = group.parameters[index]
                    guard let gradient = parameter.grad else { continue }
                    check(
                        gradient.shape == parameter.shape,
                        "\(name).step: gradient of shape \(gradient.shape) for a parameter of shape \(parameter.shape)")
                    check(
                        !gradient.sharesStorage(with: parameter),
                        "\(name).step: a parameter's gradient shares its storage")
                    var state = group.states[index] ?? group.options.makeState(for: parameter)
                    group.options.update(parameter, gradient: gradient, state: &state)
                    group.states[index] = state
                }
            }
        }
    }

    /// Sets every parameter's gradient to `nil` (`setToNone`) or fills it with zeros.
    public func zeroGrad(setToNone: Bool) {
        // A counted range, as in step(): this body runs generically, where even `indices` and
        // iterators are calls that look up metadata.
        for group in parameterGroups {
            for index in 0..<group.parameters.count {
                let parameter = group.parameters[index]
                guard let gradient = parameter.grad else { continue }
                if setToNone {
                    parameter.grad = nil
                } else {
                    gradient.withUnsafeMutableBufferPointer { $0.update(repeating: .zero) }
                }
            }
        }
    }
}
