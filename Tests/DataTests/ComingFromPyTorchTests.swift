import Foundation
import Testing
import Data
import NN
import Optim
import Tensor

/// The README's "Coming from PyTorch" program: the spiral MLP with a DataLoader and held-out
/// accuracy. The code between the markers is the README's block, line for line (checked below),
/// so the README's program is compiled and run by this test.
@Suite("README: coming from PyTorch")
struct ComingFromPyTorchTests {
    /// The README's program inside a function; returns its held-out accuracy.
    static func spiralProgram() throws -> Double {
        // BEGIN README
        // Three interleaved 2-D spirals of 100 points each (CS231n's toy data set).
        let generator = Generator(seed: 0)
        let perClass = 100, classes = 3
        let noise = Tensor<Float>.randn([classes * perClass], generator: generator).scalars
        var points: [Float] = [], labels: [Int] = []
        for c in 0..<classes {
            for i in 0..<perClass {
                let r = Float(i) / Float(perClass - 1)
                let t = Float(c) * 4 + r * 4 + noise[c * perClass + i] * 0.2
                points += [r * sin(t), r * cos(t)]
                labels.append(c)
            }
        }
        let dataset = TensorDataset(Tensor(shape: [classes * perClass, 2], scalars: points), Tensor(labels))
        let parts = randomSplit(dataset, fractions: [0.8, 0.2], generator: generator)
        let trainLoader = DataLoader(parts[0], batchSize: 32, shuffle: true, generator: generator)
        let testLoader = DataLoader(parts[1], batchSize: 100)

        let model = Sequential<Float>(Linear(2, 64), ReLU(), Linear(64, 3))
        let optimizer = try Adam(model.parameters(), lr: 0.01)
        let criterion = CrossEntropyLoss<Float>()
        for epoch in 1...60 {
            var total: Float = 0
            for batch in trainLoader {
                optimizer.zeroGrad()
                let loss = criterion(model(batch.input), batch.target)
                loss.backward()
                optimizer.step()
                total += loss.item
            }
            if epoch % 20 == 0 { print("epoch \(epoch): mean loss \(total / Float(trainLoader.batchCount))") }
        }

        var correct = 0, seen = 0
        withNoGrad {
            for batch in testLoader {
                let predicted = model(batch.input).argmax(axis: 1)
                correct += (predicted .== batch.target).trueCount
                seen += batch.target.count
            }
        }
        let accuracy = Double(correct) / Double(seen)
        print("held-out accuracy: \(accuracy)")
        // END README
        return accuracy
    }

    @Test("the spiral MLP trains to a high held-out accuracy")
    func spiralAccuracy() throws {
        #expect(try Self.spiralProgram() >= 0.9)
    }

    @Test("the README shows this test's program")
    func readmeMatches() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let lines = source.components(separatedBy: "\n")
        let begin = try #require(lines.firstIndex { $0.hasSuffix("// BEGIN README") })
        let end = try #require(lines.firstIndex { $0.hasSuffix("// END README") })
        let body = lines[(begin + 1)..<end].map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : $0 }
        let program = (["import Data", "import Foundation", "import NN", "import Optim", "import Tensor", ""] + body).joined(separator: "\n")
        #expect(readme.contains("```swift\n" + program + "\n```"), "README.md's Coming-from-PyTorch program differs from this test's")
    }
}
