import Tensor

extension Module {
    /// Calls `body` on every submodule and then on this module (`module.apply(fn)`: children
    /// first, depth first, as PyTorch); returns `self`.
    ///
    /// ```swift
    /// model.apply { if let linear = $0 as? Linear<Float> { Init.zeros(linear.bias!) } }
    /// ```
    @discardableResult
    public func apply(_ body: (Module<Scalar>) -> Void) -> Self {
        var seen: Set<ObjectIdentifier> = []
        func visit(_ module: Module<Scalar>) {
            guard seen.insert(ObjectIdentifier(module)).inserted else { return }
            for child in module.children() { visit(child) }
            body(module)
        }
        visit(self)
        return self
    }

    /// Sets `requiresGrad` on every parameter (`module.requires_grad_(flag)`): `false` freezes the
    /// module, so backward leaves its parameters' gradients `nil`; returns `self`.
    @discardableResult
    public func requiringGrad(_ flag: Bool = true) -> Self {
        for parameter in parameters() { parameter.requiresGrad = flag }
        return self
    }

    /// The number of scalars in the parameters that require a gradient (PyTorch's
    /// `sum(p.numel() for p in model.parameters() if p.requires_grad)`).
    public var trainableParameterCount: Int { parameters().filter(\.requiresGrad).reduce(0) { $0 + $1.count } }
}
