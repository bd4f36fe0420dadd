import Foundation
import Testing

/// `examples train` against the reference trainer `torch_train.py` (golden curves produced by
/// Golden/make_train_golden.py): same initial weights, float64, 40 epochs (12 for the chaotic
/// coursework RMSprop recipe), every optimizer family.
@Suite("train contract")
struct TrainContractTests {
    /// One reference run: its flags, its per-epoch losses and its greedy prediction.
    struct GoldenRun: Decodable, Sendable {
        let flags: [String]
        let losses: [Double]
        let prediction: String
    }

    static let golden: [String: GoldenRun] = {
        let data = (try? Data(contentsOf: goldenFile("train_golden.json"))) ?? Data()
        return (try? JSONDecoder().decode([String: GoldenRun].self, from: data)) ?? [:]
    }()

    @Test("loss curves equal PyTorch's to 1e-9 relative", arguments: golden.keys.sorted())
    func lossCurve(name: String) throws {
        let entry = try #require(Self.golden[name])
        let (flags, expected) = (entry.flags, entry.losses)
        try withTemporaryDirectory { dir throws in
            let losses = dir.appendingPathComponent("losses.csv").path
            let run = runExamples(
                ["train", "--dtype", "float64", "--quiet", "--json", "--losses", losses,
                 "--init", goldenFile("train_init_\(name).safetensors").path] + flags)
            #expect(run.status == 0, "\(run.stderr)")
            let rows = try String(contentsOfFile: losses, encoding: .utf8).split(separator: "\n")
            #expect(rows.first == "epoch,loss")
            let actual = rows.dropFirst().compactMap { $0.split(separator: ",").last.flatMap { Double($0) } }
            #expect(actual.count == expected.count)
            for (epoch, (a, e)) in zip(actual, expected).enumerated() {
                #expect(abs(a - e) <= 1e-9 * abs(e), "epoch \(epoch + 1): \(a) vs PyTorch \(e)")
            }
            #expect(run.json["prediction"] as? String == entry.prediction)
            #expect(abs(try #require(run.json["final_loss"] as? Double) - actual.last!) <= 1e-15)
            #expect(run.json["epochs"] as? Int == expected.count)
            #expect(run.json["train_seconds"] is Double)
        }
    }

    @Test("--seed reproduces torch.manual_seed's initial weights (no --init)")
    func seedMatchesTorch() throws {
        // Same configuration and seed as the adam_amsgrad golden case, without loading its weights.
        let entry = try #require(Self.golden["adam_amsgrad"])
        let expected = entry.losses
        let run = runExamples(["train", "--dtype", "float64", "--seed", "1", "--quiet", "--json"] + entry.flags)
        let final = try #require(run.json["final_loss"] as? Double)
        #expect(abs(final - expected.last!) <= 1e-9 * expected.last!)
    }

    @Test("--save writes PyTorch keys and the vocabulary; --init reads it back")
    func saveAndInit() throws {
        try withTemporaryDirectory { dir throws in
            let model = dir.appendingPathComponent("model.safetensors").path
            let first = runExamples(["train", "--epochs", "30", "--quiet", "--json", "--save", model, "--save-every", "10"])
            #expect(first.status == 0, "\(first.stderr)")
            let bytes = try Data(contentsOf: URL(fileURLWithPath: model))
            let header = String(decoding: bytes.dropFirst(8).prefix(2000), as: UTF8.self)
            for key in ["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "fc.weight", "fc.bias", "vocabulary", "Acdegklmnotw"] {
                #expect(header.contains(key), "missing \(key)")
            }
            // Continuing from the saved weights with no training steps' worth of change: the first
            // loss of the continued run is the saved model's loss, below the fresh model's.
            let continued = runExamples(["train", "--epochs", "1", "--quiet", "--json", "--init", model])
            let fresh = runExamples(["train", "--epochs", "1", "--quiet", "--json"])
            #expect(try #require(continued.json["final_loss"] as? Double) < (try #require(fresh.json["final_loss"] as? Double)))
        }
    }
}
