import Foundation

/// Refuses a command line whose outputs would overwrite its inputs or each other:
/// `charrnn --file book.txt --save book.txt` would replace the book with a checkpoint.
///
/// Files are compared by identity (device and inode, through symbolic links) where they exist,
/// and by their resolved path where an output does not exist yet. One pair is allowed: a
/// checkpoint read with `--init`, `--resume` or `--checkpoint` may be replaced by `--save`, the
/// usual way to continue a run in place (it is read whole before anything is written, and the
/// write is atomic).
enum PathConflicts {
    /// Options whose value is a file the command reads.
    static let inputs = ["--file", "--init", "--resume", "--checkpoint", "--corpus"]
    /// Options whose value is a file the command writes.
    static let outputs = ["--save", "--losses", "--evals", "--csv", "--svg"]
    /// Inputs that `--save` may replace.
    static let replaceableBySave: Set<String> = ["--init", "--resume", "--checkpoint"]

    /// - Throws: a usage error naming the two options that name the same file.
    static func check(_ options: ParsedOptions) throws(ExamplesError) {
        let given = { (names: [String]) in names.compactMap { name in options.string(name).map { (name, $0) } } }
        let written = given(outputs), read = given(inputs)
        for (index, (output, path)) in written.enumerated() {
            let identity = FileIdentity(path)
            for (input, inputPath) in read where identity == FileIdentity(inputPath) {
                if output == "--save" && replaceableBySave.contains(input) { continue }
                throw .usage("\(output) '\(path)' is the same file as \(input) '\(inputPath)': refusing to overwrite an input")
            }
            for (other, otherPath) in written[..<index] where identity == FileIdentity(otherPath) {
                throw .usage("\(output) '\(path)' is the same file as \(other) '\(otherPath)'")
            }
        }
    }
}

/// What makes two paths the same file: device and inode for an existing file (symbolic links
/// followed), otherwise the absolute path with its directory's links resolved.
private enum FileIdentity: Equatable {
    case node(device: UInt64, inode: UInt64)
    case path(String)

    init(_ path: String) {
        var status = stat()
        if stat(path, &status) == 0 {
            self = .node(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
        } else {
            let url = URL(fileURLWithPath: path).standardizedFileURL
            let directory = url.deletingLastPathComponent().resolvingSymlinksInPath()
            self = .path(directory.appendingPathComponent(url.lastPathComponent).path)
        }
    }
}
