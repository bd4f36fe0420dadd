import Tensor

/// The characters of a text, as Python's `sorted(set(text))` sees them: distinct Unicode
/// scalars sorted by code point. Index i is the one-hot position of character i.
public struct Vocabulary: Equatable, Sendable, CustomStringConvertible {
    /// The characters in index order.
    public let characters: [Unicode.Scalar]
    private let indices: [Unicode.Scalar: Int]
    /// The index of each ASCII character, -1 where absent: corpora are mostly ASCII, and reading
    /// a table beats hashing into `indices` (a megabyte of text indexes about 10× faster).
    private let asciiIndices: [Int]

    /// The vocabulary of `text`.
    public init(of text: String) {
        var seen = [Bool](repeating: false, count: 128)
        var others = Set<Unicode.Scalar>()
        for scalar in text.unicodeScalars {
            if scalar.isASCII { seen[Int(scalar.value)] = true } else { others.insert(scalar) }
        }
        let ascii = (0..<128).filter { seen[$0] }.map { Unicode.Scalar(UInt8($0)) }
        self.init(characters: ascii + others.sorted { $0.value < $1.value })
    }

    /// The vocabulary of `text` and the index of every character of `text` in it: ``init(of:)``
    /// then ``encode(_:)``, which cannot fail on the vocabulary's own text.
    public static func indexing(_ text: String) -> (vocabulary: Vocabulary, indices: [Int]) {
        let vocabulary = Vocabulary(of: text)
        return (vocabulary, text.unicodeScalars.map { vocabulary.index(of: $0)! })
    }

    /// A vocabulary with exactly these characters in this order (e.g. read from a checkpoint).
    ///
    /// - Precondition: the characters are distinct.
    public init(characters: [Unicode.Scalar]) {
        self.characters = characters
        indices = Dictionary(characters.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        check(indices.count == characters.count, "Vocabulary: duplicate characters")
        var asciiIndices = [Int](repeating: -1, count: 128)
        for (index, scalar) in characters.enumerated() where scalar.isASCII { asciiIndices[Int(scalar.value)] = index }
        self.asciiIndices = asciiIndices
    }

    /// The number of characters (the model's input and output size).
    public var count: Int { characters.count }

    /// The characters as one string, in index order (stored in checkpoints as `vocabulary`).
    public var description: String { String(String.UnicodeScalarView(characters)) }

    /// The index of `character`, or `nil` if it is not in the vocabulary.
    public func index(of character: Unicode.Scalar) -> Int? {
        guard character.isASCII else { return indices[character] }
        let index = asciiIndices[Int(character.value)]
        return index < 0 ? nil : index
    }

    /// The indices of every character of `text`.
    ///
    /// - Throws: ``VocabularyError/unknownCharacter(_:)`` for the first character outside the vocabulary.
    public func encode(_ text: String) throws(VocabularyError) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard let index = index(of: scalar) else { throw .unknownCharacter(scalar) }
            result.append(index)
        }
        return result
    }

    /// The text of a sequence of indices.
    ///
    /// - Precondition: every index is in `0..<count`.
    public func decode(_ indices: [Int]) -> String {
        String(String.UnicodeScalarView(indices.map { characters[$0] }))
    }
}

/// A character that the vocabulary does not contain.
public enum VocabularyError: Error, Equatable, CustomStringConvertible {
    /// `scalar` is not one of the vocabulary's characters.
    case unknownCharacter(Unicode.Scalar)

    public var description: String {
        switch self {
        case .unknownCharacter(let scalar):
            "character \(scalar.escaped(asASCII: true).debugDescription) (U+\(String(scalar.value, radix: 16, uppercase: true))) is not in the vocabulary"
        }
    }
}
