import Tensor

/// Batches of a dataset, in order or shuffled, as a Swift `Sequence`
/// (`torch.utils.data.DataLoader(dataset, batch_size, shuffle, drop_last, generator)`):
///
/// ```swift
/// let loader = DataLoader(TensorDataset(x, y), batchSize: 32, shuffle: true, generator: Generator(seed: 0))
/// for epoch in 0..<10 {
///     for batch in loader { let loss = lossFunction(model(batch.input), batch.target) ... }
/// }
/// ```
///
/// Each pass (each `for` loop) is one epoch; a shuffling loader draws a new order each time,
/// consuming its generator as PyTorch's loader does with a `generator=`: at the start of a pass
/// one 64-bit draw (the loader's base seed), then `torch.randperm(count)` for the order, and
/// when the pass runs to its end one more `randperm(count)` (the sampler's empty remainder), so
/// a seeded loader visits samples in the order PyTorch's does, epoch after epoch. Without a
/// generator, shuffling seeds a fresh generator from the default one, as PyTorch does.
public struct DataLoader<Source: Dataset, Batch>: Sequence {
    /// The dataset batches are drawn from.
    public let dataset: Source
    /// The number of samples per batch (the last one may be smaller unless `dropLast`).
    public let batchSize: Int
    /// Whether each pass visits the samples in a new random order.
    public let shuffle: Bool
    /// Whether a last, incomplete batch is skipped.
    public let dropLast: Bool
    /// The generator shuffling draws from (`nil`: the default generator, as in PyTorch).
    public let generator: Tensor::Generator?
    private let collate: ([Source.Sample]) -> Batch

    /// A loader batching samples with `collate` (PyTorch's `collate_fn`).
    /// - Precondition: `batchSize > 0`.
    public init(
        _ dataset: Source, batchSize: Int = 1, shuffle: Bool = false, dropLast: Bool = false, generator: Tensor::Generator? = nil,
        collate: @escaping ([Source.Sample]) -> Batch
    ) {
        check(batchSize > 0, "DataLoader: batch_size should be a positive integer value, but got batch_size=\(batchSize)")
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.generator = generator
        self.collate = collate
    }

    /// The number of batches per pass (`len(loader)`).
    public var batchCount: Int { dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize }

    /// A new pass over the dataset (a new order when shuffling).
    public func makeIterator() -> Iterator { Iterator(loader: self) }

    /// One pass over the dataset: the batches of one epoch.
    public struct Iterator: IteratorProtocol {
        private let loader: DataLoader
        private var order: [Int]?
        private var position = 0
        private var finished = false
        private var samplerExhausted = false
        private let sampler: Tensor::Generator?

        init(loader: DataLoader) {
            self.loader = loader
            let base = loader.generator ?? Tensor::Generator.default
            _ = base.next()  // PyTorch's _base_seed draw when an iterator is created
            if loader.shuffle {
                if loader.generator == nil {
                    // RandomSampler without a generator: seed = int64 random_() from the default one.
                    sampler = Tensor::Generator(seed: Tensor::Generator.default.next() & (1 << 63 - 1))
                } else {
                    sampler = loader.generator
                }
            } else {
                sampler = nil
            }
        }

        /// The next batch, or `nil` at the end of the pass.
        public mutating func next() -> Batch? {
            guard !finished else { return nil }
            let n = loader.dataset.count
            if order == nil {
                order = sampler.map { Tensor<Int>.randperm(n, generator: $0).scalars } ?? Array(0..<n)
            }
            let remaining = n - position
            if remaining == 0 || (loader.dropLast && remaining < loader.batchSize) {
                finished = true
                exhaustSampler()
                return nil
            }
            let size = Swift.min(loader.batchSize, remaining)
            // PyTorch's batch sampler reaches the end of its sampler while filling a last, partial batch.
            if size < loader.batchSize { exhaustSampler() }
            let indices = order![position..<(position + size)]
            position += size
            return loader.collate(indices.map { loader.dataset[$0] })
        }

        /// The draw PyTorch's `RandomSampler` makes when it runs out: `randperm(count)` for its
        /// empty remainder (`randperm(n)[:0]`), made once per pass.
        private mutating func exhaustSampler() {
            guard !samplerExhausted else { return }
            samplerExhausted = true
            if let sampler { _ = Tensor<Int>.randperm(loader.dataset.count, generator: sampler) }
        }
    }
}

extension DataLoader where Source.Sample: Batchable, Batch == Source.Sample {
    /// A loader stacking samples into batches (PyTorch's default collate): tensors of shape `s`
    /// become batches of shape `[batch] + s`; an ``Example`` stacks its inputs and its targets.
    /// - Precondition: `batchSize > 0`.
    public init(_ dataset: Source, batchSize: Int = 1, shuffle: Bool = false, dropLast: Bool = false, generator: Tensor::Generator? = nil) {
        self.init(dataset, batchSize: batchSize, shuffle: shuffle, dropLast: dropLast, generator: generator) { Batch.collate($0) }
    }
}
