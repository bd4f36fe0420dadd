import Tensor

/// A batch of sequences of different lengths, packed time step by time step
/// (`torch.nn.utils.rnn.PackedSequence`), as ``RNN``, ``LSTM`` and ``GRU`` accept it.
///
/// With the B sequences sorted by decreasing length (lengths l_0 ≥ l_1 ≥ … ≥ l_{B-1} > 0), time
/// step t holds the `batchSizes[t]` = #{i : l_i > t} sequences still running, and ``data`` lists
/// time step 0 of sequences 0 ..< batchSizes[0], then time step 1 of sequences 0 ..< batchSizes[1],
/// and so on: `[Σ l_i, *]`. For lengths [3, 2, 1] and elements a_t, b_t, c_t:
///
///     data = [a_0, b_0, c_0, a_1, b_1, a_2],  batchSizes = [3, 2, 1]
///
/// Build one with ``packPaddedSequence(_:lengths:batchFirst:enforceSorted:)`` or
/// ``packSequence(_:enforceSorted:)``, and get the padded batch back with
/// ``padPackedSequence(_:batchFirst:paddingValue:totalLength:)``:
///
/// ```swift
/// let lstm = LSTM<Float>(8, 16, batchFirst: true)
/// let padded = Tensor<Float>.randn([3, 5, 8])  // 3 sequences of up to 5 steps
/// let packed = packPaddedSequence(padded, lengths: [2, 5, 3], batchFirst: true, enforceSorted: false)
/// let (output, (h, c)) = lstm(packed)          // h, c: [1, 3, 16], each at its sequence's last step
/// let (outputs, lengths) = padPackedSequence(output, batchFirst: true)  // [3, 5, 16], [2, 5, 3]
/// ```
public struct PackedSequence<Scalar: TensorFloatingPoint> {
    /// The packed elements, `[Σ lengths, *]` (`data`).
    public let data: Tensor<Scalar>
    /// How many sequences run at each time step, `[T]`, non-increasing (`batch_sizes`); T is the
    /// longest length and `batchSizes[0]` the batch size.
    public let batchSizes: Tensor<Int>
    /// Sequence i of the packed order is sequence `sortedIndices[i]` of the caller's batch, `[B]`
    /// (`sorted_indices`); `nil` when the batch came sorted (`enforceSorted: true`).
    public let sortedIndices: Tensor<Int>?
    /// The inverse permutation: sequence j of the caller's batch is sequence `unsortedIndices[j]`
    /// of the packed order, `[B]` (`unsorted_indices`); `nil` with ``sortedIndices``.
    public let unsortedIndices: Tensor<Int>?

    /// Wraps packed `data` (`PackedSequence(data, batch_sizes, sorted_indices)`); the unsorted
    /// indices are the inverse permutation of `sortedIndices`.
    ///
    /// - Precondition: `batchSizes` is 1-D, non-empty, non-increasing and positive, its sum is
    ///   `data.shape[0]`, and `sortedIndices` (if any) is a permutation of `0 ..< batchSizes[0]`.
    public init(data: Tensor<Scalar>, batchSizes: Tensor<Int>, sortedIndices: Tensor<Int>? = nil) {
        let sizes = batchSizes.scalars
        check(batchSizes.rank == 1 && !sizes.isEmpty, "PackedSequence: batchSizes must be a non-empty 1-D tensor, got shape \(batchSizes.shape)")
        check(
            sizes.allSatisfy { $0 > 0 } && zip(sizes, sizes.dropFirst()).allSatisfy { $0 >= $1 },
            "PackedSequence: batchSizes must be positive and non-increasing, got \(sizes)")
        check(
            data.rank >= 1 && data.shape[0] == sizes.reduce(0, +),
            "PackedSequence: data of shape \(data.shape) does not hold the \(sizes.reduce(0, +)) elements of batchSizes \(sizes)")
        self.data = data
        self.batchSizes = batchSizes
        self.sortedIndices = sortedIndices
        if let sortedIndices {
            let order = sortedIndices.scalars
            check(
                sortedIndices.rank == 1 && order.sorted() == Array(0..<sizes[0]),
                "PackedSequence: sortedIndices must be a permutation of 0..<\(sizes[0]), got \(order)")
            var inverse = [Int](repeating: 0, count: order.count)
            for (position, index) in order.enumerated() { inverse[index] = position }
            unsortedIndices = Tensor(inverse)
        } else {
            unsortedIndices = nil
        }
    }

    /// The lengths of the sequences in packed (sorted) order: l_i = #{t : batchSizes[t] > i}.
    var sortedLengths: [Int] {
        let sizes = batchSizes.scalars
        return (0..<sizes[0]).map { i in sizes.lazy.filter { $0 > i }.count }
    }

    /// The first row of each time step in ``data``, then N: time step t of sequence i (packed
    /// order) is row `rowOffsets[t] + i`.
    var rowOffsets: [Int] {
        var offsets = [0]
        for size in batchSizes.scalars { offsets.append(offsets.last! + size) }
        return offsets
    }

    /// The same packing of other data `[Σ lengths, *]` (`PackedSequence._replace(data=...)`).
    func replacing(data newData: Tensor<Scalar>) -> PackedSequence {
        PackedSequence(data: newData, batchSizes: batchSizes, sortedIndices: sortedIndices, unsortedIndices: unsortedIndices)
    }

    private init(data: Tensor<Scalar>, batchSizes: Tensor<Int>, sortedIndices: Tensor<Int>?, unsortedIndices: Tensor<Int>?) {
        self.data = data
        self.batchSizes = batchSizes
        self.sortedIndices = sortedIndices
        self.unsortedIndices = unsortedIndices
    }
}

/// Packs a padded batch of sequences of different lengths (`nn.utils.rnn.pack_padded_sequence`).
///
/// - Parameters:
///   - input: `[T, B, *]`, or `[B, T, *]` when `batchFirst`; sequence j is the first `lengths[j]`
///     time steps of batch entry j, the rest is padding (ignored).
///   - lengths: B lengths, each in `1...T`.
///   - batchFirst: the layout of `input`.
///   - enforceSorted: whether the lengths must come sorted in decreasing order (then
///     ``PackedSequence/sortedIndices`` is `nil`); otherwise the batch is sorted by decreasing
///     length, ties keeping their order (PyTorch's sort does the same for up to 16 sequences).
/// - Returns: the packed sequence; `data` is `[Σ lengths, *]`. Differentiable: the gradient of
///   `data` flows back to the valid elements of `input` (padding gets zero).
public func packPaddedSequence<Scalar: TensorFloatingPoint>(
    _ input: Tensor<Scalar>, lengths: [Int], batchFirst: Bool = false, enforceSorted: Bool = true
) -> PackedSequence<Scalar> {
    check(input.rank >= 2, "packPaddedSequence: expected input of at least 2 dimensions, got shape \(input.shape)")
    let (batch, steps) = batchFirst ? (input.shape[0], input.shape[1]) : (input.shape[1], input.shape[0])
    check(
        lengths.count == batch,
        "packPaddedSequence: expected \(batch) lengths (the batch size of input \(input.shape)), got \(lengths.count)")
    check(
        lengths.allSatisfy { $0 > 0 },
        "packPaddedSequence: length of all samples has to be greater than 0, got lengths \(lengths)")
    check(
        lengths.allSatisfy { $0 <= steps },
        "packPaddedSequence: lengths \(lengths) exceed the \(steps) time steps of input \(input.shape)")
    let order: [Int]
    if enforceSorted {
        check(
            zip(lengths, lengths.dropFirst()).allSatisfy { $0 >= $1 },
            "packPaddedSequence: lengths \(lengths) must be sorted in decreasing order when enforceSorted is true; "
                + "pass enforceSorted: false to sort them")
        order = Array(0..<batch)
    } else {
        order = (0..<batch).sorted { (lengths[$0], $1) > (lengths[$1], $0) }
    }
    let sorted = order.map { lengths[$0] }
    var rows: [Int] = []
    for t in 0..<sorted[0] {
        for (i, length) in sorted.enumerated() where length > t {
            let j = order[i]
            rows.append(batchFirst ? j * steps + t : t * batch + j)
        }
    }
    let features = Array(input.shape.dropFirst(2))
    let data = input.reshape([batch * steps] + features).indexSelect(axis: 0, index: Tensor(rows))
    let batchSizes = (0..<sorted[0]).map { t in sorted.lazy.filter { $0 > t }.count }
    return PackedSequence(data: data, batchSizes: Tensor(batchSizes), sortedIndices: enforceSorted ? nil : Tensor(order))
}

/// Packs a padded batch of sequences (`pack_padded_sequence(input, lengths)` with a lengths
/// tensor): `lengths` is a 1-D `Tensor<Int>`; see ``packPaddedSequence(_:lengths:batchFirst:enforceSorted:)``.
public func packPaddedSequence<Scalar: TensorFloatingPoint>(
    _ input: Tensor<Scalar>, lengths: Tensor<Int>, batchFirst: Bool = false, enforceSorted: Bool = true
) -> PackedSequence<Scalar> {
    check(lengths.rank == 1, "packPaddedSequence: expected 1-D lengths, got shape \(lengths.shape)")
    return packPaddedSequence(input, lengths: lengths.scalars, batchFirst: batchFirst, enforceSorted: enforceSorted)
}

/// Unpacks a packed batch into a padded one (`nn.utils.rnn.pad_packed_sequence`), the inverse
/// of ``packPaddedSequence(_:lengths:batchFirst:enforceSorted:)``.
///
/// - Parameters:
///   - sequence: the packed batch, `data` `[Σ lengths, *]`.
///   - batchFirst: whether the result is `[B, T, *]` rather than `[T, B, *]`.
///   - paddingValue: the value past each sequence's end.
///   - totalLength: T, at least the longest length (the default).
/// - Returns: `padded`, the sequences in the caller's original batch order, and their
///   `lengths` `[B]`. Differentiable: the gradient of `padded` flows back to `data`.
public func padPackedSequence<Scalar: TensorFloatingPoint>(
    _ sequence: PackedSequence<Scalar>, batchFirst: Bool = false, paddingValue: Scalar = 0, totalLength: Int? = nil
) -> (padded: Tensor<Scalar>, lengths: Tensor<Int>) {
    let sizes = sequence.batchSizes.scalars
    let longest = sizes.count
    let steps = totalLength ?? longest
    check(
        steps >= longest,
        "padPackedSequence: expected totalLength to be at least the length of the longest sequence in input, "
            + "but got totalLength=\(steps) and max sequence length being \(longest)")
    let batch = sizes[0]
    let sortedLengths = sequence.sortedLengths
    let offsets = sequence.rowOffsets
    let unsorted = sequence.unsortedIndices?.scalars ?? Array(0..<batch)
    let padRow = sequence.data.shape[0]
    // Entry (t, j) of the result, j in the caller's order, reads row `offsets[t] + i` of the data
    // (i = j's packed position) while t < l_i, else the padding row appended after the data.
    var rows = [Int](repeating: padRow, count: steps * batch)
    for j in 0..<batch {
        let i = unsorted[j]
        for t in 0..<sortedLengths[i] {
            rows[batchFirst ? j * steps + t : t * batch + j] = offsets[t] + i
        }
    }
    let features = Array(sequence.data.shape.dropFirst())
    let padding = Tensor<Scalar>.full([1] + features, paddingValue)
    let padded = Tensor.cat([sequence.data, padding], axis: 0).indexSelect(axis: 0, index: Tensor(rows))
    let lengths = unsorted.map { sortedLengths[$0] }
    return (padded.reshape((batchFirst ? [batch, steps] : [steps, batch]) + features), Tensor(lengths))
}
