import Foundation

/// Makes the process's standard descriptors safe to use before anything else opens a file.
enum StandardStreams {
    /// Reopens each of standard input, output and error that the process started without (as
    /// after `2>&-`) on `/dev/null`, so that no file the program opens later (a checkpoint)
    /// takes descriptor 1 or 2 and receives console text; and ignores `SIGPIPE`, so that a closed
    /// pipe is a write error (``Console``) rather than a silent death.
    ///
    /// - Returns: the descriptors that were closed; the console reports writing to them as a failure.
    static func prepare() -> Set<Int32> {
        signal(SIGPIPE, SIG_IGN)
        var closed: Set<Int32> = []
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(descriptor, F_GETFD) == -1 {
            closed.insert(descriptor)
            let reopened = open("/dev/null", descriptor == STDIN_FILENO ? O_RDONLY : O_WRONLY)
            if reopened >= 0 && reopened != descriptor {
                _ = dup2(reopened, descriptor)
                _ = close(reopened)
            }
        }
        return closed
    }
}
