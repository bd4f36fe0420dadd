import Experiments
import NN
import Tensor

/// Checks that `checkpoint`'s model tensors are exactly `expected` (keys and shapes) and finite.
///
/// - Throws: a runtime error naming the first missing, unexpected, misshapen or non-finite tensor
///   (names from the file escaped and capped, ``PrintableNames``).
func validateWeights<Scalar>(
    _ checkpoint: TrainingCheckpoint<Scalar>, expected: [(key: String, shape: [Int])], path: String
) throws(ExamplesError) {
    let expectedKeys = Set(expected.map(\.key))
    let unexpected = checkpoint.model.keys.filter { !expectedKeys.contains($0) }
    guard unexpected.isEmpty else {
        throw .runtime("'\(path)': unexpected tensors \(PrintableNames.list(unexpected.sorted()))")
    }
    for (key, shape) in expected {
        guard let tensor = checkpoint.model[key] else { throw .runtime("'\(path)': no tensor '\(key)'") }
        guard tensor.shape == shape else {
            throw .runtime("'\(path)': '\(key)' has shape \(tensor.shape), expected \(shape)")
        }
        if let bad = tensor.scalars.first(where: { !$0.isFinite }) {
            throw .runtime("'\(path)': '\(key)' holds a non-finite weight (\(bad))")
        }
    }
}

/// The nonlinearity a checkpoint's metadata names, `nil` when it names none.
///
/// - Throws: a runtime error for a name other than `tanh` or `relu`.
func storedNonlinearity<Scalar>(_ checkpoint: TrainingCheckpoint<Scalar>, path: String) throws(ExamplesError) -> RecurrentActivation? {
    guard let name = checkpoint.metadata["nonlinearity"] else { return nil }
    guard let nonlinearity = RecurrentActivation(rawValue: name) else {
        throw .runtime("'\(path)': unknown nonlinearity \(PrintableNames.quoted(name)) in its metadata (expected tanh or relu)")
    }
    return nonlinearity
}
