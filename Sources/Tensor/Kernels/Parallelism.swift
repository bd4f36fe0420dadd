import Foundation

/// How many threads the tensor kernels may use (`torch.set_num_threads`), scoped to a task.
public enum Parallelism {
    /// The most threads one kernel call may use; all active processors unless inside ``withThreads(_:_:)``.
    @TaskLocal public static var maxThreads = ProcessInfo.processInfo.activeProcessorCount
}

/// Runs `body` with the kernels limited to `count` threads (at least 1).
public func withThreads<R>(_ count: Int, _ body: () throws -> R) rethrows -> R {
    try Parallelism.$maxThreads.withValue(Swift.max(1, count), operation: body)
}
