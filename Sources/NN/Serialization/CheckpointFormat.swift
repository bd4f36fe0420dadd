import Foundation

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
    /// if it does not; when it cannot be read, the format its extension suggests (so that the
    /// reader reports the problem).
    public init(forReading url: URL) {
        guard url.isFileURL, let handle = try? FileHandle(forReadingFrom: url) else {
            self.init(forWriting: url)
            return
        }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 4), !head.isEmpty else {
            self.init(forWriting: url)
            return
        }
        self = TorchFile.hasSignature(head) ? .torch : .safetensors
    }
}
