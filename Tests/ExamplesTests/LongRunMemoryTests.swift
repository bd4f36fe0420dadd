import Experiments
import Foundation
import Optim
import Tensor
import Testing

/// A long training run keeps resident memory flat: no graph outlives its step and no reference
/// cycle survives between tensors, graph nodes, modules and optimizer state.
@Suite("Long runs")
struct LongRunMemoryTests {
    @Test("resident memory stays flat over 12,000 epochs of the coursework training loop", arguments: ["adam", "rmsprop"])
    func trainingMemoryIsFlat(optimizerName: String) throws {
        let task = try CharTask<Float>(text: "abcab")
        let model = CharRNN<Float>(vocabularySize: task.vocabulary.count, hiddenSize: 4, generator: Generator(seed: 0))
        let optimizer: any Optimizer<Float> = optimizerName == "adam"
            ? try Adam(model.parameters(), lr: 1e-3) : try RMSprop(model.parameters(), lr: 1e-3)
        // Resident memory after the warm-up (epoch 2,000) and after every further 1,000 epochs.
        var samples: [Int] = []
        var readError: (any Error)?
        let result = try train(model, on: task, optimizer: optimizer, epochs: 12_000, clipValue: 5) { epoch, _ in
            if epoch >= 2_000, epoch % 1_000 == 0 {
                do { samples.append(try residentBytes()) } catch { readError = error }
            }
            return .proceed
        }
        if let readError { throw readError }
        #expect(result.losses.count == 12_000 && result.finalLoss.isFinite)
        try #require(samples.count == 11)
        // One leaked step (a dozen tensors, their graph nodes and gradients) is at least 2 KB, so a
        // leak grows every 1,000-epoch window by 2 MB or more. The resident size is the whole
        // process's, and the other suites run alongside and raise its peak now and then: the
        // median window, not the total, tells a leak from them.
        let growths = zip(samples.dropFirst(), samples).map { $0 - $1 }.sorted()
        let median = (growths[4] + growths[5]) / 2
        #expect(median < 1 << 20, "resident memory grew by \(median) bytes in the median 1,000-epoch window (windows: \(growths))")
    }
}

/// The current resident set size, from /proc/self/statm (Linux) or the task's info (elsewhere).
private func residentBytes() throws -> Int {
    #if os(Linux)
    let fields = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " ")
    let pages = try #require(fields.count > 1 ? Int(fields[1]) : nil)
    return pages * sysconf(Int32(_SC_PAGESIZE))
    #else
    var info = mach_task_basic_info()
    var count = mach_msg_type_number_t(MemoryLayout<mach_task_basic_info>.size / MemoryLayout<natural_t>.size)
    let status = withUnsafeMutablePointer(to: &info) {
        $0.withMemoryRebound(to: integer_t.self, capacity: Int(count)) {
            task_info(mach_task_self_, task_flavor_t(MACH_TASK_BASIC_INFO), $0, &count)
        }
    }
    try #require(status == KERN_SUCCESS)
    return Int(info.resident_size)
    #endif
}
