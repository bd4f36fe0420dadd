import Testing

@testable import Tensor

/// `forEachPart` and `parallelFor`, on the `CKernels` workers (`ck_parallel_for`): every part runs
/// exactly once, however the loops are nested or started from several threads at once.
@Suite("Parallel loops")
struct ParallelForTests {
    /// A count per part, incremented by the part's body (each part writes only its own slot).
    final class Counts: @unchecked Sendable {
        let slots: UnsafeMutablePointer<Int>
        let count: Int
        init(_ count: Int) {
            self.count = count
            slots = .allocate(capacity: count)
            slots.initialize(repeating: 0, count: count)
        }
        deinit { slots.deallocate() }
        func add(_ index: Int) { slots[index] += 1 }
        var all: [Int] { Array(UnsafeBufferPointer(start: slots, count: count)) }
    }

    @Test("every part runs exactly once", arguments: [1, 2, 3, 7, 64], [1, 2, 4])
    func everyPartOnce(parts: Int, threads: Int) {
        for _ in 0..<50 {
            let counts = Counts(parts)
            forEachPart(parts, threads: threads) { counts.add($0) }
            #expect(counts.all == Array(repeating: 1, count: parts))
        }
    }

    @Test("parallelFor covers the range with contiguous, disjoint pieces", arguments: [(10, 3), (5, 8), (1, 2), (1000, 2)])
    func ranges(count: Int, parts: Int) {
        let counts = Counts(count)
        parallelFor(count, parts: parts) { range in
            for i in range { counts.add(i) }
        }
        #expect(counts.all == Array(repeating: 1, count: count))
    }

    @Test("a loop started inside a part runs all its parts")
    func nested() {
        let outer = 4, inner = 5
        let counts = Counts(outer * inner)
        forEachPart(outer, threads: 3) { i in
            forEachPart(inner, threads: 3) { j in counts.add(i * inner + j) }
        }
        #expect(counts.all == Array(repeating: 1, count: outer * inner))
    }

    @Test("loops started from several threads at once all complete")
    func concurrentCallers() async {
        let callers = 4, loops = 200, parts = 3
        let results = await withTaskGroup(of: [Int].self) { group in
            for _ in 0..<callers {
                group.addTask {
                    let counts = Counts(parts)
                    for _ in 0..<loops { forEachPart(parts, threads: 3) { counts.add($0) } }
                    return counts.all
                }
            }
            return await group.reduce(into: [[Int]]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: Array(repeating: loops, count: parts), count: callers))
    }
}
