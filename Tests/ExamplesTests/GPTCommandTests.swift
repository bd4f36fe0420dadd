import Experiments
import Foundation
import NN
import Tensor
import Testing

/// `examples gpt` against the reference trainer `torch_gpt.py` (Golden/make_gpt_golden.py):
/// float64 runs of tiny configurations from the reference's initial weights, and the command's
/// options, checkpoints and errors.
@Suite("gpt command")
struct GPTCommandTests {
    /// One reference run: its flags, per-iteration losses and evaluations (iter, train, val).
    struct GoldenRun: Decodable, Sendable {
        let flags: [String]
        let losses: [Double]
        let evals: [[Double]]
    }

    static let golden: [String: GoldenRun] = {
        let data = (try? Data(contentsOf: goldenFile("gpt_golden.json"))) ?? Data()
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        var runs: [String: GoldenRun] = [:]
        for name in object.keys where name != "text" {
            if let entry = try? JSONSerialization.data(withJSONObject: object[name]!),
               let run = try? JSONDecoder().decode(GoldenRun.self, from: entry) {
                runs[name] = run
            }
        }
        return runs
    }()

    static let text = goldenFile("gpt_text.txt").path

    /// Reads an `iter,...` CSV written by the command: its header and its rows of numbers.
    func readCSV(_ path: String) throws -> (header: String, rows: [[Double]]) {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        return (String(lines.first ?? ""), lines.dropFirst().map { $0.split(separator: ",").compactMap { Double($0) } })
    }

    @Test("losses and evaluations equal PyTorch's to 1e-9 relative", arguments: ["nobias", "bias"])
    func parity(name: String) throws {
        let entry = try #require(Self.golden[name])
        try withTemporaryDirectory { dir throws in
            let losses = dir.appendingPathComponent("losses.csv").path, evals = dir.appendingPathComponent("evals.csv").path
            let run = runExamples(
                ["gpt", "--file", Self.text, "--dtype", "float64", "--quiet", "--json", "--sample-length", "0",
                 "--init", goldenFile("gpt_init_\(name).safetensors").path, "--losses", losses, "--evals", evals]
                    + entry.flags)
            #expect(run.status == 0, "\(run.stderr)")
            let (lossHeader, lossRows) = try readCSV(losses)
            #expect(lossHeader == "iter,loss")
            #expect(lossRows.map { Int($0[0]) } == Array(0..<entry.losses.count))
            for (row, expected) in zip(lossRows, entry.losses) {
                #expect(abs(row[1] - expected) <= 1e-9 * abs(expected), "iteration \(Int(row[0])): \(row[1]) vs PyTorch \(expected)")
            }
            let (evalHeader, evalRows) = try readCSV(evals)
            #expect(evalHeader == "iter,train,val")
            #expect(evalRows.count == entry.evals.count)
            for (row, expected) in zip(evalRows, entry.evals) {
                #expect(row[0] == expected[0])
                for k in 1...2 { #expect(abs(row[k] - expected[k]) <= 1e-9 * abs(expected[k]), "evaluation at \(row[0])") }
            }
            #expect(run.json["iterations"] as? Int == entry.losses.count)
            // JSON numbers carry 16 significant digits, the CSVs 17.
            let close = { (key: String, value: Double?) in abs((run.json[key] as? Double ?? .nan) - (value ?? .nan)) <= 1e-15 * abs(value ?? 1) }
            #expect(close("final_loss", lossRows.last?[1]))
            #expect(close("val_loss", evalRows.last?[2]))
            #expect(close("train_loss", evalRows.last?[1]))
            #expect(close("best_val_loss", evalRows.map { $0[2] }.min()))
            #expect((run.json["tokens_per_s"] as? Double ?? 0) > 0 && run.json["train_seconds"] is Double)
            #expect(run.json["sample"] is NSNull)
        }
    }

    /// `flags` without the option `name` and its value.
    func flagsWithout(_ name: String, _ flags: [String]) -> [String] {
        guard let i = flags.firstIndex(of: name) else { return flags }
        return Array(flags[..<i] + flags[(i + 2)...])
    }

    @Test("--seed reproduces torch.manual_seed's initial weights (no --init)")
    func seedMatchesTorch() throws {
        let entry = try #require(Self.golden["nobias"])
        try withTemporaryDirectory { dir throws in
            let losses = dir.appendingPathComponent("losses.csv").path
            // The warm-up does not depend on --max-iters, so the first steps follow the golden run.
            let run = runExamples(
                ["gpt", "--file", Self.text, "--dtype", "float64", "--quiet", "--sample-length", "0", "--losses", losses]
                    + flagsWithout("--max-iters", entry.flags) + ["--max-iters", "4", "--lr-decay-iters", "200"])
            #expect(run.status == 0, "\(run.stderr)")
            let rows = try readCSV(losses).rows
            #expect(rows.count == 5)
            for (row, expected) in zip(rows, entry.losses) { #expect(abs(row[1] - expected) <= 1e-9 * expected) }
        }
    }

    @Test("--save-every and --resume continue a run exactly (optimizer, iteration, both generators), in both formats",
          arguments: ["ck.safetensors", "ck.pt"])
    func resume(_ checkpoint: String) throws {
        let flags = ["gpt", "--file", Self.text, "--quiet", "--sample-length", "0", "--n-layer", "1", "--n-head", "2",
                     "--n-embd", "8", "--block-size", "8", "--batch-size", "2", "--warmup-iters", "2",
                     "--lr-decay-iters", "9", "--eval-interval", "3", "--eval-iters", "2", "--dtype", "float64"]
        try withTemporaryDirectory { dir throws in
            let path = { (name: String) in dir.appendingPathComponent(name).path }
            let whole = runExamples(flags + ["--max-iters", "9", "--losses", path("whole.csv"), "--evals", path("whole-evals.csv")])
            #expect(whole.status == 0, "\(whole.stderr)")
            let first = runExamples(flags + ["--max-iters", "4", "--save", path(checkpoint), "--save-every", "5"])
            #expect(first.status == 0, "\(first.stderr)")
            let second = runExamples(
                flags + ["--max-iters", "9", "--resume", path(checkpoint), "--losses", path("resumed.csv"),
                         "--evals", path("resumed-evals.csv")])
            #expect(second.status == 0, "\(second.stderr)")
            #expect(try readCSV(path("resumed.csv")).rows == Array(try readCSV(path("whole.csv")).rows.suffix(5)))
            #expect(try readCSV(path("resumed-evals.csv")).rows == Array(try readCSV(path("whole-evals.csv")).rows.suffix(2)))
        }
    }

    @Test("--save writes the reference's keys (both tied keys) and the vocabulary; --init --max-iters 0 only samples from it")
    func saveAndSample() throws {
        try withTemporaryDirectory { dir throws in
            let model = dir.appendingPathComponent("model.safetensors").path
            let tiny = ["--n-layer", "1", "--n-head", "2", "--n-embd", "8", "--block-size", "8", "--batch-size", "2"]
            let trained = runExamples(["gpt", "--file", Self.text, "--quiet", "--max-iters", "3", "--eval-iters", "1",
                                       "--sample-length", "0", "--save", model] + tiny)
            #expect(trained.status == 0, "\(trained.stderr)")
            let archive = try SafetensorsArchive(contentsOf: URL(fileURLWithPath: model))
            #expect(archive.tensors["transformer.wte.weight"] == archive.tensors["lm_head.weight"])
            #expect(archive.tensors["transformer.h.0.attn.c_attn.weight"]?.shape == [24, 8])
            #expect(archive.tensors.keys.allSatisfy { !$0.hasPrefix("optimizer.") })
            #expect(archive.metadata["vocabulary"] == Vocabulary.indexing(try String(contentsOfFile: Self.text, encoding: .utf8)).vocabulary.description)
            // --max-iters 0 with a sample only samples: no step (the weights saved afterwards are
            // the loaded ones), no evaluation, no loss.
            let resaved = dir.appendingPathComponent("resaved.safetensors").path
            let losses = dir.appendingPathComponent("losses.csv").path
            let sampled = runExamples(["gpt", "--file", Self.text, "--init", model, "--max-iters", "0", "--eval-iters", "1",
                                       "--sample-length", "40", "--top-k", "5", "--json", "--save", resaved, "--losses", losses])
            #expect(sampled.status == 0, "\(sampled.stderr)")
            let sample = try #require(sampled.json["sample"] as? String)
            #expect(sample.unicodeScalars.count == 40)
            #expect(sampled.stdout.hasPrefix(sample))
            #expect(!sampled.stderr.contains("train loss"), "\(sampled.stderr)")
            #expect(sampled.json["iterations"] as? Int == 0)
            #expect(sampled.json["final_loss"] is NSNull && sampled.json["val_loss"] is NSNull)
            #expect(try readCSV(losses).rows.isEmpty)
            #expect(try SafetensorsArchive(contentsOf: URL(fileURLWithPath: resaved)).tensors == archive.tensors)
            // Without a sample, --max-iters 0 takes the reference's one step and evaluation.
            let stepped = runExamples(["gpt", "--file", Self.text, "--init", model, "--max-iters", "0", "--eval-iters", "1",
                                       "--sample-length", "0", "--json", "--quiet"])
            #expect(stepped.status == 0, "\(stepped.stderr)")
            #expect(stepped.json["iterations"] as? Int == 1 && stepped.json["final_loss"] is Double)
            #expect(stepped.json["val_loss"] is Double)
        }
    }

    @Test("progress and evaluation lines go to standard error, nothing with --quiet")
    func progress() {
        let flags = ["gpt", "--file", Self.text, "--n-layer", "1", "--n-head", "1", "--n-embd", "4", "--block-size", "4",
                     "--max-iters", "2", "--eval-interval", "2", "--eval-iters", "1", "--sample-length", "0"]
        let loud = runExamples(flags)
        #expect(loud.status == 0)
        #expect(loud.stderr.contains("iter 0: train loss ") && loud.stderr.contains("iter 2: train loss "))
        #expect(loud.stderr.contains("ms/iter"))
        let quiet = runExamples(flags + ["--quiet"])
        #expect(quiet.stderr.isEmpty)
    }

    @Test(
        "bad input: usage errors exit 2, runtime errors exit 1, each one 'error:' line",
        arguments: [
            (["--n-embd", "10", "--n-head", "4"], Int32(2), "multiple of --n-head"),
            (["--dtype", "float16"], 2, "float32, float64"),
            (["--save-every", "5"], 2, "--save-every needs --save"),
            (["--block-size", "4000"], 1, "needs at least 4002"),
            (["--init", "/nonexistent/ck.safetensors"], 1, "cannot read --init"),
            (["--init", goldenFile("gpt_init_nobias.safetensors").path, "--block-size", "9"], 1, "beyond the 8 positions"),
            (["--init", goldenFile("gpt_init_nobias.safetensors").path, "--n-layer", "3"], 1, "does not match the 2 blocks"),
        ] as [([String], Int32, String)])
    func errors(arguments: [String], status: Int32, message: String) {
        let run = runExamples(["gpt", "--file", Self.text, "--max-iters", "0", "--eval-iters", "1", "--sample-length", "0"] + arguments)
        #expect(run.status == status)
        #expect(run.stderr.hasPrefix("error: ") && run.stderr.contains(message), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    @Test("--init with a checkpoint of another vocabulary is refused")
    func vocabularyMismatch() throws {
        try withTemporaryDirectory { dir throws in
            let other = dir.appendingPathComponent("other.txt")
            try String(repeating: "abcdefgh ", count: 20).write(to: other, atomically: true, encoding: .utf8)
            let run = runExamples(["gpt", "--file", other.path, "--init", goldenFile("gpt_init_nobias.safetensors").path,
                                   "--max-iters", "0", "--eval-iters", "1"])
            #expect(run.status == 1)
            #expect(run.stderr.contains("different vocabulary"), "\(run.stderr)")
        }
    }

    @Test("the model: PyTorch's keys, the tied weight once in parameters() and under both keys, decay groups")
    func model() {
        let gpt = GPT<Double>(GPTConfig(vocabSize: 5, blockSize: 4, nLayer: 2, nHead: 2, nEmbd: 4), generator: Generator(seed: 1))
        let keys = gpt.stateDict().keys
        #expect(keys.first == "transformer.wte.weight" && keys.last == "lm_head.weight")
        #expect(keys.contains("transformer.h.1.mlp.c_proj.weight") && keys.contains("transformer.ln_f.weight"))
        #expect(!keys.contains { $0.hasSuffix(".bias") })
        #expect(gpt.parameters().count == keys.count - 1)
        let state = gpt.stateDict()
        #expect(state["lm_head.weight"]!.sharesStorage(with: state["transformer.wte.weight"]!))
        let groups = gpt.decayGroups
        #expect(groups.decay.allSatisfy { $0.rank >= 2 } && groups.noDecay.allSatisfy { $0.rank < 2 })
        #expect(groups.decay.count + groups.noDecay.count == gpt.parameters().count)
        #expect(gpt(Tensor<Int>(shape: [3, 4], scalars: Array(repeating: 1, count: 12))).shape == [3, 4, 5])
    }

    @Test("parameterShapes lists exactly the built model's state dict", arguments: [false, true])
    func parameterShapes(bias: Bool) {
        let config = GPTConfig(vocabSize: 5, blockSize: 4, nLayer: 2, nHead: 2, nEmbd: 4, bias: bias)
        let built = GPT<Double>(config, generator: Generator(seed: 1)).stateDict().map { "\($0.key) \($0.value.shape)" }
        #expect(GPT<Double>.parameterShapes(config).map { "\($0.key) \($0.shape)" } == built)
    }

    @Test("a checkpoint claiming thousands of blocks it does not hold is refused before the model is built")
    func hugeClaim() throws {
        try withTemporaryDirectory { dir throws in
            var archive = try SafetensorsArchive(contentsOf: goldenFile("gpt_init_nobias.safetensors"))
            let width = try #require(archive.tensors["transformer.ln_f.weight"]).shape[0]
            for layer in 0..<3000 where archive.tensors["transformer.h.\(layer).ln_1.weight"] == nil {
                archive.tensors["transformer.h.\(layer).ln_1.weight"] = SafetensorsEntry([Double](repeating: 1, count: width), shape: [width])
            }
            let claim = dir.appendingPathComponent("claim.safetensors")
            try archive.write(to: claim)
            let run = runExamples(["gpt", "--file", Self.text, "--init", claim.path, "--max-iters", "0", "--quiet"])
            #expect(run.status == 1)
            #expect(run.stderr.hasPrefix("error: '\(claim.path)': no tensor 'transformer.h."), "\(run.stderr)")
        }
    }
}
