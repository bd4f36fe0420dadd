/// Why a learning-rate scheduler could not be built or could not load a state dict.
public enum SchedulerError: Error, Equatable, CustomStringConvertible {
    /// An argument is out of range or does not match the optimizer (e.g. one lambda per
    /// group was expected), with PyTorch's wording.
    case invalidArgument(scheduler: String, message: String)
    /// A scheduler state dict is malformed or belongs to a scheduler over another number of groups.
    case invalidStateDict(scheduler: String, message: String)

    /// A one-line explanation naming the scheduler.
    public var description: String {
        switch self {
        case let .invalidArgument(scheduler, message): "\(scheduler): \(message)"
        case let .invalidStateDict(scheduler, message): "\(scheduler): cannot load state dict: \(message)"
        }
    }
}
