import Foundation
import Testing
import Tensor

/// The graph holds no reference cycles: tensors and graph nodes are freed once unreachable,
/// whether or not backward ran, and a training loop's memory stays flat. Serialized: two tests
/// change the C library's process-wide allocator settings, and two measure resident memory.
@Suite("Memory", .serialized)
struct MemoryTests {
    /// A forward pass through matmul, broadcasting, reductions and the shape and indexing ops.
    static func loss(_ x: Tensor<Double>, _ w: Tensor<Double>, _ b: Tensor<Double>) -> Tensor<Double> {
        let hidden = (x.matmul(w) + b).tanh()
        let joined = Tensor.cat(hidden.chunk(2, axis: 1).reversed(), axis: 1)
        let picked = joined.gather(axis: 1, index: Tensor(shape: [x.shape[0], 1], scalars: Array(repeating: 1, count: x.shape[0])))
        return joined.logSoftmax(axis: 1)[.all, 0].mean() + picked.square().sum() + Tensor.stack([b, b]).max()
    }

    @Test("intermediate tensors are freed after backward and after a forward-only pass", arguments: [true, false])
    func graphIsFreed(runBackward: Bool) {
        let w = sample([8, 8], seed: 3).requiringGrad(), b = sample([8], seed: 4).requiringGrad()
        weak var weakLoss: Tensor<Double>?
        weak var weakHidden: Tensor<Double>?
        do {
            let hidden = sample([4, 8], seed: 5).matmul(w) + b
            let loss = Self.loss(hidden, w, b)
            if runBackward { loss.backward() }
            weakLoss = loss
            weakHidden = hidden
        }
        #expect(weakLoss == nil)
        #expect(weakHidden == nil)
    }

    @Test("resident memory stays flat over 20,000 forward passes, half of them with backward")
    func residentMemoryIsFlat() throws {
        let w = sample([8, 8], seed: 6).requiringGrad(), b = sample([8], seed: 7).requiringGrad()
        let x = sample([4, 8], seed: 8)
        var afterWarmUp = 0
        for step in 1...20_000 {
            let loss = Tensor.cat([(x.matmul(w) + b).tanh(), b.unsqueeze(0)])[1...].sum()
            // Odd steps drop the graph without backward (evaluation outside withNoGrad).
            if step.isMultiple(of: 2) { loss.backward() }
            w.grad = nil
            b.grad = nil
            if step == 5_000 { afterWarmUp = try Self.residentBytes() }
        }
        let growth = try Self.residentBytes() - afterWarmUp
        // A leaked graph (6 tensors of up to 40 elements, their nodes and gradients) would be
        // several KB per step: tens of MB over the last 15,000 steps.
        #expect(growth < 8 << 20, "resident memory grew by \(growth) bytes")
    }

    @Test("storage of 64 bytes or more starts on a 64-byte boundary", arguments: [16, 17, 100, 4096])
    func storageIsAligned(count: Int) {
        let x = Tensor<Float>.zeros([count]), y = Tensor<Double>.ones([count])
        for address in [x.withUnsafeBufferPointer { $0.baseAddress! }, (x + 1).withUnsafeBufferPointer { $0.baseAddress! }] {
            #expect(Int(bitPattern: address) % 64 == 0)
        }
        #expect(Int(bitPattern: y.exp().withUnsafeBufferPointer { $0.baseAddress! }) % 64 == 0)
        let made = Tensor<Float>(shape: [count]) { $0.initialize(repeating: 2) }
        #expect(made.scalars == [Float](repeating: 2, count: count))
        #expect(Int(bitPattern: made.withUnsafeBufferPointer { $0.baseAddress! }) % 64 == 0)
    }

    @Test("a result freed each step leaves its block to the next step's result of the same size")
    func freedStorageIsReused() throws {
        #expect(Allocator.reuseFreedPages())   // as `examples` runs: blocks up to 32 MiB on the heap
        let x = Tensor<Float>.ones([1024, 8]), w = Tensor<Float>.ones([8, 1024])   // 4 MiB results
        var afterWarmUp = 0
        for step in 1...100 {
            let y = x.matmul(w)
            #expect(y.count == 1024 * 1024)
            if step == 5 { afterWarmUp = try Self.residentBytes() }
        }
        let growth = try Self.residentBytes() - afterWarmUp
        // 0 to 0.4 MB here. Blocks from posix_memalign, each too small for the next request of
        // the same size, grew it by 0.07 to 12.6 MB in five runs (the heap's layout decides), and
        // `bench --only gemm1024` by 44 MB.
        #expect(growth < 8 << 20, "resident memory grew by \(growth) bytes")
    }

    @Test("the glibc allocator settings take effect; sizes out of range are refused")
    func allocatorSettings() {
        #if os(Linux)
        // glibc's own initial values (128 KiB for both), which retain no more than the defaults.
        #expect(Allocator.reuseFreedPages(largestHeapBlock: 128 << 10, retainedFreeBytes: 128 << 10))
        #endif
        #expect(!Allocator.reuseFreedPages(largestHeapBlock: 0))
        #expect(!Allocator.reuseFreedPages(retainedFreeBytes: -1))
        #expect(!Allocator.reuseFreedPages(largestHeapBlock: 1 << 40))
    }

    /// The current resident set size, from /proc/self/statm (its second field, in pages).
    static func residentBytes() throws -> Int {
        let fields = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " ")
        let pages = try #require(fields.count > 1 ? Int(fields[1]) : nil)
        return pages * sysconf(Int32(_SC_PAGESIZE))
    }
}
