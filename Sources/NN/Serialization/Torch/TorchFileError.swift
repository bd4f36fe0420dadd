/// Everything that can go wrong reading or writing a PyTorch `.pt` file, one case per problem.
///
/// ``description`` is a single line starting with `pt:`; names taken from the file appear quoted
/// with Swift escapes so that hostile names cannot break the line.
public enum TorchFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No file exists at `path`.
    case fileNotFound(path: String)
    /// The file exists but cannot be read (permissions, a directory, an I/O error...).
    case unreadableFile(path: String, reason: String)
    /// The file is not a zip archive (no end-of-central-directory record): not a `torch.save` file
    /// of PyTorch 1.6 or later. Legacy (pre-1.6) pickled files are not supported.
    case notAZip
    /// The zip archive's structure is damaged or hostile; `reason` names the problem.
    case malformedZip(reason: String)
    /// An entry is compressed (`method` is not 0, "stored") or encrypted; `torch.save` writes stored entries.
    case compressedEntry(name: String, method: Int)
    /// The archive has no `<archive>/data.pkl` record.
    case missingPickle
    /// The pickle refers to storage `key`, but the archive has no `<archive>/data/<key>` record.
    case missingStorage(key: String)
    /// A storage record holds `actual` bytes, fewer than its `count` elements of `dtype` need.
    case shortRecord(key: String, expected: Int, actual: Int)
    /// A tensor's offset, shape and strides reach outside its storage of `count` elements (or are
    /// negative, or overflow `Int`).
    case viewOutsideStorage(key: String, offset: Int, shape: [Int], strides: [Int], count: Int)
    /// The pickle ends before its `STOP` opcode (at byte `offset`).
    case truncatedPickle(offset: Int)
    /// The pickle uses an opcode a weights-only load does not allow (`opcode` is its byte).
    case forbiddenOpcode(opcode: UInt8, offset: Int)
    /// The pickle names a global other than `collections.OrderedDict`, the tensor rebuild functions
    /// and the storage types: loading it would run arbitrary code.
    case forbiddenGlobal(String, offset: Int)
    /// The pickle is well formed opcode by opcode but builds something invalid; `reason` says what.
    case malformedPickle(reason: String, offset: Int)
    /// The pickle builds a value nested more than 200 containers deep (or a cycle), larger than its
    /// size allows (shared containers expanding exponentially), or a view repeating more than
    /// ``TorchTensor/maximumRepeatedCount`` elements of a smaller storage.
    case valueTooLarge(reason: String)
    /// A storage type other than the supported ones (see ``TorchDType``), e.g. `ComplexFloatStorage`.
    case unsupportedStorage(String)
    /// The file holds no state dict: its top-level value is not a dict of tensors (nor a dict with one
    /// under `model`, `state_dict` or `model_state_dict`); `found` describes what it holds.
    case notAStateDict(found: String)
    /// The state dict entry `key` is not a tensor (`found` says what it is).
    case notATensor(key: String, found: String)
    /// A checkpoint's entry does not have the structure expected of it; `reason` says which and why.
    case invalidCheckpoint(reason: String)
    /// The value cannot be written as a `.pt` file; `reason` names the problem (e.g. a dict key
    /// that is neither a string, an int nor a float).
    case unwritableValue(reason: String)
    /// Writing: the file could not be written; the previous file, if any, is intact.
    case writeFailed(AtomicFileError)

    /// One human-readable line naming the problem.
    public var description: String {
        "pt: " + problem
    }

    private var problem: String {
        switch self {
        case .fileNotFound(let path):
            "no file at \(path)"
        case .unreadableFile(let path, let reason):
            "cannot read \(path): \(reason)"
        case .notAZip:
            "not a zip archive (torch.save writes zip files since PyTorch 1.6; legacy files are not supported)"
        case .malformedZip(let reason):
            "malformed zip archive: \(reason)"
        case .compressedEntry(let name, let method):
            "zip entry \(name.debugDescription) is compressed or encrypted (method \(method)); only stored entries, as torch.save writes them, are supported"
        case .missingPickle:
            "the archive has no data.pkl record"
        case .missingStorage(let key):
            "the archive has no record for storage \(key.debugDescription)"
        case .shortRecord(let key, let expected, let actual):
            "the record of storage \(key.debugDescription) has \(actual) bytes, its elements need \(expected)"
        case .viewOutsideStorage(let key, let offset, let shape, let strides, let count):
            "a tensor with offset \(offset), shape \(shape) and strides \(strides) does not fit in storage \(key.debugDescription) of \(count) elements"
        case .truncatedPickle(let offset):
            "data.pkl is truncated at byte \(offset)"
        case .forbiddenOpcode(let opcode, let offset):
            "data.pkl uses pickle opcode 0x\(String(opcode, radix: 16)) at byte \(offset), which a weights-only load does not allow"
        case .forbiddenGlobal(let name, let offset):
            "data.pkl refers to the global \(name.debugDescription) at byte \(offset); a weights-only load allows only OrderedDict, tensor rebuild functions and storage types"
        case .malformedPickle(let reason, let offset):
            "data.pkl is malformed at byte \(offset): \(reason)"
        case .valueTooLarge(let reason):
            "data.pkl builds a value too large to read: \(reason)"
        case .unsupportedStorage(let name):
            "storage type \(name.debugDescription) is not supported (float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8 and bool are)"
        case .notAStateDict(let found):
            "the file holds no state dict of tensors (it holds \(found))"
        case .notATensor(let key, let found):
            "state dict entry \(key.debugDescription) is \(found), not a tensor"
        case .invalidCheckpoint(let reason):
            "invalid checkpoint: \(reason)"
        case .unwritableValue(let reason):
            "cannot write the value: \(reason)"
        case .writeFailed(let error):
            "write failed: \(error)"
        }
    }
}
