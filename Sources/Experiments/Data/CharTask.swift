import Tensor

/// The coursework's next-character task on one text: inputs are the one-hot characters
/// `text[0..<n-1]`, targets the indices of `text[1..<n]`.
public struct CharTask<Scalar: TensorFloatingPoint> {
    /// The text.
    public let text: String
    /// Its vocabulary (distinct characters sorted by code point, unless given).
    public let vocabulary: Vocabulary
    /// The index of every character of the text.
    public let indices: [Int]
    /// One-hot inputs `[1, n - 1, V]`.
    public let inputs: Tensor<Scalar>
    /// Target indices `[n - 1]`.
    public let targets: Tensor<Int>

    /// The task for `text`, with `vocabulary` (default: the text's own).
    ///
    /// - Throws: ``TaskError/textTooShort(_:)`` for fewer than two characters,
    ///   ``TaskError/unknownCharacter(_:)`` for a character outside `vocabulary`.
    public init(text: String, vocabulary: Vocabulary? = nil) throws(TaskError) {
        let count = text.unicodeScalars.count
        guard count >= 2 else { throw .textTooShort(count) }
        let vocabulary = vocabulary ?? Vocabulary(of: text)
        do {
            indices = try vocabulary.encode(text)
        } catch {
            throw .unknownCharacter(error)
        }
        self.text = text
        self.vocabulary = vocabulary
        inputs = Tensor.oneHot(Tensor<Int>(Array(indices.dropLast())), classes: vocabulary.count).unsqueeze(0)
        targets = Tensor<Int>(Array(indices.dropFirst()))
    }

    /// The number of characters in the text.
    public var length: Int { indices.count }
}

/// Why a text cannot make a task.
public enum TaskError: Error, Equatable, CustomStringConvertible {
    /// The text has fewer than two characters: there is nothing to predict.
    case textTooShort(Int)
    /// The text has a character outside the vocabulary.
    case unknownCharacter(VocabularyError)

    public var description: String {
        switch self {
        case .textTooShort(let count):
            "the text must have at least 2 characters to predict the next one, it has \(count)"
        case .unknownCharacter(let error): error.description
        }
    }
}
