/// A failure the `examples` command reports as one `error: ...` line.
///
/// A usage error (bad flag or value) exits with status 2; a runtime error (a missing or
/// corrupt file, an unusable text, a diverging loss) exits with status 1.
enum ExamplesError: Error, Equatable, CustomStringConvertible {
    /// The command line is wrong: unknown flag, missing or malformed value.
    case usage(String)
    /// The command line was fine but the work failed.
    case runtime(String)

    /// The process exit status for this error.
    var exitStatus: Int32 {
        switch self {
        case .usage: 2
        case .runtime: 1
        }
    }

    var description: String {
        switch self {
        case .usage(let message), .runtime(let message): message
        }
    }
}
