extension Tensor {
    /// The elements converted to another element type (`x.to(dtype)`), outside the graph.
    ///
    /// Booleans convert to 0 and 1; floating-point values to integers truncate toward zero.
    public func converted<Target: TensorElement>(to type: Target.Type) -> Tensor<Target> {
        map { Target(converting: $0.doubleValue) }
    }
}
