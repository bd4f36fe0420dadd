/// An n-dimensional array of `Scalar`, row-major and contiguous, with reverse-mode autograd.
///
/// `Tensor` is a class: like `torch.Tensor` it has identity, so an optimizer built from
/// `model.parameters()` updates those very tensors in place. A 0-d tensor (shape `[]`)
/// holds one scalar.
///
/// ```swift
/// let w = Tensor<Double>(shape: [2, 2], scalars: [1, 2, 3, 4], requiresGrad: true)
/// let loss = (w * w).sum()
/// loss.backward()
/// w.grad  // tensor([[2., 4.], [6., 8.]], dtype=float64)
/// ```
///
/// Tensors are not `Sendable`: sharing one between concurrent tasks is rejected at compile time.
public final class Tensor<Scalar: TensorElement> {
    /// The size of each dimension, outermost first (`[]` for a scalar).
    public let shape: [Int]

    @usableFromInline let storage: TensorStorage<Scalar>

    /// The operation that produced this tensor, or `nil` for a leaf.
    var gradFn: GradFn<Scalar>?

    var leafRequiresGrad: Bool

    package var retainsGrad = false

    /// Set on the result of a row lookup (an embedding): the table and row it read for each row
    /// of this tensor. A linear map of this tensor may then multiply the table instead (see
    /// LookedUpLinear.swift); it checks the rows still match before it does.
    package var rowLookup: RowLookup<Scalar>?

    /// Scratch of a running `backward()` (see Backward.swift): the depth of the pass whose graph
    /// walk has reached this tensor (1 for a pass started outside any other, 2 for one started
    /// inside a pullback of that pass, ...), and the gradient that has flowed into it so far.
    /// Both are reset as the pass consumes the tensor, so they are 0 and `nil` between passes.
    var backwardPass = 0
    var pendingGradient: Tensor<Scalar>?

    /// The gradient accumulated by `backward()`, with this tensor's shape; `nil` until then.
    ///
    /// Gradients add up across `backward()` calls until they are reset (`grad = nil`,
    /// or an optimizer's `zeroGrad()`).
    public var grad: Tensor<Scalar>?

    /// Creates a tensor over existing storage (shared, not copied).
    @usableFromInline
    init(shape: [Int], storage: TensorStorage<Scalar>, requiresGrad: Bool = false) {
        self.shape = shape
        self.storage = storage
        self.leafRequiresGrad = requiresGrad
        storage.tensorCount += 1
    }

    deinit { storage.tensorCount -= 1 }

    /// Creates a tensor of the given shape from row-major scalars, which it copies.
    ///
    /// - Precondition: `scalars.count` equals the product of `shape`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public convenience init(shape: [Int], scalars: [Scalar], requiresGrad: Bool = false) {
        check(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
        check(
            scalars.count == shape.reduce(1, *),
            "Tensor: \(scalars.count) scalars cannot fill shape \(shape)")
        self.init(shape: shape, storage: TensorStorage(scalars), requiresGrad: requiresGrad)
    }

    /// Creates a tensor of the given shape whose row-major elements `initialize` writes in place,
    /// without filling them first (as `Array(unsafeUninitializedCapacity:initializingWith:)`).
    ///
    /// - Precondition: `initialize` initializes every element of the buffer it is given.
    @inlinable
    public convenience init(
        shape: [Int], unsafeUninitializedWith initialize: (UnsafeMutableBufferPointer<Scalar>) -> Void
    ) {
        check(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
        self.init(shape: shape, storage: TensorStorage(count: Shape.count(shape), initializingWith: initialize))
    }

    /// Creates a 1-d tensor of shape `[scalars.count]`.
    public convenience init(_ scalars: [Scalar], requiresGrad: Bool = false) {
        self.init(shape: [scalars.count], scalars: scalars, requiresGrad: requiresGrad)
    }

    /// Creates a 2-d tensor from rows of equal length: shape `[rows.count, rows[0].count]`.
    public convenience init(_ rows: [[Scalar]], requiresGrad: Bool = false) {
        let width = rows.first?.count ?? 0
        check(rows.allSatisfy { $0.count == width }, "Tensor: rows of unequal length")
        self.init(shape: [rows.count, width], scalars: rows.flatMap { $0 }, requiresGrad: requiresGrad)
    }

    /// Creates a 0-d tensor holding one scalar.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public convenience init(scalar: Scalar, requiresGrad: Bool = false) {
        self.init(shape: [], scalars: [scalar], requiresGrad: requiresGrad)
    }

    /// The number of dimensions (`x.dim()` in PyTorch).
    public var rank: Int { shape.count }

    /// The total number of elements (`x.numel()` in PyTorch).
    public var count: Int { storage.count }

    /// The elements in row-major order (a copy).
    public var scalars: [Scalar] { Array(storage.buffer) }

    /// The single element of a one-element tensor (`x.item()` in PyTorch).
    public var item: Scalar {
        check(count == 1, "item: tensor of shape \(shape) has \(count) elements, not 1")
        return storage.base[0]
    }

    /// The size of dimension `axis` (negative counts from the end).
    public func size(_ axis: Int) -> Int { shape[normalizedAxis(axis, rank: rank, op: "size")] }

    /// Calls `body` with the elements in row-major order.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(storage.buffer))
    }

    /// Calls `body` with mutable access to the elements, in place (no autograd is recorded).
    ///
    /// Every tensor sharing this storage (views, detached copies) sees the writes.
    @inlinable
    public func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Scalar>) throws -> R
    ) rethrows -> R {
        var buffer = storage.buffer
        defer {
            check(
                buffer.baseAddress == storage.base && buffer.count == storage.count,
                "withUnsafeMutableBufferPointer: replacing the buffer is not allowed")
        }
        return try body(&buffer)
    }

    /// Overwrites every element with `source`'s, in place (`x.copy_(source)` under no-grad).
    ///
    /// - Precondition: the shapes are equal.
    public func assign(_ source: Tensor<Scalar>) {
        check(source.shape == shape, "assign: shapes \(shape) and \(source.shape) differ")
        if source.storage !== storage { storage.base.update(from: source.storage.base, count: count) }
    }

    /// A tensor sharing this one's storage, outside the graph (`x.detach()`).
    public func detach() -> Tensor<Scalar> { Tensor(shape: shape, storage: storage) }

    /// A tensor with its own copy of the elements, outside the graph (`x.detach().clone()`).
    public func copy() -> Tensor<Scalar> { Tensor(shape: shape, storage: TensorStorage(storage.buffer)) }

    /// Whether this tensor shares storage with `other` (`x.data_ptr() == other.data_ptr()`).
    public func sharesStorage(with other: Tensor<Scalar>) -> Bool { storage === other.storage }
}

/// Returns `axis` in `0..<rank`, counting negative axes from the end; traps naming `op` otherwise.
@usableFromInline
func normalizedAxis(_ axis: Int, rank: Int, op: String) -> Int {
    let r = Swift.max(rank, 1)
    check(axis >= -r && axis < r, "\(op): dimension \(axis) out of range for a tensor of rank \(rank)")
    return axis < 0 ? axis + r : axis
}

extension Tensor {
    /// `axes` normalised with ``normalizedAxis(_:rank:op:)``, trapping, as PyTorch does, when two
    /// of them name the same dimension (`[0, 0]`, or `[0, -3]` at rank 3).
    func distinctAxes(_ axes: [Int], op: String) -> [Int] {
        var seen = Set<Int>()
        return axes.map { axis in
            let normalized = normalizedAxis(axis, rank: rank, op: op)
            check(
                seen.insert(normalized).inserted,
                "\(op): dimension \(normalized) appears more than once in the list of dimensions \(axes)")
            return normalized
        }
    }
}
