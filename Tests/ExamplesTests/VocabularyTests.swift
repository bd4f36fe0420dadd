import Experiments
import Testing

/// The coursework's vocabulary: Python's `sorted(set(text))`, and the text's indices in it.
struct VocabularyTests {
    @Test(arguments: ["Acknowledgement", "To be, or not to be", "naïve café ☕︎", "a"])
    func indexingIsTheVocabularyThenItsEncoding(text: String) throws {
        let (vocabulary, indices) = Vocabulary.indexing(text)
        #expect(vocabulary == Vocabulary(of: text))
        #expect(indices == (try vocabulary.encode(text)))
        #expect(vocabulary.decode(indices) == text)
    }

    @Test("the characters are Python's sorted(set(text)), ASCII or not, and decode what they encode",
          arguments: ["naïve café ☕︎", "\u{7F}\u{80}\u{0}z", "To be, or not to be"])
    func charactersAreTheSortedSet(text: String) throws {
        let vocabulary = Vocabulary(of: text)
        #expect(vocabulary.characters == Set(text.unicodeScalars).sorted { $0.value < $1.value })
        #expect(vocabulary.decode(try vocabulary.encode(text)) == text)
    }

    @Test func charactersAreSortedByCodePoint() {
        let (vocabulary, indices) = Vocabulary.indexing("Acknowledgement")
        #expect(vocabulary.description == "Acdegklmnotw")
        #expect(indices.prefix(3) == [0, 1, 5])
    }

    @Test func encodingNamesTheFirstUnknownCharacter() {
        #expect(throws: VocabularyError.unknownCharacter("z")) { try Vocabulary(of: "abc").encode("abzq") }
    }
}
