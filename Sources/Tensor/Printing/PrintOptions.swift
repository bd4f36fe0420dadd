/// How ``Tensor/description(options:)`` lays a tensor out, with PyTorch's defaults
/// (`torch.set_printoptions`, passed explicitly rather than set globally).
public struct PrintOptions: Sendable, Equatable {
    /// Digits after the decimal point for floating-point elements.
    public var precision: Int
    /// Tensors with more elements than this are summarised: only `edgeItems` entries are
    /// shown at each end of every dimension, with `...` between.
    public var threshold: Int
    /// Entries shown at each end of a summarised dimension.
    public var edgeItems: Int
    /// The line width at which long rows wrap.
    public var lineWidth: Int
    /// `true` forces scientific notation, `false` forbids it; `nil` lets the values decide
    /// (scientific when the largest non-zero magnitude is above 1e8 or more than 1000 times the
    /// smallest, or the smallest is below 1e-4).
    public var scientific: Bool?

    /// Options with PyTorch's defaults: precision 4, threshold 1000, 3 edge items, 80 columns.
    ///
    /// `precision` must be at least 0 and `edgeItems` at least 1 when the options are used.
    public init(precision: Int = 4, threshold: Int = 1000, edgeItems: Int = 3, lineWidth: Int = 80, scientific: Bool? = nil) {
        self.precision = precision
        self.threshold = threshold
        self.edgeItems = edgeItems
        self.lineWidth = lineWidth
        self.scientific = scientific
    }
}
