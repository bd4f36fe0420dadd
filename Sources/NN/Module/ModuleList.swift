import Tensor

/// An indexed list of submodules (`torch.nn.ModuleList`): element i's parameters are keyed
/// `i.<name>`, so a list stored as `h` gives PyTorch's `h.0.attn.c_attn.weight`.
///
/// ```swift
/// let layers = ModuleList<Float, Linear<Float>>([Linear(4, 4), Linear(4, 2)])
/// layers.namedParameters().map(\.name)  // ["0.weight", "0.bias", "1.weight", "1.bias"]
/// for layer in layers { ... }
/// ```
public final class ModuleList<Scalar: TensorFloatingPoint, Element: Module<Scalar>>: Module<Scalar>, RandomAccessCollection {
    /// The submodules in order.
    public let elements: [Element]

    /// A list of `elements` (`nn.ModuleList(modules)`).
    public init(_ elements: [Element]) {
        self.elements = elements
        super.init()
    }

    /// The submodules keyed `0`, `1`, ...
    public override func namedOwnChildren() -> [(name: String, module: Module<Scalar>)] {
        elements.enumerated().map { (String($0.offset), $0.element) }
    }

    /// 0.
    public var startIndex: Int { 0 }
    /// The number of submodules.
    public var endIndex: Int { elements.count }
    /// The submodule at `index`.
    public subscript(index: Int) -> Element { elements[index] }
}
