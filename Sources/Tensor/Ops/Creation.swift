extension Tensor {
    /// A tensor of `shape` with every element `value` (`torch.full`).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func full(_ shape: [Int], _ value: Scalar, requiresGrad: Bool = false) -> Tensor {
        check(shape.allSatisfy { $0 >= 0 }, "full: negative dimension in shape \(shape)")
        return Tensor(
            shape: shape, storage: TensorStorage(repeating: value, count: Shape.count(shape)), requiresGrad: requiresGrad)
    }

    /// A tensor of zeros (`torch.zeros`).
    public static func zeros(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        full(shape, .zero, requiresGrad: requiresGrad)
    }

    /// A tensor of zeros with `other`'s shape (`torch.zeros_like`).
    public static func zeros(like other: Tensor, requiresGrad: Bool = false) -> Tensor {
        zeros(other.shape, requiresGrad: requiresGrad)
    }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// A tensor of ones (`torch.ones`).
    public static func ones(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        full(shape, 1, requiresGrad: requiresGrad)
    }

    /// A tensor of ones with `other`'s shape (`torch.ones_like`).
    public static func ones(like other: Tensor, requiresGrad: Bool = false) -> Tensor {
        ones(other.shape, requiresGrad: requiresGrad)
    }

    /// The values `start, start + step, ...` below `end`, shape `[n]` (`torch.arange`).
    public static func arange(_ start: Scalar = 0, _ end: Scalar, step: Scalar = 1) -> Tensor {
        check(step != 0 && (end - start) / step >= 0, "arange: step \(step) does not lead from \(start) to \(end)")
        let n = Int(((end - start) / step).rounded(.up))
        return Tensor((0..<n).map { start + Scalar($0) * step })
    }

    /// The `n x m` identity matrix (`torch.eye`); `m` defaults to `n`.
    public static func eye(_ n: Int, _ m: Int? = nil) -> Tensor {
        let m = m ?? n
        var values = [Scalar](repeating: 0, count: n * m)
        for i in 0..<Swift.min(n, m) { values[i * m + i] = 1 }
        return Tensor(shape: [n, m], scalars: values)
    }

    /// One-hot rows: shape `indices.shape + [classes]`, with 1 at each index (`F.one_hot`).
    ///
    /// - Precondition: every index is in `0..<classes`.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func oneHot(_ indices: Tensor<Int>, classes: Int) -> Tensor {
        Tensor(shape: indices.shape + [classes]) { values in
            values.initialize(repeating: 0)
            indices.withUnsafeBufferPointer { indices in
                for (row, index) in indices.enumerated() {
                    check(index >= 0 && index < classes, "oneHot: class index \(index) out of range for \(classes) classes")
                    values[row * classes + index] = 1
                }
            }
        }
    }

    /// Samples from U(lower, upper) (`torch.empty(shape).uniform_(lower, upper)`), drawn exactly as
    /// PyTorch's CPU generator draws them: the same seed gives the same values.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func uniform(
        _ shape: [Int], lower: Scalar = 0, upper: Scalar = 1, generator: Generator = .default,
        requiresGrad: Bool = false
    ) -> Tensor {
        check(shape.allSatisfy { $0 >= 0 }, "uniform: negative dimension in shape \(shape)")
        let values = TensorStorage<Scalar>(count: Shape.count(shape)) { out in
            generator.withEngine { engine in
                for i in out.indices { (out.baseAddress! + i).initialize(to: Scalar.uniformSample(&engine, lower, upper)) }
            }
        }
        return Tensor(shape: shape, storage: values, requiresGrad: requiresGrad)
    }

    /// Samples from N(mean, std²) (`torch.empty(shape).normal_(mean, std)`) by the Box-Muller
    /// transform, drawn exactly as PyTorch's CPU generator draws them: the same seed gives the
    /// same values, bit for bit, for `Float` and `Double`. Tensors of 16 or more elements are
    /// filled with uniforms and transformed in blocks of 16; smaller ones draw one sample at a
    /// time and leave the spare of the last Box-Muller pair in the generator for the next
    /// draw, as PyTorch does.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public static func normal(
        _ shape: [Int], mean: Scalar = 0, std: Scalar = 1, generator: Generator = .default,
        requiresGrad: Bool = false
    ) -> Tensor {
        check(shape.allSatisfy { $0 >= 0 }, "normal: negative dimension in shape \(shape)")
        let values = TensorStorage<Scalar>(count: Shape.count(shape)) { out in
            generator.withState { NormalSampling.fill(out, mean: mean, std: std, state: &$0) }
        }
        return Tensor(shape: shape, storage: values, requiresGrad: requiresGrad)
    }

    /// Samples from U(0, 1) (`torch.rand`).
    public static func rand(_ shape: [Int], generator: Generator = .default) -> Tensor {
        uniform(shape, generator: generator)
    }

    /// Samples from N(0, 1) (`torch.randn`).
    public static func randn(_ shape: [Int], generator: Generator = .default) -> Tensor {
        normal(shape, generator: generator)
    }
}
