import Foundation

/// A PyTorch `.pt` file (`torch.save`'s zip format, PyTorch >= 1.6): one ``TorchValue``,
/// typically a state dict or a checkpoint dict, with its tensors.
///
/// Reading is what `torch.load(path, weights_only=True)` does, and no more: the zip reader accepts
/// stored records only, and the restricted unpickler builds plain values, tensors and storages from
/// an allow-list (see ``TorchFileError`` for every refusal). Every size, offset and stride is checked
/// against the file before use; memory stays proportional to the file's size. The file is read
/// once; tensors view its bytes until converted.
///
/// Writing produces files that `torch.load(path, weights_only=True)` in PyTorch 2.15 reads
/// without a warning, laid out as `torch.save` lays them out.
///
/// ```swift
/// let checkpoint = try TorchFile(contentsOf: URL(fileURLWithPath: "ckpt.pt"))
/// print(checkpoint.value["iter_num"]?.int ?? 0)
/// try TorchFile(value: .dict(TorchDictionary([("step", .int(1))]))).write(to: URL(fileURLWithPath: "out.pt"))
/// ```
public struct TorchFile: Sendable {
    /// The value saved in the file.
    public var value: TorchValue

    /// The name of the directory holding the records of files written here (`torch.save` uses the
    /// file's base name; readers take whatever the first record's directory is).
    static let archiveName = "archive"

    /// A file holding `value`, to be written.
    public init(value: TorchValue) {
        self.value = value
    }

    /// Reads the `.pt` file at `url`.
    ///
    /// - Throws: ``TorchFileError/fileNotFound(path:)`` or ``TorchFileError/unreadableFile(path:reason:)``,
    ///   otherwise any error of ``init(bytes:)``.
    public init(contentsOf url: URL) throws(TorchFileError) {
        try self.init(bytes: Self.readFile(url))
    }

    /// Parses and validates a complete `.pt` file held in memory.
    ///
    /// - Throws: ``TorchFileError`` naming the first problem found.
    public init(bytes: [UInt8]) throws(TorchFileError) {
        let zip = try ZipReader(bytes: bytes)
        guard let first = zip.names.first, let slash = first.firstIndex(of: "/") else { throw .missingPickle }
        let prefix = String(first[..<slash]) + "/"
        guard let pickle = zip.records[prefix + "data.pkl"] else { throw .missingPickle }
        if let order = zip.records[prefix + "byteorder"], !bytes[order].elementsEqual("little".utf8) {
            throw .malformedZip(reason: "byteorder is not \"little\" (big-endian files are not supported)")
        }
        var unpickler = Unpickler(Array(bytes[pickle])) { key in
            zip.records[prefix + "data/" + key].map { bytes[$0] }
        }
        value = try unpickler.load()
    }

    /// Whether `bytes` (a file's first four bytes suffice) start like a zip archive, as `.pt` files do.
    public static func hasSignature(_ bytes: some Sequence<UInt8>) -> Bool {
        bytes.prefix(4).elementsEqual([0x50, 0x4b, 0x03, 0x04])
    }

    /// The complete file contents.
    ///
    /// - Throws: ``TorchFileError/unwritableValue(reason:)`` for a dict key Python cannot hash.
    public func serialized() throws(TorchFileError) -> [UInt8] {
        var pickler = Pickler()
        try pickler.finish(value)
        var zip = ZipWriter()
        let prefix = Self.archiveName + "/"
        zip.add(prefix + "data.pkl", pickler.bytes)
        zip.add(prefix + ".format_version", Array("1".utf8))
        zip.add(prefix + ".storage_alignment", Array(String(ZipWriter.alignment).utf8))
        zip.add(prefix + "byteorder", Array("little".utf8))
        for (key, storage) in pickler.storages {
            zip.add(prefix + "data/" + key, storage.bytes.prefix(storage.count * storage.dtype.byteSize))
        }
        zip.add(prefix + "version", Array("3\n".utf8))
        return zip.finished()
    }

    /// Writes the file atomically (see ``AtomicFile``): on failure any previous file is left intact.
    ///
    /// - Throws: any error of ``serialized()``, or ``TorchFileError/writeFailed(_:)``.
    public func write(to url: URL) throws(TorchFileError) {
        let bytes = try serialized()
        do throws(AtomicFileError) {
            try AtomicFile.write(bytes, to: url)
        } catch {
            throw .writeFailed(error)
        }
    }

    /// Reads a whole regular file (``RegularFile``), so that every failure maps to a precise error.
    private static func readFile(_ url: URL) throws(TorchFileError) -> [UInt8] {
        guard url.isFileURL else { throw .unreadableFile(path: url.absoluteString, reason: "not a file URL") }
        do {
            return try RegularFile.read(url.path)
        } catch .notFound(let path) {
            throw .fileNotFound(path: path)
        } catch {
            throw .unreadableFile(path: error.path, reason: error.reason)
        }
    }
}
