import Tensor

/// The samples of a dataset at chosen indices, in that order (`torch.utils.data.Subset`).
public struct Subset<Base: Dataset>: Dataset {
    /// The dataset the samples come from.
    public let base: Base
    /// The positions in `base` of this subset's samples.
    public let indices: [Int]

    /// The samples of `base` at `indices`.
    /// - Precondition: every index is in `0..<base.count`.
    public init(_ base: Base, indices: [Int]) {
        check(indices.allSatisfy { $0 >= 0 && $0 < base.count }, "Subset: index out of range for a dataset of \(base.count) samples")
        self.base = base
        self.indices = indices
    }

    /// The number of chosen samples.
    public var count: Int { indices.count }

    /// The base's sample at `indices[index]`.
    public subscript(index: Int) -> Base.Sample { base[indices[index]] }
}

/// Splits `dataset` into non-overlapping subsets of the given lengths, at random
/// (`torch.utils.data.random_split(dataset, lengths, generator)`): the indices of
/// `torch.randperm(count, generator)` are dealt out in order, so a seed gives PyTorch's split.
///
/// - Precondition: the lengths are non-negative and add up to `dataset.count`.
public func randomSplit<D: Dataset>(_ dataset: D, lengths: [Int], generator: Generator = .default) -> [Subset<D>] {
    check(
        lengths.allSatisfy { $0 >= 0 } && lengths.reduce(0, +) == dataset.count,
        "randomSplit: sum of input lengths \(lengths) does not equal the length of the input dataset (\(dataset.count))")
    let permutation = Tensor<Int>.randperm(dataset.count, generator: generator).scalars
    var start = 0
    return lengths.map { length in
        defer { start += length }
        return Subset(dataset, indices: Array(permutation[start..<(start + length)]))
    }
}

/// Splits `dataset` at random by fractions (`random_split(dataset, [0.8, 0.2], generator)`):
/// each part gets floor(count · fraction) samples and the remainder is dealt one each to the
/// parts in order, as PyTorch does.
///
/// - Precondition: the fractions are in [0, 1] and add up to 1 (within 1e-9).
public func randomSplit<D: Dataset>(_ dataset: D, fractions: [Double], generator: Generator = .default) -> [Subset<D>] {
    check(
        fractions.allSatisfy { $0 >= 0 && $0 <= 1 } && Swift.abs(fractions.reduce(0, +) - 1) <= 1e-9,
        "randomSplit: fractions \(fractions) must be in [0, 1] and sum to 1")
    var lengths = fractions.map { Int(Double(dataset.count) * $0) }
    let remainder = dataset.count - lengths.reduce(0, +)
    for i in 0..<remainder { lengths[i % lengths.count] += 1 }
    return randomSplit(dataset, lengths: lengths, generator: generator)
}
