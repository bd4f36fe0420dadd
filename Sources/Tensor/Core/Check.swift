/// Traps with `message` when `condition` is false: the framework's check for programmer misuse
/// (a shape mismatch, an index out of range, a second backward through a freed graph), as
/// PyTorch's `TORCH_CHECK`.
///
/// Unlike Swift's `precondition`, whose message is dropped in optimised (`-c release`) builds,
/// this prints its message in every build, so the user of a release program reads
/// `matmul: shapes [1, 14] and [12, 15] cannot be multiplied` instead of a bare
/// `precondition failure`. The message is built only when the check fails.
@inlinable @inline(__always)
public func check(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    if _slowPath(!condition()) { fatalError(message(), file: file, line: line) }
}
