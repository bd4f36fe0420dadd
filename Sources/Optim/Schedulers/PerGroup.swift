/// A scheduler argument given once for every parameter group or once per group (PyTorch's
/// `float | list[float]` arguments such as `max_lr`): write `0.1` or `[0.1, 0.01]`, or
/// `.all(value)` / `.each(values)` for variables.
public struct PerGroup: Sendable, Equatable, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral
{
    /// One value for every group, or one per group in group order.
    public enum Values: Sendable, Equatable {
        /// The same value for every group.
        case all(Double)
        /// One value per group.
        case each([Double])
    }

    /// The values as given.
    public let values: Values

    /// The same value for every group.
    public static func all(_ value: Double) -> PerGroup { PerGroup(values: .all(value)) }
    /// One value per group, in group order.
    public static func each(_ values: [Double]) -> PerGroup { PerGroup(values: .each(values)) }

    private init(values: Values) { self.values = values }
    /// The same value for every group.
    public init(floatLiteral value: Double) { values = .all(value) }
    /// The same value for every group.
    public init(integerLiteral value: Int) { values = .all(Double(value)) }
    /// One value per group.
    public init(arrayLiteral elements: Double...) { values = .each(elements) }

    /// One value per group for an optimizer with `groups` groups (PyTorch's `_format_param`).
    ///
    /// - Throws: ``SchedulerError/invalidArgument(scheduler:message:)`` if a list has another length.
    func resolved(_ name: String, groups: Int, scheduler: String) throws(SchedulerError) -> [Double] {
        switch values {
        case let .all(value): return Array(repeating: value, count: groups)
        case let .each(list):
            guard list.count == groups else {
                throw .invalidArgument(
                    scheduler: scheduler,
                    message: "\(name) must have the same length as optimizer.param_groups. \(name) has \(list.count) values, param_groups has \(groups).")
            }
            return list
        }
    }
}
