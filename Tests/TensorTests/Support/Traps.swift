import Testing

/// Expects the trap that ended an exit test (`#expect(processExitsWith: .failure, observing:
/// [\.standardErrorContent]) { ... }`) to have written a message containing `message`.
func expectTrapMessage(
    _ result: ExitTest.Result?, contains message: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    let output = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(output.contains(message), "the trap's message was: \(output)", sourceLocation: sourceLocation)
}
