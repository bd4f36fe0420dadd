// libFuzzer entry point for the `.pt` reader, built by Scripts/fuzz-torch.sh together with the
// Foundation-only files of Sources/NN/Serialization/Torch/ (and AtomicFile, RegularFile) as a
// single module, so internal types are visible.
//
// Every input is read twice, besides "no crash, no sanitizer report, no leak":
// - as a whole file (zip reader, then unpickler);
// - as the data.pkl of a well-formed zip whose storage records "0" and "1" hold the input too, so
//   that mutations reach the unpickler and the tensor rebuild directly.
// An accepted file must serialize, read back to the same value, and convert every tensor.

/// Feeds one fuzzer input to `TorchFile(bytes:)` as a file and as a pickle.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    check(bytes)
    var zip = ZipWriter()
    zip.add("archive/data.pkl", bytes)
    zip.add("archive/data/0", bytes)
    zip.add("archive/data/1", bytes.prefix(8))
    check(zip.finished())
    return 0
}

/// Reads `bytes`; if accepted, checks that the value converts, serializes and reads back equal.
private func check(_ bytes: [UInt8]) {
    guard let file = try? TorchFile(bytes: bytes) else { return }
    let summary = describe(file.value)
    // Values with keys Python cannot hash (lists, dicts, tensors) are refused when writing.
    guard let written = try? file.serialized() else { return }
    guard let again = try? TorchFile(bytes: written) else {
        fatalError("a serialized file does not read back")
    }
    guard describe(again.value) == summary else {
        fatalError("a serialized file reads back different:\n\(summary)\n\(describe(again.value))")
    }
}

/// A text rendering of `value` with every tensor's elements (bit patterns, so NaN equals NaN).
private func describe(_ value: TorchValue) -> String {
    switch value {
    case .none: return "None"
    case .bool(let flag): return String(flag)
    case .int(let number): return "i\(number)"
    case .float(let number): return "f\(number.bitPattern)"
    case .string(let text): return text.debugDescription
    case .list(let items): return "[" + items.map(describe).joined(separator: ",") + "]"
    case .tuple(let items): return "(" + items.map(describe).joined(separator: ",") + ")"
    case .dict(let dictionary):
        return "{" + dictionary.entries.map { describe($0.key) + ":" + describe($0.value) }.joined(separator: ",") + "}"
    case .tensor(let tensor):
        let elements = tensor.values(as: Double.self).map { String($0.bitPattern) }.joined(separator: ",")
        return "T\(tensor.dtype)\(tensor.shape)\(tensor.requiresGrad)\(tensor.isParameter)[\(elements)]"
    }
}
