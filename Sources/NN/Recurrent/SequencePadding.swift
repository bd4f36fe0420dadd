import Tensor

/// Which end of a sequence ``padSequence(_:batchFirst:paddingValue:paddingSide:)`` pads
/// (`padding_side`).
public enum PaddingSide: Sendable {
    /// Padding after the elements (`'right'`, PyTorch's default).
    case right
    /// Padding before the elements (`'left'`).
    case left
}

/// Pads sequences of different lengths into one batch (`nn.utils.rnn.pad_sequence`).
///
/// - Parameters:
///   - sequences: B tensors `[l_i, *]` with the same trailing shape `*`.
///   - batchFirst: whether the result is `[B, T, *]` rather than `[T, B, *]`, T = max l_i.
///   - paddingValue: the value of the padding.
///   - paddingSide: where the padding goes (after the elements by default).
/// - Returns: the padded batch; differentiable with respect to every sequence.
public func padSequence<Scalar: TensorFloatingPoint>(
    _ sequences: [Tensor<Scalar>], batchFirst: Bool = false, paddingValue: Scalar = 0, paddingSide: PaddingSide = .right
) -> Tensor<Scalar> {
    guard let first = sequences.first else { fatalError("padSequence: received an empty list of sequences") }
    check(first.rank >= 1, "padSequence: expected sequences of at least 1 dimension, got shape \(first.shape)")
    let features = Array(first.shape.dropFirst())
    for (i, sequence) in sequences.enumerated() {
        check(
            sequence.rank >= 1 && Array(sequence.shape.dropFirst()) == features,
            "padSequence: sequence \(i) of shape \(sequence.shape) does not match the trailing shape \(features) of sequence 0")
    }
    let steps = sequences.map { $0.shape[0] }.max()!
    let padded = sequences.map { sequence -> Tensor<Scalar> in
        let missing = steps - sequence.shape[0]
        guard missing > 0 else { return sequence }
        let padding = Tensor<Scalar>.full([missing] + features, paddingValue)
        return Tensor.cat(paddingSide == .right ? [sequence, padding] : [padding, sequence], axis: 0)
    }
    return Tensor.stack(padded, axis: batchFirst ? 0 : 1)
}

/// Packs sequences of different lengths (`nn.utils.rnn.pack_sequence`):
/// ``packPaddedSequence(_:lengths:batchFirst:enforceSorted:)`` of their
/// ``padSequence(_:batchFirst:paddingValue:paddingSide:)``.
///
/// - Parameters:
///   - sequences: B tensors `[l_i, *]`, each l_i > 0, with the same trailing shape.
///   - enforceSorted: whether the sequences must come in decreasing length.
/// - Returns: the packed batch, `data` `[Σ l_i, *]`; differentiable with respect to every sequence.
public func packSequence<Scalar: TensorFloatingPoint>(
    _ sequences: [Tensor<Scalar>], enforceSorted: Bool = true
) -> PackedSequence<Scalar> {
    let lengths = sequences.map { $0.rank >= 1 ? $0.shape[0] : 0 }
    return packPaddedSequence(padSequence(sequences), lengths: lengths, enforceSorted: enforceSorted)
}

/// Splits a padded batch back into its sequences (`nn.utils.rnn.unpad_sequence`), the inverse of
/// ``padSequence(_:batchFirst:paddingValue:paddingSide:)`` with right padding.
///
/// - Parameters:
///   - padded: `[T, B, *]`, or `[B, T, *]` when `batchFirst`.
///   - lengths: B lengths, each in `0...T`.
///   - batchFirst: the layout of `padded`.
/// - Returns: B tensors `[lengths[j], *]`, the first time steps of each batch entry;
///   differentiable with respect to `padded`.
public func unpadSequence<Scalar: TensorFloatingPoint>(
    _ padded: Tensor<Scalar>, lengths: [Int], batchFirst: Bool = false
) -> [Tensor<Scalar>] {
    check(padded.rank >= 2, "unpadSequence: expected a padded batch of at least 2 dimensions, got shape \(padded.shape)")
    let (batchAxis, steps) = batchFirst ? (0, padded.shape[1]) : (1, padded.shape[0])
    check(
        lengths.count == padded.shape[batchAxis],
        "unpadSequence: expected \(padded.shape[batchAxis]) lengths (the batch size of \(padded.shape)), got \(lengths.count)")
    check(
        lengths.allSatisfy { (0...steps).contains($0) },
        "unpadSequence: lengths \(lengths) must lie in 0...\(steps), the time steps of \(padded.shape)")
    return lengths.enumerated().map { j, length in
        padded.select(axis: batchAxis, index: j).narrow(axis: 0, start: 0, length: length)
    }
}

/// Splits a packed batch back into its sequences (`nn.utils.rnn.unpack_sequence`), the inverse of
/// ``packSequence(_:enforceSorted:)``.
///
/// - Returns: B tensors `[l_j, *]` in the caller's original batch order; differentiable with
///   respect to `packed.data`.
public func unpackSequence<Scalar: TensorFloatingPoint>(_ packed: PackedSequence<Scalar>) -> [Tensor<Scalar>] {
    let (padded, lengths) = padPackedSequence(packed, batchFirst: true)
    return unpadSequence(padded, lengths: lengths.scalars, batchFirst: true)
}
