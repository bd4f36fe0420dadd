import Foundation
import Testing

@testable import Tensor

/// `GEMM.instructionSetLimit` is task-local, and the kernel threads that run the parts of a
/// parallel loop do not see it by themselves (`forEachPart` sets it again around every part): the
/// products such a loop runs must take the instruction set of the thread that started it. With the portable kernels forced, one thread and two must give the
/// same bits (the worker's rows would otherwise be computed by the AVX2 or AVX-512 kernels).
@Suite("A limited instruction set holds on worker threads", .serialized)
struct InstructionSetLimitTests {
    /// The mechanism: every part sees the limit. A loop started while another test's loop runs
    /// keeps every part on the calling thread, where the limit is seen anyway, so the loop is
    /// repeated (for up to two seconds) until a part has run on a worker thread.
    @Test("every part of a parallel loop sees the caller's limit, on whichever thread it runs")
    func partsSeeTheLimit() {
        let seen = UnsafeMutablePointer<GEMM.InstructionSet?>.allocate(capacity: 2)
        let onWorker = UnsafeMutablePointer<Bool>.allocate(capacity: 2)
        defer {
            seen.deallocate()
            onWorker.deallocate()
        }
        let (seenParts, workerParts) = (GEMM.WritePointer(seen), GEMM.WritePointer(onWorker))
        let caller = pthread_self()
        var ranOnWorker = false
        let deadline = Date().addingTimeInterval(2)
        while !ranOnWorker && Date() < deadline {
            GEMM.$instructionSetLimit.withValue(.portable) {
                forEachPart(2, threads: 2) { part in
                    seenParts.pointer[part] = GEMM.instructionSetLimit
                    workerParts.pointer[part] = pthread_equal(pthread_self(), caller) == 0
                }
            }
            #expect(seen[0] == .portable && seen[1] == .portable)
            ranOnWorker = onWorker[0] || onWorker[1]
        }
    }

    /// The fused RNN's time loop split over the batch (8 rows in two parts of 4: the direct
    /// product on an aligned copy of W_hh), output and gradients.
    @Test("the fused RNN's time loop", arguments: GEMM.InstructionSet.allCases)
    func recurrentTimeLoop(isa: GEMM.InstructionSet) {
        let inputs = RecurrentSequenceThreadingTests.inputs(7).map { $0.converted(to: Float.self) }
        let weights = Tensor<Float>.uniform([8, 128, 64], lower: -1, upper: 1, generator: Generator(seed: 8))
        GEMM.$instructionSetLimit.withValue(isa) {
            let one = withThreads(1) { RecurrentSequenceThreadingTests.run(inputs, weights: weights, activation: .tanh) }
            let two = withThreads(2) { RecurrentSequenceThreadingTests.run(inputs, weights: weights, activation: .tanh) }
            #expect(zip(one, two).allSatisfy { $0.scalars == $1.scalars }, "\(isa)")
        }
    }

    /// Scaled dot-product attention over 8 batch indices (spread over the threads), output and
    /// the gradients of query, key and value.
    @Test("attention's batch indices", arguments: GEMM.InstructionSet.allCases)
    func attentionBatches(isa: GEMM.InstructionSet) {
        let g = Generator(seed: 9)
        let (query, key, value) = (
            Tensor<Float>.uniform([4, 2, 16, 8], lower: -1, upper: 1, generator: g),
            Tensor<Float>.uniform([4, 2, 16, 8], lower: -1, upper: 1, generator: g),
            Tensor<Float>.uniform([4, 2, 16, 8], lower: -1, upper: 1, generator: g))
        let weights = Tensor<Float>.uniform([4, 2, 16, 8], lower: -1, upper: 1, generator: g)
        func run() -> [[Float]] {
            let leaves = [query, key, value].map { $0.detach().requiringGrad() }
            let y = Tensor.scaledDotProductAttention(query: leaves[0], key: leaves[1], value: leaves[2], isCausal: true)
            (y * weights).sum().backward()
            return [y.scalars] + leaves.map { $0.grad!.scalars }
        }
        GEMM.$instructionSetLimit.withValue(isa) {
            let one = withThreads(1) { run() }
            let two = withThreads(2) { run() }
            let identical = one == two
            #expect(identical, "\(isa)")
        }
    }
}
