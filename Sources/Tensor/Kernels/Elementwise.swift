/// The loops behind every elementwise operation. They are `@inline(__always)` so that each
/// operation, specialised for `Float` and `Double` with `@_specialize`, gets its own
/// concrete loop with the closure inlined (no per-element generic dispatch).
extension Tensor {
    /// A new tensor of `f` applied to each element.
    @inline(__always) @usableFromInline
    func map<R: TensorElement>(_ f: (Scalar) -> R) -> Tensor<R> {
        let n = count
        let values = withUnsafeBufferPointer { x in
            TensorStorage<R>(count: n) { out in
                for i in 0..<n { (out.baseAddress! + i).initialize(to: f(x[i])) }
            }
        }
        return Tensor<R>(shape: shape, storage: values)
    }

    /// A new tensor written by `kernel(x, y, count)`, which applies one function to the whole
    /// buffer `x` at once into `y` (the vectorised functions of ``VectorMath``).
    @inline(__always) @usableFromInline
    func mapBuffer(_ kernel: (UnsafePointer<Scalar>, UnsafeMutablePointer<Scalar>, Int) -> Void) -> Tensor {
        let n = count
        let values = withUnsafeBufferPointer { x in
            TensorStorage<Scalar>(count: n) { out in
                if n > 0 { kernel(x.baseAddress!, out.baseAddress!, n) }
            }
        }
        return Tensor(shape: shape, storage: values)
    }

    /// A new tensor of `f` applied to corresponding elements of `self` and `other`, with
    /// NumPy/PyTorch broadcasting; traps naming `op` if the shapes do not broadcast.
    @inline(__always) @usableFromInline
    func zipWith<Other: TensorElement, R: TensorElement>(
        _ other: Tensor<Other>, op: String, _ f: (Scalar, Other) -> R
    ) -> Tensor<R> {
        if shape == other.shape {
            let n = count
            let values = withUnsafeBufferPointer { a in
                other.withUnsafeBufferPointer { b in
                    TensorStorage<R>(count: n) { out in
                        for i in 0..<n { (out.baseAddress! + i).initialize(to: f(a[i], b[i])) }
                    }
                }
            }
            return Tensor<R>(shape: shape, storage: values)
        }
        guard let outShape = Shape.broadcast(shape, other.shape) else {
            fatalError("\(op): shapes \(shape) and \(other.shape) cannot be broadcast together")
        }
        let n = Shape.count(outShape)
        let stridesA = Shape.broadcastStrides(shape, to: outShape)
        let stridesB = Shape.broadcastStrides(other.shape, to: outShape)
        let values = withUnsafeBufferPointer { a in
            other.withUnsafeBufferPointer { b in
                TensorStorage<R>(count: n) { out in
                    guard n > 0 else { return }
                    let rank = outShape.count
                    let inner = outShape[rank - 1]
                    let innerA = stridesA[rank - 1], innerB = stridesB[rank - 1]
                    var index = [Int](repeating: 0, count: rank)
                    var offsetA = 0, offsetB = 0
                    var start = 0
                    while start < n {
                        for j in 0..<inner {
                            (out.baseAddress! + start + j).initialize(to: f(a[offsetA + j * innerA], b[offsetB + j * innerB]))
                        }
                        start += inner
                        var d = rank - 2
                        while d >= 0 {
                            index[d] += 1
                            offsetA += stridesA[d]
                            offsetB += stridesB[d]
                            if index[d] < outShape[d] { break }
                            offsetA -= stridesA[d] * outShape[d]
                            offsetB -= stridesB[d] * outShape[d]
                            index[d] = 0
                            d -= 1
                        }
                    }
                }
            }
        }
        return Tensor<R>(shape: outShape, storage: values)
    }
}

/// The four elementwise arithmetic operators, named as in the traps of ``Tensor/zipWith(_:op:_:)``.
@usableFromInline
enum ArithmeticOperator: String, Sendable {
    case add, sub, mul, div
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// `self op other` elementwise with broadcasting (``zipWith(_:op:_:)``); two tensors of one
    /// shape with at least 65,536 elements are computed in ranges on several threads
    /// (``parallelForElements(_:minimumCount:_:)``), which changes no element's arithmetic.
    @inline(__always) @usableFromInline
    func arithmetic(_ other: Tensor, _ op: ArithmeticOperator) -> Tensor {
        let n = count
        guard shape == other.shape, n >= parallelMinimumElements, Parallelism.maxThreads > 1 else {
            switch op {
            case .add: return zipWith(other, op: op.rawValue) { $0 + $1 }
            case .sub: return zipWith(other, op: op.rawValue) { $0 - $1 }
            case .mul: return zipWith(other, op: op.rawValue) { $0 * $1 }
            case .div: return zipWith(other, op: op.rawValue) { $0 / $1 }
            }
        }
        let values = withUnsafeBufferPointer { a in
            other.withUnsafeBufferPointer { b in
                TensorStorage<Scalar>(count: n) { out in
                    let (a, b, out) = (GEMM.ReadPointer(a.baseAddress!), GEMM.ReadPointer(b.baseAddress!), GEMM.WritePointer(out.baseAddress!))
                    parallelForElements(n) { range in
                        let (a, b, out) = (a.pointer, b.pointer, out.pointer)
                        switch op {
                        case .add: for i in range { (out + i).initialize(to: a[i] + b[i]) }
                        case .sub: for i in range { (out + i).initialize(to: a[i] - b[i]) }
                        case .mul: for i in range { (out + i).initialize(to: a[i] * b[i]) }
                        case .div: for i in range { (out + i).initialize(to: a[i] / b[i]) }
                        }
                    }
                }
            }
        }
        return Tensor(shape: shape, storage: values)
    }
}
