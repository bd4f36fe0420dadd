import Tensor

/// Named submodules in insertion order (`torch.nn.ModuleDict`): the submodule under `name`
/// has its parameters keyed `name.<key>`.
///
/// ```swift
/// let heads = ModuleDict<Float>([("policy", Linear(8, 4)), ("value", Linear(8, 1))])
/// heads["value"]  // the Linear(8, 1)
/// ```
public final class ModuleDict<Scalar: TensorFloatingPoint>: Module<Scalar> {
    /// The names and submodules, in order.
    public let entries: [(name: String, module: Module<Scalar>)]

    /// A dictionary of `entries` (`nn.ModuleDict(dict(...))`).
    ///
    /// - Precondition: the names are distinct, non-empty and contain no `.`.
    public init(_ entries: [(name: String, module: Module<Scalar>)]) {
        check(
            Set(entries.map(\.name)).count == entries.count
                && entries.allSatisfy { !$0.name.isEmpty && !$0.name.contains(".") },
            "ModuleDict: names must be distinct, non-empty and without '.', got \(entries.map(\.name))")
        self.entries = entries
        super.init()
    }

    /// The submodules under their names.
    public override func namedOwnChildren() -> [(name: String, module: Module<Scalar>)] { entries }

    /// The names, in order (`module_dict.keys()`).
    public var keys: [String] { entries.map(\.name) }

    /// The submodule named `name`, if any.
    public subscript(name: String) -> Module<Scalar>? { entries.first { $0.name == name }?.module }
}
