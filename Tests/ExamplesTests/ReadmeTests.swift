import Experiments
import Foundation
import Optim
import Tensor
import Testing

/// The README's code runs, and the README shows exactly the code that the tests run.
@Suite("README")
struct ReadmeTests {
    @Test("the optimizer comparison of 'Choosing an optimizer' runs and ranks the optimizers")
    func optimizerComparison() throws {
        try withTemporaryDirectory { directory throws in
            let svgPath = directory.appendingPathComponent("optimizers.svg").path
            // readme:compare:begin
            let task = try CharTask<Float>(text: "Acknowledgement")
            let comparison = OptimizerComparison(
                task: task, epochs: 200,
                makeModel: { CharRNN(vocabularySize: task.vocabulary.count, hiddenSize: 15, generator: Generator(seed: 0)) },
                candidates: [
                    .init("sgd") { try SGD($0, lr: 0.1) },
                    .init("sgd-momentum") { try SGD($0, lr: 0.1, momentum: 0.9) },
                    .init("adam") { try Adam($0, lr: 0.01) },
                    .init("adagrad") { try Adagrad($0, lr: 0.1) },
                    .init("rmsprop") { try RMSprop($0, lr: 0.01) },
                ])
            let report = try comparison.run()
            print(report.table())      // final loss, first epoch that predicts the word, seconds
            try report.svg(title: "Acknowledgement").write(toFile: svgPath, atomically: true, encoding: .utf8)
            // readme:compare:end
            #expect(report.results.map(\.name) == ["sgd", "sgd-momentum", "adam", "adagrad", "rmsprop"])
            #expect(report.results.allSatisfy { $0.losses.count == 200 })
            // Identical starts: every run's first loss is the same forward pass.
            #expect(Set(report.results.map { $0.losses[0] }).count == 1)
            let final = Dictionary(uniqueKeysWithValues: report.results.map { ($0.name, $0.finalLoss) })
            #expect(final["adam"]! < final["sgd"]! && final["sgd-momentum"]! < final["sgd"]!)
            #expect(try String(contentsOfFile: svgPath, encoding: .utf8).hasPrefix("<svg"))
        }
    }

    @Test("README.md shows the code of the tests verbatim", arguments: [
        ("Tests/ExamplesTests/ReadmeTests.swift", "readme:compare"),
        ("Tests/TensorTests/QuickstartTests.swift", "quickstart"),
        ("Tests/NNTests/WritingAModelTests.swift", "readme:model"),
    ])
    func readmeMatchesTests(file: String, marker: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let source = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
        let code = source.components(separatedBy: "\n").drop { !$0.hasSuffix("// \(marker):begin") }.dropFirst()
            .prefix { !$0.hasSuffix("// \(marker):end") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("let svgPath") }
        #expect(code.count > 5, "no '\(marker)' block in \(file)")
        let readmeLines = Set(readme.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        for line in code {
            // The README writes the chart to a literal path where the test uses a temporary one.
            let shown = line.replacingOccurrences(of: "toFile: svgPath", with: "toFile: \"optimizers.svg\"")
            #expect(readmeLines.contains(shown), "README.md lacks: \(shown)")
        }
    }
}
