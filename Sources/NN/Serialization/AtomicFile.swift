import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash-safe whole-file writes: readers see either the old file or the complete new one, never a
/// truncated mix, even if the process or the machine dies in the middle.
///
/// ``write(_:to:)`` writes the bytes to a uniquely named temporary file in the destination's directory,
/// flushes it to stable storage (`fsync`), renames it over the destination (atomic on POSIX file
/// systems), then flushes the directory so the rename itself is durable. If any step before the rename
/// fails, the temporary file is removed and the destination is left untouched.
///
/// Use it for every file the program produces (checkpoints, CSV logs, SVG plots):
///
/// ```swift
/// try AtomicFile.write(Array(csv.utf8), to: URL(fileURLWithPath: "losses.csv"))
/// try AtomicFile.write(svgText, to: plotURL)
/// ```
///
/// A symbolic link at the destination is followed: its target is replaced (in the target's
/// directory) and the link stays. An existing file keeps its permission bits (and, where the
/// process may, its owner and group); a new one gets `0666` masked by the umask. Anything at the
/// destination that is not a regular file (a directory, a device such as `/dev/null`, a FIFO) is
/// refused, never replaced. Temporary files left behind by a writer that was killed mid-write
/// (named with its process id) are removed by the next write to the same destination.
public enum AtomicFile {
    /// Atomically replaces (or creates) the file at `url` with `bytes`.
    ///
    /// - Parameters:
    ///   - bytes: The complete new contents.
    ///   - url: A `file:` URL; its directory must exist and be writable.
    /// - Throws: ``AtomicFileError`` naming the step that failed. For every case but
    ///   ``AtomicFileError/directorySyncFailed(directory:reason:)`` the destination is unchanged and no
    ///   temporary file remains; that one means the new contents are in place but may not survive a
    ///   power loss.
    public static func write(_ bytes: [UInt8], to url: URL) throws(AtomicFileError) {
        guard url.isFileURL else { throw .notAFileURL(url.absoluteString) }
        let destination = try resolveLinks(url.standardizedFileURL)
        let path = destination.path
        let directory = destination.deletingLastPathComponent().path
        let existing = try existingRegularFile(at: path)
        removeStaleTemporaries(in: directory, for: destination.lastPathComponent)
        let (descriptor, temporaryPath) = try createTemporaryFile(in: directory, for: destination.lastPathComponent)
        var descriptorIsOpen = true
        do throws(AtomicFileError) {
            if let existing {
                // Keep the old file's permissions; its owner and group where the process may set them.
                guard fchmod(descriptor, existing.st_mode & 0o7777) == 0 else {
                    throw .writeFailed(path: temporaryPath, reason: lastErrorText())
                }
                _ = fchown(descriptor, existing.st_uid, existing.st_gid)
            }
            try writeAll(bytes, to: descriptor, path: temporaryPath)
            guard fsync(descriptor) == 0 else { throw .syncFailed(path: temporaryPath, reason: lastErrorText()) }
            // The descriptor is released even when close reports an error, so never close it twice.
            descriptorIsOpen = false
            guard close(descriptor) == 0 else { throw .writeFailed(path: temporaryPath, reason: lastErrorText()) }
            guard rename(temporaryPath, path) == 0 else {
                throw .renameFailed(from: temporaryPath, to: path, reason: lastErrorText())
            }
        } catch {
            if descriptorIsOpen { _ = close(descriptor) }
            _ = unlink(temporaryPath)
            throw error
        }
        try syncDirectory(directory)
    }

    /// Atomically replaces (or creates) the file at `url` with the UTF-8 encoding of `text`.
    ///
    /// - Throws: ``AtomicFileError``, as ``write(_:to:)``.
    public static func write(_ text: String, to url: URL) throws(AtomicFileError) {
        try write(Array(text.utf8), to: url)
    }

    // MARK: Steps

    /// `url` with symbolic links followed to the file they name (which need not exist yet), so
    /// that the write replaces the link's target and keeps the link. More than 40 links in a row
    /// (a loop) is an error.
    private static func resolveLinks(_ url: URL) throws(AtomicFileError) -> URL {
        var current = url
        for _ in 0..<40 {
            var status = stat()
            guard lstat(current.path, &status) == 0, (status.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current.path, &buffer, buffer.count - 1)
            guard count > 0 else { throw .notARegularFile(path: current.path, kind: "an unreadable symbolic link") }
            let target = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = (target.hasPrefix("/")
                ? URL(fileURLWithPath: target)
                : current.deletingLastPathComponent().appendingPathComponent(target)).standardizedFileURL
        }
        throw .notARegularFile(path: url.path, kind: "a loop of symbolic links")
    }

    /// The status of the regular file at `path`, `nil` when nothing is there; anything else there
    /// (a directory, a device, a FIFO, a socket) is refused.
    private static func existingRegularFile(at path: String) throws(AtomicFileError) -> stat? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        let kind = status.st_mode & S_IFMT
        guard kind == S_IFREG else { throw .notARegularFile(path: path, kind: RegularFile.kindName(kind)) }
        return status
    }

    /// The temporary-name prefix for `name`: `.<name>.tmp-`, the name shortened so that the whole
    /// temporary name stays within the 255-byte file name limit.
    private static func temporaryPrefix(for name: String) -> String {
        var stem = Substring(name)
        while stem.utf8.count > 200 { stem = stem.dropLast() }
        return "." + stem + ".tmp-"
    }

    /// Removes `<directory>/.<name>.tmp-<pid>-*` files whose writer process no longer exists (a
    /// write killed before its rename). Temporaries of live writers are left alone.
    private static func removeStaleTemporaries(in directory: String, for name: String) {
        let prefix = temporaryPrefix(for: name)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            let rest = entry.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]), pid > 0 else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH {
                _ = unlink(directory + "/" + entry)
            }
        }
    }

    /// Creates `<directory>/.<name>.tmp-<pid>-<random>` exclusively; retries on the (unlikely)
    /// name clash.
    private static func createTemporaryFile(
        in directory: String, for name: String
    ) throws(AtomicFileError) -> (descriptor: Int32, path: String) {
        let prefix = temporaryPrefix(for: name) + "\(getpid())-"
        let attempts = 16
        for _ in 0..<attempts {
            let suffix = String(UInt64.random(in: .min ... .max), radix: 36)
            let path = directory + "/" + prefix + suffix
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if descriptor >= 0 { return (descriptor, path) }
            if errno != EEXIST {
                throw .temporaryFileCreationFailed(directory: directory, reason: lastErrorText())
            }
        }
        throw .temporaryFileCreationFailed(directory: directory, reason: "\(attempts) random names were all taken")
    }

    /// Writes all of `bytes`, continuing after short writes and `EINTR`.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(AtomicFileError) {
        let failure: String? = bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = posixWrite(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return lastErrorText()
                }
                offset += written
            }
            return nil
        }
        if let failure { throw .writeFailed(path: path, reason: failure) }
    }

    /// Flushes the directory entry created by the rename. File systems that cannot sync directories
    /// (`EINVAL`) are accepted as they are.
    private static func syncDirectory(_ directory: String) throws(AtomicFileError) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .directorySyncFailed(directory: directory, reason: lastErrorText()) }
        defer { _ = close(descriptor) }
        guard fsync(descriptor) == 0 || errno == EINVAL else {
            throw .directorySyncFailed(directory: directory, reason: lastErrorText())
        }
    }

    private static func lastErrorText() -> String {
        String(cString: strerror(errno))
    }
}

/// The C library's `write(2)`, reachable under another name inside ``AtomicFile`` whose own `write`
/// methods shadow it.
private func posixWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}

/// Why ``AtomicFile/write(_:to:)`` failed. Each case names the path involved and the system's reason
/// (`strerror` text).
public enum AtomicFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The URL is not a `file:` URL (its absolute string is attached).
    case notAFileURL(String)
    /// Something other than a regular file is at the destination (`kind` says what: a directory,
    /// a device, a FIFO, a loop of symbolic links); it was left as it is.
    case notARegularFile(path: String, kind: String)
    /// The temporary file could not be created in `directory` (missing, not writable, disk full...).
    /// Nothing was written.
    case temporaryFileCreationFailed(directory: String, reason: String)
    /// Writing or closing the temporary file failed; it was removed and the destination is unchanged.
    case writeFailed(path: String, reason: String)
    /// `fsync` of the temporary file failed; it was removed and the destination is unchanged.
    case syncFailed(path: String, reason: String)
    /// Renaming the temporary file over the destination failed (for example because the destination
    /// is a directory); the temporary file was removed and the destination is unchanged.
    case renameFailed(from: String, to: String, reason: String)
    /// The new file is in place, but flushing its directory failed, so the rename may not survive a
    /// power loss.
    case directorySyncFailed(directory: String, reason: String)

    /// One human-readable line naming the failed step, the path and the reason.
    public var description: String {
        switch self {
        case .notAFileURL(let url):
            "atomic write: \(url) is not a file URL"
        case .notARegularFile(let path, let kind):
            "atomic write: refusing to replace \(path): it is \(kind), not a regular file"
        case .temporaryFileCreationFailed(let directory, let reason):
            "atomic write: cannot create a temporary file in \(directory): \(reason)"
        case .writeFailed(let path, let reason):
            "atomic write: writing \(path) failed: \(reason)"
        case .syncFailed(let path, let reason):
            "atomic write: fsync of \(path) failed: \(reason)"
        case .renameFailed(let from, let to, let reason):
            "atomic write: renaming \(from) to \(to) failed: \(reason)"
        case .directorySyncFailed(let directory, let reason):
            "atomic write: fsync of directory \(directory) failed: \(reason)"
        }
    }
}
