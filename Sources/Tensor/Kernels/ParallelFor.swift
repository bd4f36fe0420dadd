import Dispatch

/// Runs `body(part)` for every `part` in `0..<parts` and returns when all have finished: on the
/// calling thread alone when `parts <= 1`, otherwise concurrently on Dispatch's worker threads
/// (one fork and join for the whole loop, so callers give each part a long-running piece of work).
@usableFromInline
func parallelFor(_ parts: Int, _ body: @Sendable (_ part: Int) -> Void) {
    if parts <= 1 {
        if parts == 1 { body(0) }
        return
    }
    DispatchQueue.concurrentPerform(iterations: parts, execute: body)
}

/// The half-open range of `count` items that part `part` of `parts` covers, when the items are
/// split into `parts` contiguous ranges whose sizes differ by at most one.
@usableFromInline
func partRange(_ part: Int, of parts: Int, count: Int) -> Range<Int> {
    (part * count / parts)..<((part + 1) * count / parts)
}
