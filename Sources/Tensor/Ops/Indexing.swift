/// One entry of a tensor subscript, as in PyTorch's basic indexing `x[0, 1:3, None, ...]`.
///
/// Integers and Swift ranges convert implicitly (see ``TensorIndexConvertible``); the other
/// forms are spelled as static members:
///
/// | PyTorch         | Swift                        |
/// |-----------------|------------------------------|
/// | `x[1]`, `x[-1]` | `x[1]`, `x[-1]`              |
/// | `x[1:3]`        | `x[1..<3]` or `x[1...2]`     |
/// | `x[1:]`, `x[:3]`| `x[1...]`, `x[..<3]`         |
/// | `x[:, 0]`       | `x[.all, 0]`                 |
/// | `x[1:-1]`       | `x[.slice(1, -1)]`           |
/// | `x[::2]`        | `x[.slice(step: 2)]`         |
/// | `x[None]`       | `x[.newAxis]`                |
/// | `x[..., 0]`     | `x[.ellipsis, 0]`            |
/// | `x[idx]`        | `x[idx]` (`idx: Tensor<Int>`) |
/// | `x[mask]`       | `x[mask]` (`mask: Tensor<Bool>`) |
/// | `x[rows, cols]` | `x[rows, cols]`              |
///
/// `Int` and `Bool` tensors are PyTorch's advanced indices (see ``Tensor/subscript(_:)``).
public struct TensorIndex: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// One position; the dimension is removed.
        case position(Int)
        /// Python's `start:end:step`; `nil` bounds mean the ends of the dimension.
        case slice(start: Int?, end: Int?, step: Int)
        /// A new dimension of size 1.
        case newAxis
        /// As many full slices as the dimensions not otherwise indexed.
        case ellipsis
        /// Positions along one dimension, an integer tensor of any shape (negative count from the end).
        case indices(shape: [Int], values: [Int])
        /// A boolean mask over as many dimensions as its rank: the positions where it is true.
        case mask(shape: [Int], values: [Bool])
    }

    /// Whether this entry is one of PyTorch's advanced indices (an integer or boolean tensor).
    var isAdvanced: Bool {
        switch kind {
        case .indices, .mask: true
        default: false
        }
    }

    /// The number of the indexed tensor's dimensions this entry consumes.
    var consumedDimensions: Int {
        switch kind {
        case .position, .slice, .indices: 1
        case .newAxis, .ellipsis: 0
        case .mask(let shape, _): shape.count
        }
    }

    let kind: Kind
}

/// A value usable in a tensor subscript: `Int`, `Range<Int>`, `ClosedRange<Int>`, the partial
/// ranges of `Int`, and ``TensorIndex`` itself (`.all`, `.slice(_:_:step:)`, `.newAxis`, `.ellipsis`).
///
/// Negative integers and bounds count from the end of the dimension, as in Python.
public protocol TensorIndexConvertible {
    /// This value as a subscript entry.
    var tensorIndex: TensorIndex { get }
}

extension TensorIndexConvertible where Self == TensorIndex {
    /// Every index of a dimension (`:` in PyTorch).
    public static var all: TensorIndex { TensorIndex(kind: .slice(start: nil, end: nil, step: 1)) }

    /// A new dimension of size 1 at this position (`None` in PyTorch).
    public static var newAxis: TensorIndex { TensorIndex(kind: .newAxis) }

    /// Full slices for every dimension not indexed otherwise (`...` in PyTorch); at most one per subscript.
    public static var ellipsis: TensorIndex { TensorIndex(kind: .ellipsis) }

    /// Python's slice `start:end:step`: indices start, start + step, ... below `end`.
    ///
    /// Negative bounds count from the end; `nil` means the beginning or end of the dimension;
    /// bounds beyond the dimension are clamped to it, as in Python.
    /// - Precondition: `step > 0` (checked when the subscript is applied).
    public static func slice(_ start: Int? = nil, _ end: Int? = nil, step: Int = 1) -> TensorIndex {
        TensorIndex(kind: .slice(start: start, end: end, step: step))
    }
}

extension TensorIndex: TensorIndexConvertible, ExpressibleByIntegerLiteral {
    /// `self`.
    public var tensorIndex: TensorIndex { self }

    /// The single position `value` (negative counts from the end).
    public init(integerLiteral value: Int) { kind = .position(value) }
}

extension Int: TensorIndexConvertible {
    /// The single position `self`; the dimension is removed from the result.
    public var tensorIndex: TensorIndex { TensorIndex(kind: .position(self)) }
}

extension Range: TensorIndexConvertible where Bound == Int {
    /// The slice `lowerBound:upperBound`.
    public var tensorIndex: TensorIndex { .slice(lowerBound, upperBound) }
}

extension ClosedRange: TensorIndexConvertible where Bound == Int {
    /// The slice from `lowerBound` through `upperBound` inclusive (`-1` means the last index).
    public var tensorIndex: TensorIndex { .slice(lowerBound, upperBound == -1 ? nil : upperBound + 1) }
}

extension PartialRangeFrom: TensorIndexConvertible where Bound == Int {
    /// The slice `lowerBound:`.
    public var tensorIndex: TensorIndex { .slice(lowerBound, nil) }
}

extension PartialRangeUpTo: TensorIndexConvertible where Bound == Int {
    /// The slice `:upperBound`.
    public var tensorIndex: TensorIndex { .slice(nil, upperBound) }
}

extension PartialRangeThrough: TensorIndexConvertible where Bound == Int {
    /// The slice through `upperBound` inclusive (`-1` means the last index).
    public var tensorIndex: TensorIndex { .slice(nil, upperBound == -1 ? nil : upperBound + 1) }
}

/// The element types whose tensors can index another tensor: `Int` (positions) and `Bool` (masks).
public protocol TensorIndexElement: TensorElement {
    /// The subscript entry of an index tensor of this element type.
    static func tensorIndex(_ tensor: Tensor<Self>) -> TensorIndex
}

extension Int: TensorIndexElement {
    /// Positions along one dimension (PyTorch's integer advanced index).
    public static func tensorIndex(_ tensor: Tensor<Int>) -> TensorIndex {
        TensorIndex(kind: .indices(shape: tensor.shape, values: tensor.scalars))
    }
}

extension Bool: TensorIndexElement {
    /// A mask over leading dimensions (PyTorch's boolean advanced index).
    public static func tensorIndex(_ tensor: Tensor<Bool>) -> TensorIndex {
        TensorIndex(kind: .mask(shape: tensor.shape, values: tensor.scalars))
    }
}

extension Tensor: TensorIndexConvertible where Scalar: TensorIndexElement {
    /// This tensor as an advanced index: an `Int` tensor picks positions, a `Bool` tensor is a mask.
    /// The entry holds a copy of the elements.
    public var tensorIndex: TensorIndex { Scalar.tensorIndex(self) }
}

extension Tensor {
    /// The elements selected by PyTorch-style basic indexing: `x[0]`, `x[1..<3]`,
    /// `x[.all, -1]`, `x[.ellipsis, .slice(step: 2)]`, `x[.newAxis]` (see ``TensorIndex``).
    ///
    /// Shape: integer entries remove their dimension, slices keep it with the number of
    /// selected indices, `.newAxis` inserts a 1; dimensions not indexed are kept whole.
    /// Reading returns a copy (PyTorch returns a view); backward writes the gradient into
    /// the selected positions of a zero tensor (`SelectBackward` when an integer is used,
    /// `SliceBackward` otherwise).
    ///
    /// Writing (`x[0, 1..<3] = value`) copies `value`, broadcast to the selected shape (after
    /// dropping leading size-1 dimensions, as PyTorch does), into `self` in place, with no autograd (like ``assign(_:)``); writing into a tensor that
    /// requires grad is allowed only inside ``withNoGrad(_:)``, as PyTorch forbids in-place
    /// writes into leaves that require grad.
    ///
    /// Advanced indexing, as in PyTorch: an `Int` tensor picks positions along its dimension
    /// (`x[idx]` has shape `idx.shape + x.shape[1...]`), a `Bool` tensor masks as many
    /// dimensions as its rank (`x[mask]` has shape `[trueCount] + x.shape[mask.rank...]`), and
    /// several of them (masks count as their true positions' coordinates) broadcast together:
    /// `x[rows, cols]` picks `x[rows[i], cols[i]]`. Integer entries are applied first; the
    /// broadcast index shape replaces the advanced entries where they stand if they are
    /// adjacent, and goes first otherwise (`x[0, .all, idx]` of a `[5, 6, 7]` tensor is
    /// `[6, idx.count]`, `x[idx, .newAxis, idx]` is `[idx.count, 1, 7]`). Reading copies and
    /// records `IndexBackward` (repeated positions accumulate their gradients); writing
    /// (`x[mask] = Tensor(scalar: 0)`, PyTorch's `index_put_`) broadcasts the value to the
    /// selected shape, and where a position is selected twice the later element wins.
    /// - Precondition: integers are in `-size..<size`, slice steps are positive, at most one
    ///   `.ellipsis`, no more entries than dimensions (not counting `.newAxis`), a mask's
    ///   shape equals the dimensions it covers, and index tensors broadcast together.
    public subscript(_ indices: any TensorIndexConvertible...) -> Tensor {
        get { self[indices: indices.map(\.tensorIndex)] }
        set { self[indices: indices.map(\.tensorIndex)] = newValue }
    }

    /// The subscript with its entries given as an array, for indices built at run time
    /// (`x[tuple(indices)]` in PyTorch). See ``subscript(_:)``.
    public subscript(indices indices: [TensorIndex]) -> Tensor {
        get {
            if indices.contains(where: \.isAdvanced) { return advancedRead(indices) }
            let (region, resultShape, selects) = resolve(indices)
            return regionRead(region, shape: resultShape, name: selects ? "SelectBackward" : "SliceBackward")
        }
        set {
            check(
                !(requiresGrad && GradMode.isEnabled),
                "index assignment: a tensor that requires grad cannot be written in place (shape \(shape)); "
                    + "write inside withNoGrad { } or into a detached tensor")
            if indices.contains(where: \.isAdvanced) {
                advancedWrite(indices, newValue, accumulate: false)
                return
            }
            let (region, resultShape, _) = resolve(indices)
            var valueShape = newValue.shape
            while valueShape.count > resultShape.count && valueShape.first == 1 { valueShape.removeFirst() }
            let source = (newValue.sharesStorage(with: self) ? newValue.copy() : newValue.detach()).reshape(valueShape)
            write(source.broadcastValues(to: resultShape, op: "index assignment").reshape(region.counts), into: region)
        }
    }

    /// The region selected by `indices`, the result's shape, and whether an integer entry was used.
    private func resolve(_ indices: [TensorIndex]) -> (region: StridedRegion, shape: [Int], selects: Bool) {
        let consuming = indices.filter { $0.kind != .newAxis && $0.kind != .ellipsis }.count
        let ellipses = indices.filter { $0.kind == .ellipsis }.count
        check(ellipses <= 1, "index: an index can only have a single ellipsis, got \(ellipses)")
        check(
            consuming <= rank,
            "index: too many indices for tensor of dimension \(rank) (\(consuming) given for shape \(shape))")
        var region = StridedRegion(covering: shape)
        var resultShape: [Int] = []
        var dimension = 0
        var selects = false
        for entry in indices + (ellipses == 0 ? [.ellipsis] : []) {
            switch entry.kind {
            case .position(let position):
                let size = shape[dimension]
                check(
                    position >= -size && position < size,
                    "index: index \(position) is out of bounds for dimension \(dimension) with size \(size) (shape \(shape))")
                region.starts[dimension] = position < 0 ? position + size : position
                region.counts[dimension] = 1
                dimension += 1
                selects = true
            case .slice(let start, let end, let step):
                check(step > 0, "index: slice step must be positive, got \(step)")
                let size = shape[dimension]
                func clamped(_ bound: Int?, default value: Int) -> Int {
                    guard let bound else { return value }
                    return Swift.min(Swift.max(bound < 0 ? bound + size : bound, 0), size)
                }
                let first = clamped(start, default: 0), last = clamped(end, default: size)
                region.starts[dimension] = first
                region.steps[dimension] = step
                region.counts[dimension] = last > first ? (last - first + step - 1) / step : 0
                resultShape.append(region.counts[dimension])
                dimension += 1
            case .newAxis:
                resultShape.append(1)
            case .ellipsis:
                let whole = rank - consuming
                resultShape += shape[dimension..<(dimension + whole)]
                dimension += whole
            case .indices, .mask:
                fatalError("index: advanced entries are resolved by advancedSelection")
            }
        }
        return (region, resultShape, selects)
    }
}
