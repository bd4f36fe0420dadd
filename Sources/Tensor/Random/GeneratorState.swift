/// Everything that determines a ``Generator``'s future draws (`generator.get_state()`): the
/// Mersenne Twister's 624 words and position, and the spare normal sample, if any. Restoring it
/// with ``Generator/setState(_:)`` continues the stream exactly, e.g. when resuming training.
public struct GeneratorState: Equatable, Sendable {
    /// The Mersenne Twister's state words (624).
    public var words: [UInt32]
    /// The position of the next word in ``words`` (624: twist before the next draw).
    public var index: Int
    /// The second value of the last one-at-a-time Box-Muller pair.
    public var spareNormal: Double?

    /// The state as one line of text: the index, the spare normal (`-` for none, else its bit
    /// pattern in hexadecimal) and the words, separated by spaces.
    public var serialized: String {
        ([String(index), spareNormal.map { String($0.bitPattern, radix: 16) } ?? "-"] + words.map { String($0) })
            .joined(separator: " ")
    }

    /// Parses ``serialized``; `nil` unless it holds an index in 0...624, a spare and 624 words.
    public init?(serialized text: String) {
        let parts = text.split(separator: " ")
        guard parts.count == 626, let index = Int(parts[0]), (0...624).contains(index) else { return nil }
        var spare: Double?
        if parts[1] != "-" {
            guard let bits = UInt64(parts[1], radix: 16) else { return nil }
            spare = Double(bitPattern: bits)
        }
        var words: [UInt32] = []
        words.reserveCapacity(624)
        for part in parts.dropFirst(2) {
            guard let word = UInt32(part) else { return nil }
            words.append(word)
        }
        self.init(words: words, index: index, spareNormal: spare)
    }

    init(words: [UInt32], index: Int, spareNormal: Double?) {
        self.words = words
        self.index = index
        self.spareNormal = spareNormal
    }
}

extension Generator {
    /// A copy of the complete state (`generator.get_state()`).
    public func getState() -> GeneratorState {
        withState { GeneratorState(words: $0.engine.state, index: $0.engine.index, spareNormal: $0.spareNormal) }
    }

    /// Restores a state taken by ``getState()`` (`generator.set_state(state)`).
    ///
    /// - Precondition: `state` has 624 words and an index in 0...624.
    public func setState(_ state: GeneratorState) {
        check(state.words.count == 624 && (0...624).contains(state.index), "Generator.setState: invalid state")
        withState {
            $0.engine.state = state.words
            $0.engine.index = state.index
            $0.spareNormal = state.spareNormal
        }
    }
}
