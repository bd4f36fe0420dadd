import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The two checkpoint formats: safetensors and PyTorch's own `.pt` (`torch.save`).
///
/// Writers choose by extension (``init(forWriting:)``), readers by content
/// (``init(forReading:)``), so a `.bin` or `.pth` from either world opens.
public enum CheckpointFormat: Equatable, Sendable {
    /// A safetensors file (``SafetensorsArchive``).
    case safetensors
    /// A PyTorch zip file (``TorchFile``).
    case torch

    /// The extensions that mean ``torch`` (compared case-insensitively).
    public static let torchExtensions: Set<String> = ["pt", "pth", "bin", "ckpt", "tar"]

    /// The format to write to `url`: ``torch`` for `.pt`, `.pth`, `.bin`, `.ckpt` and `.tar`,
    /// ``safetensors`` otherwise (`.safetensors` and any other name).
    public init(forWriting url: URL) {
        self = Self.torchExtensions.contains(url.pathExtension.lowercased()) ? .torch : .safetensors
    }

    /// The format of the file at `url`: ``torch`` if it starts like a zip archive, ``safetensors``
    /// if it does not; when it is not a readable regular file, the format its extension suggests
    /// (so that that format's reader reports the problem).
    public init(forReading url: URL) {
        guard let head = url.isFileURL ? Self.firstBytes(of: url.path, count: 4) : nil, !head.isEmpty else {
            self.init(forWriting: url)
            return
        }
        self = TorchFile.hasSignature(head) ? .torch : .safetensors
    }

    /// Up to `count` first bytes of the regular file at `path`, opened without blocking (a FIFO
    /// cannot hang the caller); nil if it is not a readable regular file.
    private static func firstBytes(of path: String, count: Int) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return nil }
        defer { _ = close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        var bytes = [UInt8](repeating: 0, count: count)
        let filled = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, count) }
        return filled >= 0 ? Array(bytes.prefix(filled)) : nil
    }
}
