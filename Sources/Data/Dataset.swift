/// A collection of samples addressed by position (`torch.utils.data.Dataset`: `__len__` and
/// `__getitem__`). ``DataLoader`` draws batches from one.
public protocol Dataset {
    /// One sample: a tensor, an ``Example`` of input and target, or any type a collate step batches.
    associatedtype Sample
    /// The number of samples (`len(dataset)`).
    var count: Int { get }
    /// The sample at `index`, in `0..<count` (`dataset[index]`).
    subscript(index: Int) -> Sample { get }
}
