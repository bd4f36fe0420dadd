extension Module: CustomStringConvertible {
    /// The module tree as PyTorch prints it (`print(model)`): the type name, its
    /// ``extraDescription`` and, indented, each submodule with its key.
    ///
    /// ```
    /// CharRNN(
    ///   (rnn): RNN(12, 15, batch_first=True)
    ///   (fc): Linear(in_features=15, out_features=12, bias=True)
    /// )
    /// ```
    public var description: String {
        let typeName = String(describing: type(of: self))
        let name = typeName.prefix { $0 != "<" }
        let children = namedOwnChildren()
        guard !children.isEmpty else { return "\(name)(\(extraDescription))" }
        var lines = ["\(name)("]
        if !extraDescription.isEmpty { lines.append("  " + extraDescription) }
        for (key, child) in children {
            lines.append("  (\(key)): " + child.description.replacingOccurrences(of: "\n", with: "\n  "))
        }
        lines.append(")")
        return lines.joined(separator: "\n")
    }
}

/// A Bool as Python prints it.
func pythonBool(_ value: Bool) -> String { value ? "True" : "False" }
