import Foundation
import NN
import Testing

/// Every command's --init, --save and --checkpoint take PyTorch's `.pt` files as well as safetensors.
@Suite("pt checkpoints in the commands")
struct TorchCheckpointCommandTests {
    @Test("train --save model.pt writes torch.save's format; generate and train --init read it")
    func trainGenerateInit() throws {
        try withTemporaryDirectory { dir throws in
            let pt = dir.appendingPathComponent("hello.pt").path
            let safetensors = dir.appendingPathComponent("hello.safetensors").path
            let common = ["train", "--text", "hello world", "--epochs", "150", "--quiet", "--json"]
            let trained = runExamples(common + ["--save", pt])
            #expect(trained.status == 0, "\(trained.stderr)")
            #expect(runExamples(common + ["--save", safetensors]).status == 0)
            // A zip with the state dict under "model" and the vocabulary under "metadata".
            let value = try TorchFile(contentsOf: URL(fileURLWithPath: pt)).value
            #expect(value["model"]?["fc.weight"]?.tensor?.dtype == .float32)
            #expect(value["metadata"]?["vocabulary"]?.string == " dehlorw")
            let generated = runExamples(["generate", "--checkpoint", pt, "--prime", "he", "--length", "9", "--greedy"])
            #expect(generated.status == 0, "\(generated.stderr)")
            #expect(generated.stdout == runExamples(["generate", "--checkpoint", safetensors, "--prime", "he", "--length", "9", "--greedy"]).stdout)
            // --init from either format gives the same run.
            let fromPT = runExamples(["train", "--text", "hello world", "--epochs", "5", "--quiet", "--json", "--init", pt])
            let fromSafetensors = runExamples(["train", "--text", "hello world", "--epochs", "5", "--quiet", "--json", "--init", safetensors])
            #expect(fromPT.status == 0, "\(fromPT.stderr)")
            #expect(fromPT.json["final_loss"] as? Double == fromSafetensors.json["final_loss"] as? Double)
        }
    }

    @Test("a damaged .pt checkpoint is one error line")
    func damaged() throws {
        try withTemporaryDirectory { dir throws in
            let path = dir.appendingPathComponent("bad.pt").path
            try Data("PK\u{3}\u{4}not really".utf8).write(to: URL(fileURLWithPath: path))
            let run = runExamples(["generate", "--checkpoint", path, "--prime", "a"])
            #expect(run.status == 1)
            #expect(run.stderr.contains("pt: not a zip archive"), "\(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        }
    }
}
