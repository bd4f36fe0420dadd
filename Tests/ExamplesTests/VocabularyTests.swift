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

    @Test func charactersAreSortedByCodePoint() {
        let (vocabulary, indices) = Vocabulary.indexing("Acknowledgement")
        #expect(vocabulary.description == "Acdegklmnotw")
        #expect(indices.prefix(3) == [0, 1, 5])
    }

    @Test func encodingNamesTheFirstUnknownCharacter() {
        #expect(throws: VocabularyError.unknownCharacter("z")) { try Vocabulary(of: "abc").encode("abzq") }
    }
}
