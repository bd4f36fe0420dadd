import Testing

@testable import Tensor

/// Tests of the products with `op(B)` packed beforehand (``GEMM/withPackedB(transB:k:n:b:ldb:instructionSet:_:)``
/// and ``GEMM/multiply(transA:m:alpha:a:lda:packedB:beta:c:ldc:)``): the same bits as the plain
/// product at every instruction set, whichever way `op(A)` is packed.
@Suite("Prepacked GEMM")
struct PrepackedGEMMTests {
    typealias Case = GEMMTests.Case

    /// Tile edges, a K deeper than one panel (KC 256), an N wider than one block of op(B) (NC
    /// 192 for AVX2), the recurrences' per-step shapes scaled down, and an op(A) too large to be
    /// packed whole (more than 256 KiB: packed strip by strip).
    static let shapes: [(Int, Int, Int)] = [
        (1, 1, 1), (3, 17, 33), (7, 40, 300), (13, 600, 20), (32, 200, 64), (16, 64, 200), (300, 40, 300),
    ]

    static let cases: [Case] = shapes.enumerated().flatMap { index, shape in
        (0..<4).map { t in
            let scalars = [(1.0, 0.0), (-0.5, 1.0), (2.0, 0.25), (1.0, 1.0)][(index + t) % 4]
            return Case(
                m: shape.0, n: shape.1, k: shape.2, transA: t & 1 == 1, transB: t & 2 == 2, pad: index % 2 == 0 ? 0 : 3,
                alpha: scalars.0, beta: scalars.1)
        }
    }

    /// The prepacked product of `problem` at `isa`, on a copy of its C.
    private func runPrepacked<S: TensorFloatingPoint>(
        _ problem: GEMMTests.Problem<S>, _ test: Case, isa: GEMM.InstructionSet
    ) -> [S] {
        var out = problem.c
        problem.a.withUnsafeBufferPointer { a in
            problem.b.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { c in
                    GEMM.withPackedB(
                        transB: test.transB, k: test.k, n: test.n, b: b.baseAddress!, ldb: problem.ldb, instructionSet: isa
                    ) { packed in
                        GEMM.multiply(
                            transA: test.transA, m: test.m, alpha: S(test.alpha), a: a.baseAddress!, lda: problem.lda,
                            packedB: packed, beta: S(test.beta), c: c.baseAddress!, ldc: problem.ldc)
                    }
                }
            }
        }
        return out
    }

    private func check<S: TensorFloatingPoint>(_ type: S.Type, _ test: Case, isa: GEMM.InstructionSet) {
        let problem = GEMMTests.Problem<S>(test)
        let prepacked = runPrepacked(problem, test, isa: isa)
        let plain = problem.run(test, threads: 1, instructionSet: isa)
        #expect(
            prepacked.elementsEqual(plain) { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(test) [\(S.self), \(isa)]")
        problem.verify(prepacked, test)
    }

    @Test("equals the plain product bit for bit and matches the naive one", arguments: GEMM.InstructionSet.allCases)
    func matchesPlainProduct(_ isa: GEMM.InstructionSet) {
        for test in Self.cases {
            check(Float.self, test, isa: isa)
            check(Double.self, test, isa: isa)
        }
    }

    /// One packed op(B) shared by concurrent products (a time loop split over the batch): each
    /// part's rows equal the whole product's.
    @Test("one packed op(B) serves concurrent products on disjoint rows")
    func sharedAcrossThreads() {
        let test = Case(m: 24, n: 300, k: 270, transA: false, transB: true, pad: 1, alpha: 1, beta: 1)
        let problem = GEMMTests.Problem<Float>(test, reference: false)
        let whole = problem.run(test, threads: 1)
        let (lda, ldc) = (problem.lda, problem.ldc)
        var out = problem.c
        problem.a.withUnsafeBufferPointer { a in
            problem.b.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { c in
                    let a = GEMM.ReadPointer(a.baseAddress!), c = GEMM.WritePointer(c.baseAddress!)
                    GEMM.withPackedB(transB: true, k: test.k, n: test.n, b: b.baseAddress!, ldb: problem.ldb) { packed in
                        parallelFor(test.m, parts: 3) { rows in
                            GEMM.multiply(
                                transA: false, m: rows.count, alpha: 1, a: a.pointer + rows.lowerBound * lda, lda: lda,
                                packedB: packed, beta: 1, c: c.pointer + rows.lowerBound * ldc, ldc: ldc)
                        }
                    }
                }
            }
        }
        #expect(out.elementsEqual(whole) { $0 == $1 || ($0.isNaN && $1.isNaN) })
    }
}
