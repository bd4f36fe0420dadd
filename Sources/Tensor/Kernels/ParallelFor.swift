import CKernels

/// Splits `0..<count` into `parts` contiguous ranges whose sizes differ by at most one and runs
/// `body` on each non-empty one, returning when all have finished: on the calling thread alone
/// when `parts <= 1`, otherwise concurrently on the calling thread and `CKernels`' workers
/// (``forEachPart(_:threads:_:)``; one fork and join for the whole loop, so callers give each
/// range a long-running piece of work).
@usableFromInline
func parallelFor(_ count: Int, parts: Int, _ body: @Sendable (_ range: Range<Int>) -> Void) {
    guard count > 0 else { return }
    guard parts > 1 else { return body(0..<count) }
    forEachPart(parts) { part in
        let range = (part * count / parts)..<((part + 1) * count / parts)
        if !range.isEmpty { body(range) }
    }
}

/// Calls `body(part)` once for every part in `0..<parts`, concurrently on the calling thread and
/// up to `threads - 1` of `CKernels`' worker threads (`ck_parallel_for`: the same threads as the
/// shared GEMM products, which poll briefly between regions instead of sleeping), and returns when
/// all calls have returned. Started inside a part, or while another thread's loop runs, it calls
/// every part on the calling thread, in order.
///
/// The worker threads do not see the caller's task-local values: a limit on the instruction set
/// (``GEMM/instructionSetLimit``) is set again around every part, so that the products a part
/// runs honour it wherever it runs.
@usableFromInline
func forEachPart(
    _ parts: Int, threads: Int = Parallelism.maxThreads, _ body: @Sendable (_ part: Int) -> Void
) {
    let limit = GEMM.instructionSetLimit
    withoutActuallyEscaping(body) { body in
        var partBody = body
        if let limit {
            partBody = { part in
                GEMM.$instructionSetLimit.withValue(limit) { body(part) }
            }
        }
        let loop = PartLoop(partBody)
        withExtendedLifetime(loop) {
            ck_parallel_for(parts, threads, { context, part in
                Unmanaged<PartLoop>.fromOpaque(context!).takeUnretainedValue().body(part)
            }, Unmanaged.passUnretained(loop).toOpaque())
        }
    }
}

/// The body of a ``forEachPart(_:threads:_:)`` loop, handed to the C workers through an opaque pointer.
@usableFromInline
final class PartLoop: Sendable {
    /// Runs one part.
    @usableFromInline let body: @Sendable (Int) -> Void
    /// Wraps `body`.
    @usableFromInline init(_ body: @escaping @Sendable (Int) -> Void) { self.body = body }
}

/// The fewest elements a loop splits over threads (``parallelForElements(_:minimumCount:_:)``,
/// ``parallelForRows(_:width:_:)``): below that a fork and join costs more than it saves.
@usableFromInline let parallelMinimumElements = 65_536

/// Splits the elements `0..<count` of an elementwise loop into ranges that start at multiples of
/// 64 and runs `body` on each: on up to ``Parallelism/maxThreads`` threads from `minimumCount`
/// elements (``parallelMinimumElements`` by default), on the calling thread alone otherwise.
/// Only the last range ends off a multiple of 64, so vector kernels see the same full vectors and
/// the same tail whatever the thread count. Public for the elementwise loops of other modules
/// (the optimizers' updates).
public func parallelForElements(
    _ count: Int, minimumCount: Int = parallelMinimumElements, _ body: @Sendable (_ range: Range<Int>) -> Void
) {
    guard count > 0 else { return }
    let blocks = (count + 63) / 64
    let parts = count >= minimumCount ? Swift.min(Parallelism.maxThreads, blocks) : 1
    guard parts > 1 else { return body(0..<count) }
    parallelFor(blocks, parts: parts) { range in
        body((range.lowerBound * 64)..<Swift.min(range.upperBound * 64, count))
    }
}

/// Calls `body` with blocks of whole rows covering `0..<rows` (each `width` elements): on up to
/// ``Parallelism/maxThreads`` threads from ``parallelMinimumElements`` elements in all, on the
/// calling thread alone otherwise. No row's arithmetic depends on the thread count.
@inline(__always)
func parallelForRows(_ rows: Int, width: Int, _ body: @Sendable (_ rows: Range<Int>) -> Void) {
    parallelFor(rows, parts: rows * width >= parallelMinimumElements ? Swift.min(Parallelism.maxThreads, rows) : 1, body)
}

/// Calls `body` with ranges of columns covering `0..<width` of a `[rows, width]` accumulation
/// (column sums, rows added into other rows): on up to ``Parallelism/maxThreads`` threads, at
/// least 64 columns each, from ``parallelMinimumElements`` elements in all, on the calling thread
/// alone otherwise. Each column is summed by one thread in the same order whatever the count.
@inline(__always)
func parallelForColumns(_ width: Int, rows: Int, _ body: @Sendable (_ columns: Range<Int>) -> Void) {
    let parts = rows * width >= parallelMinimumElements ? Swift.min(Parallelism.maxThreads, Swift.max(1, width / 64)) : 1
    parallelFor(width, parts: parts, body)
}
