// libFuzzer entry point for the safetensors reader, built by Scripts/fuzz-safetensors.sh together
// with Sources/NN/Serialization/{Safetensors,JSONValue,AtomicFile}.swift as a single module (so
// internal types are visible).
//
// Properties checked on every input, besides "no crash, no sanitizer report":
// - the header JSON parser accepts or rejects the input past the length prefix without trapping;
// - an accepted archive re-serializes, re-reads to an equal archive, and decodes its elements.

/// Feeds one fuzzer input to the JSON parser and to `SafetensorsArchive(bytes:)`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // The parser alone, on everything after the length prefix (a whole header when there is no data).
    _ = try? JSONParser.parse(Array(bytes.dropFirst(8)))
    guard let archive = try? SafetensorsArchive(bytes: bytes) else { return 0 }
    let again = try? SafetensorsArchive(bytes: archive.serialized())
    precondition(again == archive, "serialized archive does not read back equal")
    for entry in archive.tensors.values {
        precondition(entry.floats().count == entry.doubles().count, "element counts differ")
    }
    return 0
}
