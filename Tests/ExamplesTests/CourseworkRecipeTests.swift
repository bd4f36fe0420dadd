import Foundation
import Testing
@testable import Examples

/// The coursework's literal recipes and the reports' tables: `edgement --no-early-stop` and
/// `warm_correct`, `bias --hidden-sizes` and `--style min-char-rnn`, what `compare-optimizers`
/// states and applies, defaults in every `--help`, bounded `train` predictions, and `charrnn
/// --resume` progress.
@Suite("coursework recipes")
struct CourseworkRecipeTests {
    @Test("every --help states the default of each option that has one")
    func helpShowsDefaults() {
        for command in ExamplesCLI.commands {
            let run = runExamples([command.name, "--help"])
            #expect(run.status == 0)
            // Options naming a file or a free text have no default; every other value has one.
            for spec in command.options where spec.value != nil && spec.value != "PATH" && spec.value != "STR" {
                let line = run.stdout.split(separator: "\n").first { $0.hasPrefix("  \(spec.name) ") }
                #expect(line?.contains("default") == true, "\(command.name) \(spec.name): \(line ?? "missing")")
            }
        }
        let compare = runExamples(["compare-optimizers", "--help"]).stdout
        #expect(compare.contains("learning rate of every optimizer (default 0.01)"))
        #expect(runExamples(["edgement", "--help"]).stdout.contains("RMSprop smoothing constant (default 0.5)"))
        #expect(runExamples(["train", "--help"]).stdout.contains("learning rate (default 0.001;"))
    }

    @Test("edgement --no-early-stop trains every epoch; warm_correct is printed and reported")
    func edgementLiteralRecipe() throws {
        let literal = runExamples(["edgement", "--lr", "0.4", "--momentum", "0", "--epochs", "30", "--no-early-stop", "--json", "--quiet"])
        #expect(literal.status == 0, "\(literal.stderr)")
        #expect(literal.json["epochs"] as? Int == 30)
        let early = runExamples(["edgement", "--lr", "0.4", "--momentum", "0", "--epochs", "30", "--json", "--quiet"])
        #expect(try #require(early.json["epochs"] as? Int) < 30)
        for run in [literal, early] {
            let warm = try #require(run.json["warm_prediction"] as? String)
            let correct = try #require(run.json["warm_correct"] as? Bool)
            #expect(correct == (warm == "edgement"))
            #expect(run.stdout.contains(correct ? "the warm start predicts \"edgement\"" : "the warm start FAILED"))
        }
        #expect(early.json["warm_correct"] as? Bool == true)
    }

    @Test("bias --hidden-sizes prints the reports' table: hidden size, seed, with and without bias")
    func biasTable() throws {
        let run = runExamples(["bias", "--hidden-sizes", "3,4", "--seeds", "0,1", "--epochs", "4", "--json", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0].contains("adam lr 0.01, 4 epochs"))
        #expect(lines[1].split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") == "hidden seed with bias without bias")
        let rows = lines[3..<7].map { $0.split(separator: " ").map(String.init) }
        #expect(rows.map { $0[0] + "," + $0[1] } == ["3,0", "3,1", "4,0", "4,1"])
        let results = try #require(run.json["results"] as? [[String: Any]])
        #expect(results.count == 8)
        #expect(results.compactMap { $0["name"] as? String }.prefix(2) == ["bias, hidden 3, seed 0", "no bias, hidden 3, seed 0"])
        for (row, pair) in zip(rows, stride(from: 0, to: 8, by: 2)) {
            let withBias = try #require(results[pair]["final_loss"] as? Double), without = try #require(results[pair + 1]["final_loss"] as? Double)
            #expect(row[2] == String(format: "%.6g", withBias) && row[3] == String(format: "%.6g", without))
        }
        #expect(runExamples(["bias", "--hidden", "3", "--hidden-sizes", "4"]).status == 2)
    }

    @Test("bias --style min-char-rnn runs the table with the NumPy model, as min-char-rnn itself would")
    func biasMinCharStyle() throws {
        let run = runExamples(["bias", "--style", "min-char-rnn", "--hidden-sizes", "5", "--seeds", "2", "--epochs", "6", "--json", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("min-char-rnn, adagrad lr 0.1, 6 iterations"))
        let results = try #require(run.json["results"] as? [[String: Any]])
        let withBias = try #require(results.first?["final_loss"] as? Double)
        // The same run through the min-char-rnn command: same seed, same text, same settings.
        let single = runExamples(["min-char-rnn", "--text", "Acknowledgement", "--hidden", "5", "--seed", "2", "--iterations", "6",
                                  "--sample-every", "0", "--length", "0", "--json", "--quiet"])
        #expect(single.json["loss"] as? Double == withBias)
        #expect(runExamples(["bias", "--style", "min-char-rnn", "--optimizer", "adam", "--quiet"]).status == 2)
    }

    @Test("compare-optimizers: --momentum reaches sgd-momentum only, unless --momentum-all; the header and SVG title state task, lr and epochs")
    func compareOptimizersMomentum() throws {
        try withTemporaryDirectory { dir throws in
            let svg = dir.appendingPathComponent("chart.svg").path
            func losses(_ extra: [String]) throws -> [String: Double] {
                let run = runExamples(["compare-optimizers", "--epochs", "5", "--optimizers", "sgd-momentum,rmsprop", "--json", "--quiet",
                                       "--svg", svg] + extra)
                #expect(run.status == 0, "\(run.stderr)")
                #expect(run.stdout.hasPrefix("Optimizers on \"Acknowledgement\" (hidden 15, lr \(extra.contains("--lr") ? "0.05" : "0.01"), 5 epochs)"))
                let results = try #require(run.json["results"] as? [[String: Any]])
                return Dictionary(uniqueKeysWithValues: results.compactMap { r in (r["name"] as? String).flatMap { n in (r["final_loss"] as? Double).map { (n, $0) } } })
            }
            let plain = try losses([]), momentum = try losses(["--momentum", "0.5"]), all = try losses(["--momentum", "0.5", "--momentum-all"])
            #expect(momentum["rmsprop"] == plain["rmsprop"])
            #expect(momentum["sgd-momentum"] != plain["sgd-momentum"])
            #expect(all["rmsprop"] != plain["rmsprop"])
            _ = try losses(["--lr", "0.05"])
            #expect(try String(contentsOfFile: svg, encoding: .utf8).contains("(hidden 15, lr 0.05, 5 epochs)"))
        }
    }

    @Test("train --file on a long text prints the first 200 characters of its prediction; --json has all")
    func boundedPrediction() throws {
        try withTemporaryDirectory { dir throws in
            let book = dir.appendingPathComponent("book.txt")
            let text = String(repeating: "the cat sat on the mat. ", count: 20)
            try text.write(to: book, atomically: true, encoding: .utf8)
            let run = runExamples(["train", "--file", book.path, "--hidden", "8", "--epochs", "1", "--json", "--quiet"])
            #expect(run.status == 0, "\(run.stderr)")
            let line = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("prediction: ") })
            #expect(line.hasSuffix("... (\(text.count - 200) more characters; all of them in --json)"))
            #expect(line.count == "prediction: ".count + 200 + "... (\(text.count - 200) more characters; all of them in --json)".count)
            #expect((run.json["prediction"] as? String)?.count == text.count)
        }
    }

    @Test("charrnn --resume counts iterations from the checkpoint, and says when there is nothing left to train")
    func resumeProgress() throws {
        try withTemporaryDirectory { dir throws in
            let book = dir.appendingPathComponent("book.txt"), checkpoint = dir.appendingPathComponent("c.safetensors").path
            try String(repeating: "to be or not to be, ", count: 10).write(to: book, atomically: true, encoding: .utf8)
            let common = ["charrnn", "--file", book.path, "--hidden", "8", "--seq-length", "5", "--sample-every", "0", "--length", "5"]
            #expect(runExamples(common + ["--iterations", "6", "--save", checkpoint, "--quiet"]).status == 0)
            let resumed = runExamples(common + ["--iterations", "9", "--resume", checkpoint])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(resumed.stderr.contains("iteration 9/9"))
            #expect(!resumed.stderr.contains("iteration 3/3"))
            let nothing = runExamples(common + ["--iterations", "4", "--resume", checkpoint, "--json"])
            #expect(nothing.status == 0)
            #expect(nothing.stderr.contains("warning: the checkpoint has done 6 iterations, --iterations 4 is not beyond them"))
            #expect(nothing.json["iterations"] as? Int == 6)
        }
    }
}
