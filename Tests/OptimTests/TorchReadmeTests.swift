import Foundation
import NN
import Optim
import Tensor
import Testing

/// The code of the README's "Moving models between PyTorch and SwiftTorch", with its files in a
/// temporary directory.
@Suite struct TorchReadmeTests {
    @Test func readmeExampleRuns() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pt-readme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func file(_ name: String) -> URL { directory.appendingPathComponent(name) }
        // What PyTorch would have written: model.pt (PyTorch's golden file) and a checkpoint at iteration 7.
        try FileManager.default.copyItem(at: TorchOptimizerStateTests.directory.appendingPathComponent("linear_f32.pt"), to: file("model.pt"))
        let trained = Linear<Float>(3, 2, generator: Generator(seed: 1))
        let trainer = try Adam(trained.parameters(), lr: 1e-3)
        let x = Tensor<Float>.randn([4, 3], generator: Generator(seed: 2))
        for _ in 0..<2 {
            trainer.zeroGrad()
            trained(x).sum().backward()
            trainer.step()
        }
        let pytorchCheckpoint = TorchDictionary([
            ("model", trained.stateDict().torchValue), ("optimizer", trainer.torchStateDict()), ("iter_num", .int(7)),
        ])
        try TorchFile(value: .dict(pytorchCheckpoint)).write(to: file("ckpt.pt"))

        let model = Linear<Float>(3, 2)
        try model.load(from: file("model.pt"))
        try model.save(to: file("mine.pt"))
        #expect(try TorchFile(contentsOf: file("mine.pt")).value["weight"]?.tensor?.values(as: Float.self) == model.weight.scalars)

        let checkpoint = try TorchFile(contentsOf: file("ckpt.pt")).value
        try model.loadStateDict(StateDict(torch: checkpoint))
        let optimizer = try Adam(model.parameters(), lr: 1e-3)
        try optimizer.loadStateDict(torch: checkpoint["optimizer"]!)
        let iteration = checkpoint["iter_num"]?.int ?? 0
        #expect(iteration == 7)
        #expect(model.weight.scalars == trained.weight.scalars)

        let saved = TorchDictionary([
            ("model", model.stateDict().torchValue), ("optimizer", optimizer.torchStateDict()), ("iter_num", .int(iteration)),
        ])
        try TorchFile(value: .dict(saved)).write(to: file("ckpt.pt"))
        let reread = try TorchFile(contentsOf: file("ckpt.pt")).value
        #expect(reread["optimizer"]?["state"]?.dictionary?[0]?["step"]?.tensor?.doubles() == [2])
    }
}
