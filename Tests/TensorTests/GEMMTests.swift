import Testing

@testable import Tensor

/// Tests of ``GEMM`` (the CKernels microkernels and their Swift wrapper) against a naive
/// triple loop evaluated in `Double`.
@Suite("GEMM")
struct GEMMTests {
    /// One product to check: sizes, transposes, padding of the leading dimensions, scalars.
    struct Case: Sendable, CustomStringConvertible {
        /// Rows of op(A) and C.
        var m: Int
        /// Columns of op(B) and C.
        var n: Int
        /// Columns of op(A), rows of op(B).
        var k: Int
        /// Whether A is stored transposed.
        var transA = false
        /// Whether B is stored transposed.
        var transB = false
        /// Extra elements at the end of every stored row of A, B and C (filled with NaN).
        var pad = 0
        /// The scale of op(A)·op(B).
        var alpha = 1.0
        /// The scale of the previous C; when 0, C starts filled with NaN.
        var beta = 0.0

        /// A compact description for test reports.
        var description: String {
            "\(m)x\(k)\(transA ? "ᵀ" : "")·\(k)x\(n)\(transB ? "ᵀ" : "") pad=\(pad) α=\(alpha) β=\(beta)"
        }
    }

    /// A deterministic SplitMix64 generator, so failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        /// The generator state.
        var state: UInt64
        /// The next 64 random bits.
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Operands and the naive reference result for one case.
    struct Problem<S: TensorFloatingPoint> {
        /// A as stored (rows padded), NaN in the padding.
        var a: [S]
        /// B as stored (rows padded), NaN in the padding.
        var b: [S]
        /// C before the product (NaN everywhere when beta == 0, and in the padding).
        var c: [S]
        /// The leading dimensions.
        var lda: Int, ldb: Int, ldc: Int
        /// alpha · op(A) · op(B) + beta · C computed in Double, and the sum of magnitudes of its
        /// terms (for an error bound).
        var expected: [Double], magnitude: [Double]

        /// Random operands for `test`, the reference computed by a triple loop in Double (skipped,
        /// leaving `expected` empty, when `reference` is false).
        init(_ test: Case, seed: UInt64 = 42, reference: Bool = true) {
            var rng = SplitMix(state: seed &+ UInt64(test.m * 1_000_003 + test.n * 1009 + test.k))
            let (m, n, k) = (test.m, test.n, test.k)
            let (aRows, aCols) = test.transA ? (k, m) : (m, k)
            let (bRows, bCols) = test.transB ? (n, k) : (k, n)
            lda = Swift.max(1, aCols + test.pad)
            ldb = Swift.max(1, bCols + test.pad)
            ldc = Swift.max(1, n + test.pad)
            func matrix(_ rows: Int, _ cols: Int, _ ld: Int, nan: Bool) -> [S] {
                var x = [S](repeating: .nan, count: Swift.max(1, rows * ld))
                if !nan {
                    for i in 0..<rows { for j in 0..<cols { x[i * ld + j] = S(Double.random(in: -1...1, using: &rng)) } }
                }
                return x
            }
            a = matrix(aRows, aCols, lda, nan: false)
            b = matrix(bRows, bCols, ldb, nan: false)
            c = matrix(m, n, ldc, nan: test.beta == 0)
            guard reference else {
                expected = []
                magnitude = []
                return
            }
            // op(A) row-major and op(B) column-major in Double, so the triple loop runs on
            // contiguous buffers (it dominates the suite's time in a debug build).
            var opA = [Double](repeating: 0, count: m * k), opB = [Double](repeating: 0, count: k * n)
            for i in 0..<m { for p in 0..<k { opA[i * k + p] = Double(test.transA ? a[p * lda + i] : a[i * lda + p]) } }
            for j in 0..<n { for p in 0..<k { opB[j * k + p] = Double(test.transB ? b[j * ldb + p] : b[p * ldb + j]) } }
            var expected = [Double](repeating: 0, count: m * n), magnitude = expected
            opA.withUnsafeBufferPointer { x in
                opB.withUnsafeBufferPointer { y in
                    for i in 0..<m {
                        for j in 0..<n {
                            var sum = 0.0, mag = 0.0
                            let xi = x.baseAddress! + i * k, yj = y.baseAddress! + j * k
                            for p in 0..<k {
                                let product = xi[p] * yj[p]
                                sum += product
                                mag += abs(product)
                            }
                            expected[i * n + j] = sum
                            magnitude[i * n + j] = mag
                        }
                    }
                }
            }
            for i in 0..<m {
                for j in 0..<n {
                    let old = test.beta == 0 ? 0 : Double(c[i * ldc + j])
                    expected[i * n + j] = test.alpha * expected[i * n + j] + test.beta * old
                    magnitude[i * n + j] = abs(test.alpha) * magnitude[i * n + j] + abs(test.beta * old)
                }
            }
            self.expected = expected
            self.magnitude = magnitude
        }

        /// Runs GEMM on a copy of C and returns it.
        func run(
            _ test: Case, threads: Int = 1, instructionSet: GEMM.InstructionSet? = nil,
            minParallelFlops: Int = GEMM.parallelThreshold
        ) -> [S] {
            var out = c
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    out.withUnsafeMutableBufferPointer { pc in
                        GEMM.multiply(
                            transA: test.transA, transB: test.transB, m: test.m, n: test.n, k: test.k,
                            alpha: S(test.alpha), a: pa.baseAddress!, lda: lda,
                            b: pb.baseAddress!, ldb: ldb,
                            beta: S(test.beta), c: pc.baseAddress!, ldc: ldc,
                            threads: threads, instructionSet: instructionSet, minParallelFlops: minParallelFlops)
                    }
                }
            }
            return out
        }

        /// Checks `out` against the reference within a dot-product error bound, and that the padding
        /// of C is untouched.
        func verify(_ out: [S], _ test: Case, sourceLocation: SourceLocation = #_sourceLocation) {
            let ulp = Double(S.ulpOfOne)
            var failures = 0
            for i in 0..<test.m {
                for j in 0..<ldc {
                    let got = out[i * ldc + j]
                    if j >= test.n {
                        // Padding must keep its old contents (NaN or a value).
                        let old = c[i * ldc + j]
                        if !(got == old || (got.isNaN && old.isNaN)) { failures += 1 }
                        continue
                    }
                    let want = expected[i * test.n + j]
                    let tolerance = magnitude[i * test.n + j] * Double(test.k + 4) * ulp + Double.leastNormalMagnitude
                    if !(abs(Double(got) - want) <= tolerance) {
                        failures += 1
                        if failures <= 3 {
                            Issue.record(
                                "\(test) [\(S.self)] C[\(i),\(j)] = \(got), expected \(want) ± \(tolerance)",
                                sourceLocation: sourceLocation)
                        }
                    }
                }
            }
            #expect(failures == 0, "\(test) [\(S.self)]: \(failures) wrong elements", sourceLocation: sourceLocation)
        }
    }

    /// Sizes covering tile edges (1, 3, 17, 33, 65, 129 against 12 × 32 / 6 × 16 / 4 × 8 tiles), the
    /// project's small RNN shapes, and both the direct and the packed algorithm.
    static let shapes: [(Int, Int, Int)] = [
        (1, 1, 1), (1, 15, 15), (14, 15, 12), (3, 17, 33), (17, 33, 65), (33, 65, 129), (65, 129, 17),
        (129, 3, 65), (1, 129, 65), (129, 1, 33), (65, 17, 1), (129, 129, 129), (33, 129, 3),
    ]

    /// Every shape with every combination of transposes, with padded leading dimensions on odd
    /// shapes and a mix of alpha and beta.
    static let cases: [Case] = shapes.enumerated().flatMap { index, shape in
        (0..<4).map { t in
            let scalars = [(1.0, 0.0), (-0.5, 1.0), (2.0, 0.25), (1.0, 1.0)][(index + t) % 4]
            return Case(
                m: shape.0, n: shape.1, k: shape.2, transA: t & 1 == 1, transB: t & 2 == 2,
                pad: index % 2 == 0 ? 0 : 3, alpha: scalars.0, beta: scalars.1)
        }
    }

    @Test("Float matches the naive product", arguments: cases)
    func floatMatchesNaive(_ test: Case) {
        let problem = Problem<Float>(test)
        problem.verify(problem.run(test), test)
    }

    @Test("Double matches the naive product", arguments: cases)
    func doubleMatchesNaive(_ test: Case) {
        let problem = Problem<Double>(test)
        problem.verify(problem.run(test), test)
    }

    /// Every instruction set the CPU supports (and, through lowering, the others), on a subset.
    @Test("each instruction set matches the naive product", arguments: GEMM.InstructionSet.allCases)
    func instructionSets(_ isa: GEMM.InstructionSet) {
        for test in Self.cases where test.m * test.n * test.k <= 70_000 {
            let f = Problem<Float>(test)
            f.verify(f.run(test, instructionSet: isa), test)
            let d = Problem<Double>(test)
            d.verify(d.run(test, instructionSet: isa), test)
        }
    }

    @Test("beta = 0 ignores NaN in C; leading dimensions larger than a row", arguments: [false, true])
    func betaZeroWithNaN(_ transposed: Bool) {
        for (m, n, k) in [(1, 1, 1), (3, 17, 33), (33, 65, 17), (65, 33, 129)] {
            let test = Case(m: m, n: n, k: k, transA: transposed, transB: transposed, pad: 7, alpha: 1.5, beta: 0)
            let f = Problem<Float>(test)
            let out = f.run(test)
            #expect(!(0..<m).contains { i in (0..<n).contains { out[i * f.ldc + $0].isNaN } })
            f.verify(out, test)
            let d = Problem<Double>(test)
            d.verify(d.run(test), test)
        }
    }

    @Test("alpha = 0 or k = 0 gives beta · C without reading A and B")
    func alphaZeroAndEmptyK() {
        for beta in [0.0, 1.0, -2.0] {
            var c: [Float] = [1, 2, 3, 4, 5, 6]
            let nan: [Float] = [.nan, .nan, .nan, .nan, .nan, .nan]
            nan.withUnsafeBufferPointer { p in
                GEMM.multiply(
                    transA: false, transB: false, m: 2, n: 3, k: 2, alpha: 0, a: p.baseAddress!, lda: 2,
                    b: p.baseAddress!, ldb: 3, beta: Float(beta), c: &c, ldc: 3)
            }
            #expect(c == [1, 2, 3, 4, 5, 6].map { $0 * Float(beta) })
            var d: [Double] = [.nan, 2, 3, 4, 5, 6]
            [1.0].withUnsafeBufferPointer { p in
                GEMM.multiply(
                    transA: true, transB: true, m: 2, n: 3, k: 0, alpha: 1, a: p.baseAddress!, lda: 2,
                    b: p.baseAddress!, ldb: 1, beta: beta, c: &d, ldc: 3)
            }
            if beta == 0 { #expect(d == [0, 0, 0, 0, 0, 0]) } else { #expect(Array(d.dropFirst()) == [2, 3, 4, 5, 6].map { $0 * beta }) }
        }
        // m = 0 or n = 0: nothing is touched.
        var c: [Float] = [.nan]
        [Float(1)].withUnsafeBufferPointer { p in
            GEMM.multiply(
                transA: false, transB: false, m: 0, n: 1, k: 1, alpha: 1, a: p.baseAddress!, lda: 1,
                b: p.baseAddress!, ldb: 1, beta: 0, c: &c, ldc: 1)
        }
        #expect(c[0].isNaN)
    }

    @Test("a K deeper than one packed panel accumulates across panels")
    func deepK() {
        for t in 0..<4 {
            let test = Case(m: 40, n: 70, k: 300, transA: t & 1 == 1, transB: t & 2 == 2, pad: 1, alpha: 0.5, beta: 1)
            let f = Problem<Float>(test)
            f.verify(f.run(test), test)
            let d = Problem<Double>(test)
            d.verify(d.run(test), test)
        }
    }

    /// A single row takes its own kernel (many columns in flight at once), and up to three rows
    /// times a transposed op(B) another (op(B) transposed in registers, not copied); their sums
    /// must round exactly as a tile row's do, so a batch-1 step computes what the same row of a
    /// batch does. Sizes past a K panel (300) and off the vector width, at every instruction set.
    @Test("products of one to four rows equal the same rows of a larger product bit for bit", arguments: [false, true])
    func fewRowsMatchTileRows(_ isDouble: Bool) {
        for isa in GEMM.InstructionSet.allCases {
            GEMM.$instructionSetLimit.withValue(isa) {
                for (n, k) in [(1, 1), (15, 15), (100, 100), (129, 65), (300, 300)] {
                    for t in 0..<4 {
                        let test = Case(
                            m: 13, n: n, k: k, transA: t & 1 == 1, transB: t & 2 == 2, pad: t, alpha: 1.5, beta: t < 2 ? 0 : 0.5)
                        for rows in 1...4 {
                            if isDouble {
                                checkRows(Problem<Double>(test, reference: false), test, rows: rows, isa: isa)
                            } else {
                                checkRows(Problem<Float>(test, reference: false), test, rows: rows, isa: isa)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Runs `problem` whole, then `rows` rows at a time, and expects the same bits.
    private func checkRows<S: TensorFloatingPoint>(_ problem: Problem<S>, _ test: Case, rows: Int, isa: GEMM.InstructionSet) {
        let whole = problem.run(test)
        var out = problem.c
        for first in stride(from: 0, to: test.m, by: rows) {
            problem.a.withUnsafeBufferPointer { a in
                problem.b.withUnsafeBufferPointer { b in
                    out.withUnsafeMutableBufferPointer { c in
                        GEMM.multiply(
                            transA: test.transA, transB: test.transB, m: Swift.min(rows, test.m - first), n: test.n,
                            k: test.k, alpha: S(test.alpha), a: a.baseAddress! + (test.transA ? first : first * problem.lda),
                            lda: problem.lda, b: b.baseAddress!, ldb: problem.ldb, beta: S(test.beta),
                            c: c.baseAddress! + first * problem.ldc, ldc: problem.ldc)
                    }
                }
            }
        }
        // Equal values, and NaN where the other is NaN (the padding and, when beta is 0, C before the product).
        #expect(out.elementsEqual(whole) { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(test) \(rows) rows at a time [\(S.self), \(isa)]")
    }

    @Test("the forced portable path matches the naive product")
    func forcedPortable() {
        GEMM.$instructionSetLimit.withValue(.portable) {
            #expect(GEMM.activeInstructionSet == .portable)
            for test in Self.cases where test.m * test.n * test.k <= 70_000 {
                let f = Problem<Float>(test)
                f.verify(f.run(test), test)
                let d = Problem<Double>(test)
                d.verify(d.run(test), test)
            }
        }
        #expect(GEMM.activeInstructionSet == GEMM.supportedInstructionSet)
    }

    /// The kernels round identically whichever algorithm (direct, packed, swapped) a block takes,
    /// so splitting the product across threads does not change a single bit. The shapes include a
    /// K deeper than one panel, a product whose whole takes the packed path while its column
    /// blocks take the direct one, and shared products (a job: op(B) packed once, rows handed
    /// out), one of them wider than a packed panel.
    @Test("multithreaded results equal single-threaded ones", arguments: [2, 3, 4])
    func threadsAgree(_ threads: Int) {
        let isa = GEMM.supportedInstructionSet
        for (m, n, k) in [(129, 129, 65), (5, 129, 33), (129, 7, 17), (65, 65, 129), (2, 2, 2), (40, 129, 300), (24, 600, 300), (100, 600, 300), (50, 1100, 200)] {
            for t in 0..<4 {
                let test = Case(m: m, n: n, k: k, transA: t & 1 == 1, transB: t & 2 == 2, pad: t, alpha: 1.25, beta: 0.5)
                // The naive reference is checked for the smaller shapes only (it dominates the time).
                let small = m * n * k <= 1_200_000
                let f = Problem<Float>(test, reference: small)
                let single = f.run(test, threads: 1, instructionSet: isa)
                let multi = f.run(test, threads: threads, instructionSet: isa, minParallelFlops: 0)
                #expect(single.elementsEqual(multi) { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(test) Float")
                if small { f.verify(multi, test) }
                let d = Problem<Double>(test, reference: false)
                let dsingle = d.run(test, threads: 1, instructionSet: isa)
                let dmulti = d.run(test, threads: threads, instructionSet: isa, minParallelFlops: 0)
                #expect(dsingle.elementsEqual(dmulti) { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(test) Double")
            }
        }
    }

    @Test("the instruction set is detected")
    func detection() {
        #expect(GEMM.supportedInstructionSet.rawValue >= GEMM.activeInstructionSet.rawValue)
        #if !arch(x86_64)
        #expect(GEMM.supportedInstructionSet == .portable)
        #endif
        let (rows, columns) = GEMM.tile(isa: GEMM.supportedInstructionSet.rawValue, isDouble: false)
        #expect(rows >= 4 && columns >= 8)
    }
}
