import Tensor

/// The keys a non-strict ``Module/loadStateDict(_:strict:)`` skipped
/// (PyTorch's `_IncompatibleKeys`).
public struct IncompatibleKeys: Equatable, Sendable {
    /// The model's keys the state dict did not provide; those parameters kept their values.
    public var missingKeys: [String]
    /// The state dict's keys the model does not have; they were ignored.
    public var unexpectedKeys: [String]

    /// Creates a report.
    public init(missingKeys: [String] = [], unexpectedKeys: [String] = []) {
        self.missingKeys = missingKeys
        self.unexpectedKeys = unexpectedKeys
    }
}

extension Module {
    /// Every parameter by its dotted key, in registration order (`module.state_dict()`).
    ///
    /// The tensors share storage with the parameters and are detached from the graph. A tensor
    /// shared by two modules appears under each key, as in PyTorch.
    public func stateDict() -> StateDict<Scalar> {
        StateDict(allNamedParameters().map { (key: $0.name, value: $0.parameter.detach()) })
    }

    /// Copies the tensors of `stateDict` into the parameters with the same keys, in place
    /// (`module.load_state_dict(state_dict, strict)`), so optimizers holding the parameters see
    /// the new values.
    ///
    /// Every shape must match. When `strict` (the default) the keys must match exactly as well;
    /// otherwise missing and unexpected keys are skipped and returned.
    ///
    /// Nothing is modified when an error is thrown (PyTorch may have copied some tensors by then).
    ///
    /// - Throws: ``StateDictError`` listing every missing key, unexpected key (strict mode) and
    ///   shape mismatch.
    @discardableResult
    public func loadStateDict(_ stateDict: StateDict<Scalar>, strict: Bool = true) throws(StateDictError) -> IncompatibleKeys {
        let parameters = allNamedParameters()
        let modelKeys = Set(parameters.map(\.name))
        let missing = parameters.map(\.name).filter { stateDict[$0] == nil }
        let unexpected = stateDict.keys.filter { !modelKeys.contains($0) }
        let mismatches = parameters.compactMap { key, parameter -> StateDictError.ShapeMismatch? in
            guard let source = stateDict[key], source.shape != parameter.shape else { return nil }
            return .init(key: key, found: source.shape, expected: parameter.shape)
        }
        if !mismatches.isEmpty || (strict && !(missing.isEmpty && unexpected.isEmpty)) {
            throw StateDictError(
                moduleName: String(describing: type(of: self)), missingKeys: strict ? missing : [],
                unexpectedKeys: strict ? unexpected : [], shapeMismatches: mismatches)
        }
        for (key, parameter) in parameters {
            if let source = stateDict[key] { parameter.assign(source) }
        }
        return IncompatibleKeys(missingKeys: missing, unexpectedKeys: unexpected)
    }
}
