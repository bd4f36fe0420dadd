import Dispatch

/// Splits `0..<count` into `parts` contiguous ranges whose sizes differ by at most one and runs
/// `body` on each non-empty one, returning when all have finished: on the calling thread alone
/// when `parts <= 1`, otherwise concurrently on Dispatch's worker threads (one fork and join for
/// the whole loop, so callers give each range a long-running piece of work).
@usableFromInline
func parallelFor(_ count: Int, parts: Int, _ body: @Sendable (_ range: Range<Int>) -> Void) {
    guard count > 0 else { return }
    guard parts > 1 else { return body(0..<count) }
    DispatchQueue.concurrentPerform(iterations: parts) { part in
        let range = (part * count / parts)..<((part + 1) * count / parts)
        if !range.isEmpty { body(range) }
    }
}
