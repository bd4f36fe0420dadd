/// Random permutations and sampling drawn exactly as PyTorch's CPU generator draws them
/// (checked against PyTorch 2.15 in RandomSamplingTests): `randperm`, `multinomial`, `bernoulli`.
extension Tensor where Scalar == Int {
    /// A random permutation of `0..<n` (`torch.randperm(n, generator=g)`), drawn as PyTorch's CPU
    /// kernel draws it for n < 2³²/20: starting from 0, 1, ..., n-1, for i = 0 ..< n-1 it swaps
    /// position i with position i + (w mod (n - i)) for the next 32-bit word w. The same seed
    /// gives PyTorch's permutation. (Larger n, where PyTorch switches to 64-bit draws, are
    /// drawn the same way here and may differ from PyTorch.)
    ///
    /// - Precondition: `n >= 0`.
    public static func randperm(_ n: Int, generator: Generator = .default) -> Tensor<Int> {
        check(n >= 0, "randperm: n must be non-negative, got \(n)")
        var values = Array(0..<n)
        generator.withEngine { engine in
            for i in 0..<Swift.max(n - 1, 0) {
                let z = Int(UInt64(engine.next32()) % UInt64(n - i))
                values.swapAt(i, i + z)
            }
        }
        return Tensor(values)
    }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// Indices sampled from the categorical distributions in the rows of `self`
    /// (`torch.multinomial(probabilities, numSamples, replacement, generator=g)`).
    ///
    /// Shapes: `self` is `[categories]` or `[rows, categories]` of non-negative weights (rows need
    /// not sum to 1); the result is `[numSamples]` or `[rows, numSamples]`. Drawn as PyTorch's CPU
    /// kernels draw: without replacement (and for a single sample), the `numSamples` largest of
    /// w / e for exponential draws e = -log1p(-u) (u a 53-bit uniform), in decreasing order;
    /// with replacement, for each sample a 53-bit uniform located by binary search in the
    /// row's cumulative distribution, accumulated and normalised in `Double`.
    /// - Precondition: weights are finite and non-negative, each row has a positive sum, and
    ///   without replacement `numSamples` is at most the number of categories with weight > 0.
    public func multinomial(numSamples: Int, replacement: Bool = false, generator: Generator = .default) -> Tensor<Int> {
        check(rank == 1 || rank == 2, "multinomial: prob_dist must be 1 or 2 dim, got shape \(shape)")
        let categories = shape[rank - 1], rows = rank == 2 ? shape[0] : 1
        check(numSamples > 0, "multinomial: cannot sample n_sample <= 0 samples")
        let weights = scalars.map(\.doubleValue)
        for row in 0..<rows {
            let line = weights[(row * categories)..<((row + 1) * categories)]
            check(line.allSatisfy { $0.isFinite && $0 >= 0 }, "multinomial: probability tensor contains either inf, nan or element < 0")
            check(line.reduce(0, +) > 0, "multinomial: invalid multinomial distribution (sum of probabilities <= 0)")
            check(
                replacement || numSamples <= line.filter({ $0 > 0 }).count,
                "multinomial: cannot sample \(numSamples) > prob_dist.size(-1) (or the number of non-zero weights) samples without replacement")
        }
        var result = [Int](repeating: 0, count: rows * numSamples)
        generator.withEngine { engine in
            if !replacement || numSamples == 1 {
                // Gumbel-top-k in PyTorch's form: q ~ Exp(1) for every weight (in the element type), then topk(w / q).
                let keys = weights.indices.map { i -> Scalar in
                    let e = Scalar(-Double.log1p(-Double.uniformSample(&engine, 0, 1)))
                    return Scalar(weights[i]) / e
                }
                for row in 0..<rows {
                    let line = keys[(row * categories)..<((row + 1) * categories)]
                    let order = line.indices.sorted { a, b in
                        line[a] == line[b] ? a < b : line[a] > line[b]
                    }
                    for k in 0..<numSamples { result[row * numSamples + k] = order[k] - row * categories }
                }
                return
            }
            for row in 0..<rows {
                var cumulative = [Double](repeating: 0, count: categories)
                var sum = 0.0
                for j in 0..<categories {
                    sum += weights[row * categories + j]
                    cumulative[j] = sum
                }
                for j in 0..<categories { cumulative[j] /= sum }
                cumulative[categories - 1] = 1
                for k in 0..<numSamples {
                    let u = Double.uniformSample(&engine, 0, 1)
                    var left = 0, right = categories
                    while right - left > 0 {
                        let middle = left + (right - left) / 2
                        if cumulative[middle] < u { left = middle + 1 } else { right = middle }
                    }
                    result[row * numSamples + k] = left
                }
            }
        }
        return Tensor<Int>(shape: rank == 2 ? [rows, numSamples] : [numSamples], scalars: result)
    }

    /// 1 with probability p and 0 otherwise, for each element p of `self`
    /// (`torch.bernoulli(probabilities, generator=g)`): 1 where a uniform draw in this element
    /// type (24 bits for `Float`, 53 for `Double`) is below p, as PyTorch's CPU kernel draws.
    /// (PyTorch's in-place `x.bernoulli_(p)` with a scalar p draws through MKL, a different
    /// stream; pass a tensor of p instead to get PyTorch's numbers.)
    /// - Precondition: every element is in [0, 1].
    public func bernoulli(generator: Generator = .default) -> Tensor {
        check(withUnsafeBufferPointer { $0.allSatisfy { $0 >= 0 && $0 <= 1 } }, "bernoulli: expected all probabilities in [0, 1]")
        let p = scalars
        return Tensor(shape: shape) { out in
            generator.withEngine { engine in
                for i in out.indices { (out.baseAddress! + i).initialize(to: Scalar.uniformSample(&engine, 0, 1) < p[i] ? 1 : 0) }
            }
        }
    }
}
