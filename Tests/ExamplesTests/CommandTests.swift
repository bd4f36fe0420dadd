import Foundation
import Testing

/// The coursework subcommands, run in-process with small epoch counts.
@Suite("example commands")
struct CommandTests {
    @Test("acknowledgement learns the word and predicts it from A")
    func acknowledgement() throws {
        let run = runExamples(["acknowledgement", "--epochs", "300", "--json", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.json["prediction"] as? String == "Acknowledgement")
        #expect(try #require(run.json["final_loss"] as? Double) < 0.05)
        #expect(run.json["epochs"] as? Int == 300)
        #expect(run.stdout.contains("prediction from \"A\": Acknowledgement"))
        #expect(run.stderr.isEmpty, "--quiet prints no progress")
    }

    @Test("edgement: the warm start predicts edgement", arguments: [0, 1, 2, 3])
    func edgement(seed: Int) throws {
        let run = runExamples(["edgement", "--seed", "\(seed)", "--json", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.json["warm_prediction"] as? String == "edgement")
        #expect((run.json["cold_prediction"] as? String)?.unicodeScalars.count == 8)
        #expect(run.json["hidden"] as? Int == 5)
        #expect(try #require(run.json["epochs"] as? Int) <= 100)
    }

    @Test("generate continues a prime from a saved model")
    func generate() throws {
        try withTemporaryDirectory { dir throws in
            let model = dir.appendingPathComponent("ack.safetensors").path
            let train = runExamples(["acknowledgement", "--epochs", "300", "--quiet", "--save", model])
            #expect(train.status == 0, "\(train.stderr)")
            let greedy = runExamples(["generate", "--checkpoint", model, "--prime", "Ackno", "--length", "10", "--greedy", "--json"])
            #expect(greedy.status == 0, "\(greedy.stderr)")
            #expect(greedy.json["text"] as? String == "Acknowledgement")
            let sampled = runExamples(["generate", "--checkpoint", model, "--prime", "A", "--length", "40", "--temperature", "0.5", "--seed", "3", "--json"])
            let text = try #require(sampled.json["text"] as? String)
            #expect(text.unicodeScalars.count == 41 && text.hasPrefix("A"))
            #expect(Set(text).isSubset(of: Set("Acknowledgement")))
        }
    }

    @Test("compare-optimizers writes a table, CSV and SVG, and JSON results")
    func compareOptimizers() throws {
        try withTemporaryDirectory { dir throws in
            let csv = dir.appendingPathComponent("curves.csv"), svg = dir.appendingPathComponent("curves.svg")
            let run = runExamples(["compare-optimizers", "--epochs", "25", "--json", "--quiet", "--csv", csv.path, "--svg", svg.path])
            #expect(run.status == 0, "\(run.stderr)")
            let results = try #require(run.json["results"] as? [[String: Any]])
            #expect(results.map { $0["name"] as? String } == ["sgd", "sgd-momentum", "adam", "adagrad", "rmsprop"])
            for result in results {
                #expect(result["final_loss"] is Double)
                #expect(result["train_seconds"] is Double)
                #expect(result.keys.contains("converged_epoch"))
            }
            let rows = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n")
            #expect(rows.first == "epoch,sgd,sgd-momentum,adam,adagrad,rmsprop")
            #expect(rows.count == 26)
            let picture = try String(contentsOf: svg, encoding: .utf8)
            #expect(picture.hasPrefix("<svg") && picture.contains("sgd-momentum") && picture.contains("(log scale)"))
            #expect(run.stdout.contains("converged at epoch"))
        }
    }

    @Test("compare-optimizers: from equal starts, Adam beats momentum beats plain SGD")
    func courseworkOrdering() throws {
        let run = runExamples(["compare-optimizers", "--epochs", "300", "--lr", "0.01", "--optimizers", "sgd,sgd-momentum,adam", "--json", "--quiet"])
        let losses = try #require(run.json["results"] as? [[String: Any]]).compactMap { $0["final_loss"] as? Double }
        #expect(losses.count == 3 && losses[2] < losses[1] && losses[1] < losses[0], "\(losses)")
    }

    @Test("compare-optimizers --init starts every optimizer from the given weights, as train --init does")
    func compareFromInit() throws {
        try withTemporaryDirectory { dir throws in
            let weights = dir.appendingPathComponent("start.safetensors").path
            #expect(runExamples(["train", "--seed", "7", "--epochs", "3", "--quiet", "--save", weights]).status == 0)
            let common = ["--dtype", "float64", "--lr", "0.01", "--epochs", "4", "--json", "--quiet"]
            let compared = runExamples(["compare-optimizers", "--optimizers", "adam,rmsprop", "--init", weights] + common)
            #expect(compared.status == 0, "\(compared.stderr)")
            let losses = try #require(compared.json["results"] as? [[String: Any]]).compactMap { $0["final_loss"] as? Double }
            for (index, optimizer) in ["adam", "rmsprop"].enumerated() {
                let trained = runExamples(["train", "--optimizer", optimizer, "--init", weights] + common)
                #expect(losses.count == 2 && trained.json["final_loss"] as? Double == losses[index], "\(optimizer)")
            }
            let fromSeed = runExamples(["compare-optimizers", "--optimizers", "adam,rmsprop"] + common)
            let seedLosses = try #require(fromSeed.json["results"] as? [[String: Any]]).compactMap { $0["final_loss"] as? Double }
            #expect(seedLosses != losses, "--init must change the starting weights")
        }
    }

    @Test("bias and hidden-sizes report every run")
    func biasAndHiddenSizes() throws {
        let bias = runExamples(["bias", "--epochs", "20", "--seeds", "0,1", "--json", "--quiet"])
        #expect(bias.status == 0, "\(bias.stderr)")
        let names = try #require(bias.json["results"] as? [[String: Any]]).compactMap { $0["name"] as? String }
        #expect(names == ["bias, hidden 15, seed 0", "no bias, hidden 15, seed 0", "bias, hidden 15, seed 1", "no bias, hidden 15, seed 1"])
        let sizes = runExamples(["hidden-sizes", "--epochs", "10", "--sizes", "3,6", "--optimizers", "adam,sgd", "--json", "--quiet"])
        #expect(sizes.status == 0, "\(sizes.stderr)")
        #expect(try #require(sizes.json["results"] as? [[String: Any]]).count == 4)
    }

    @Test("from-scratch: hand-derived gradients equal autograd's, then train")
    func fromScratch() throws {
        let run = runExamples(["from-scratch", "--dtype", "float64", "--epochs", "200", "--json", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try #require(run.json["max_gradient_difference"] as? Double) < 1e-12)
        #expect(run.json["prediction"] as? String == "Acknowledgement")
        let noBias = runExamples(["from-scratch", "--dtype", "float64", "--epochs", "2", "--no-bias", "--nonlinearity", "relu", "--json", "--quiet"])
        #expect(try #require(noBias.json["max_gradient_difference"] as? Double) < 1e-12)
    }
}

/// `examples bench` prints one JSON line per workload with the baseline's keys.
@Suite("bench")
struct BenchTests {
    @Test("every output line is a workload's JSON with the baseline's keys")
    func lines() throws {
        let run = runExamples(["bench", "--only", "edgement,gemm128", "--threads", "1", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.count == 2)
        let edgement = try #require(lines[0]), gemm = try #require(lines[1])
        #expect(edgement["workload"] as? String == "edgement")
        for key in ["seconds", "us_per_step", "loss"] { #expect(edgement[key] is Double, "\(key)") }
        #expect(edgement["steps"] as? Int == 100 && edgement["threads"] as? Int == 1)
        #expect(gemm["workload"] as? String == "gemm128" && gemm["gflops"] is Double)
    }
}
