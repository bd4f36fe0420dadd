import Experiments
import Optim
import Tensor
import Testing

/// A run keeps its per-epoch losses only when asked, so that memory stays flat however many
/// epochs it trains; the count and the final loss are the same either way.
@Suite("loss history")
struct LossHistoryTests {
    static func run(recording: Bool) throws -> TrainingResult {
        let task = try CharTask<Double>(text: "hello world")
        let model = CharRNN<Double>(vocabularySize: task.vocabulary.count, hiddenSize: 6, generator: Generator(seed: 3))
        let optimizer = try Adam(model.parameters(), lr: 0.01)
        return try train(model, on: task, optimizer: optimizer, epochs: 12, recordLosses: recording) { epoch, _ in
            epoch == 9 ? .stop : .proceed
        }
    }

    @Test("without recording: no history, the same count and final loss")
    func flat() throws {
        let recorded = try Self.run(recording: true), unrecorded = try Self.run(recording: false)
        #expect(recorded.losses.count == 9 && recorded.epochs == 9)
        #expect(unrecorded.losses.isEmpty && unrecorded.epochs == 9)
        #expect(unrecorded.finalLoss == recorded.losses.last)
        #expect(recorded.finalLoss == recorded.losses.last)
    }
}
