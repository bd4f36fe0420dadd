import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading a whole input file safely: only regular files are read (a FIFO, a device or a
/// directory named as a checkpoint or a text is refused at once instead of blocking forever or
/// reading without end), and every failure is a precise ``RegularFileError``.
public enum RegularFile {
    /// The bytes of the regular file at `path`.
    ///
    /// The file is opened without blocking (so opening a FIFO with no writer cannot hang), its type
    /// is checked on the open descriptor (no race with a rename), and its size, taken from the file
    /// system rather than from its contents, is checked against `maximumBytes` before anything is
    /// allocated.
    ///
    /// - Throws: ``RegularFileError``.
    public static func read(_ path: String, maximumBytes: Int = .max) throws(RegularFileError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            if errno == ENOENT { throw .notFound(path: path) }
            throw .unreadable(path: path, reason: lastErrorText())
        }
        defer { _ = close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .unreadable(path: path, reason: lastErrorText()) }
        let kind = status.st_mode & S_IFMT
        guard kind == S_IFREG else { throw .notARegularFile(path: path, kind: kindName(kind)) }
        guard status.st_size <= maximumBytes else {
            throw .tooLarge(path: path, bytes: Int(status.st_size), limit: maximumBytes)
        }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var filled = 0
        while true {
            if filled == bytes.count {
                // The file may have grown since fstat; keep reading until end of file, within the limit.
                guard bytes.count < maximumBytes else { break }
                bytes.append(contentsOf: repeatElement(0, count: Swift.min(64 * 1024, maximumBytes - bytes.count)))
            }
            let count = bytes.withUnsafeMutableBytes { buffer in
                posixRead(descriptor, buffer.baseAddress.map { $0 + filled }, buffer.count - filled)
            }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw .unreadable(path: path, reason: lastErrorText())
            }
            if count == 0 { break }
            filled += count
        }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// A few words for a file type (`st_mode & S_IFMT`) that is not a regular file: `a FIFO`.
    static func kindName(_ kind: mode_t) -> String {
        switch kind {
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "not a regular file"
        }
    }

    private static func lastErrorText() -> String {
        String(cString: strerror(errno))
    }
}

/// The C library's `read(2)`, reachable under another name inside ``RegularFile`` whose own `read`
/// method shadows it.
private func posixRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

/// Why ``RegularFile/read(_:maximumBytes:)`` failed.
public enum RegularFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing exists at `path`.
    case notFound(path: String)
    /// `path` is a directory, FIFO, device or socket (`kind` says which).
    case notARegularFile(path: String, kind: String)
    /// The file has more bytes than the reader accepts.
    case tooLarge(path: String, bytes: Int, limit: Int)
    /// Opening or reading failed (the system's reason, `strerror` text).
    case unreadable(path: String, reason: String)

    /// The path the error is about.
    public var path: String {
        switch self {
        case .notFound(let path), .notARegularFile(let path, _), .tooLarge(let path, _, _), .unreadable(let path, _): path
        }
    }

    /// Why, in a few words, without the path: `no such file`, `it is a FIFO, not a regular file`.
    public var reason: String {
        switch self {
        case .notFound: "no such file"
        case .notARegularFile(_, let kind): "it is \(kind), not a regular file"
        case .tooLarge(_, let bytes, let limit): "it has \(bytes) bytes, more than the \(limit) accepted"
        case .unreadable(_, let reason): reason
        }
    }

    /// `cannot read 'PATH': REASON`.
    public var description: String { "cannot read '\(path)': \(reason)" }
}
