import Foundation
import Testing
import Tensor
import Data

/// The reference values written by `Golden/make_data_golden.py` from PyTorch.
struct DataGolden: Decodable, Sendable {
    struct Loader: Decodable, Sendable, CustomTestStringConvertible {
        let count: Int
        let batchSize: Int
        let shuffle: Bool
        let dropLast: Bool
        let seed: UInt64
        let epochs: [[[Int]]]
        let nextDraw: Int
        var testDescription: String { "\(count) samples, batch \(batchSize), shuffle \(shuffle), dropLast \(dropLast)" }
    }

    struct Split: Decodable, Sendable {
        let count: Int
        let lengths: [Double]
        let seed: UInt64
        let parts: [[Int]]
    }

    struct Window: Decodable, Sendable {
        let count: Int
        let block: Int
        let batch: Int
        let seed: UInt64
        let input: [[Int]]
        let target: [[Int]]
    }

    let loaders: [Loader]
    let splits: [Split]
    let windows: [Window]

    static let shared: DataGolden = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/data_golden.json")
        do {
            return try JSONDecoder().decode(DataGolden.self, from: Foundation.Data(contentsOf: url))
        } catch {
            fatalError("cannot read \(url.path): \(error); run Golden/make_data_golden.py")
        }
    }()
}

/// `DataLoader`, `TensorDataset`, `randomSplit` and the text windows against PyTorch's batches
/// for the same seeds.
@Suite("Data loading")
struct DataLoaderTests {
    @Test("batches and the generator stream equal PyTorch's DataLoader", arguments: DataGolden.shared.loaders)
    func loader(golden: DataGolden.Loader) {
        let generator = Generator(seed: golden.seed)
        let dataset = TensorDataset(Tensor<Double>.arange(0, Double(golden.count)), Tensor<Int>(Array(0..<golden.count)))
        let loader = DataLoader(dataset, batchSize: golden.batchSize, shuffle: golden.shuffle, dropLast: golden.dropLast, generator: generator)
        for (epoch, expected) in golden.epochs.enumerated() {
            let batches = loader.map { batch in
                #expect(batch.input.scalars == batch.target.scalars.map(Double.init), "inputs and targets stay paired")
                return batch.target.scalars
            }
            #expect(batches == expected, "epoch \(epoch)")
        }
        #expect(Tensor<Int>.randint(0, 1 << 20, [1], generator: generator).item == golden.nextDraw, "draws consumed by the loader")
        #expect(loader.batchCount == golden.epochs[0].count)
    }

    @Test("randomSplit deals PyTorch's random_split")
    func splits() {
        for golden in DataGolden.shared.splits {
            let dataset = TensorDataset(Tensor<Double>.zeros([golden.count, 1]), Tensor<Int>(Array(0..<golden.count)))
            let parts = golden.lengths.allSatisfy { $0 >= 1 }
                ? randomSplit(dataset, lengths: golden.lengths.map { Int($0) }, generator: Generator(seed: golden.seed))
                : randomSplit(dataset, fractions: golden.lengths, generator: Generator(seed: golden.seed))
            #expect(parts.map(\.indices) == golden.parts)
            #expect(parts.map { part in (0..<part.count).map { part[$0].target.item } } == golden.parts)
        }
    }

    @Test("random windows equal nanoGPT's get_batch")
    func randomWindows() {
        for golden in DataGolden.shared.windows {
            let tokens = Tensor<Int>((0..<golden.count).map { $0 * 3 + 1 })
            let batch = TextWindows.random(tokens, length: golden.block, batch: golden.batch, generator: Generator(seed: golden.seed))
            #expect(batch.input.shape == [golden.batch, golden.block])
            #expect(batch.input.scalars == golden.input.flatMap { $0 } && batch.target.scalars == golden.target.flatMap { $0 })
        }
    }

    @Test("consecutive windows continue each stream and end with a shorter window")
    func consecutiveWindows() {
        let streams = TextWindows.streams(Tensor<Int>(Array(0..<23)), count: 2)
        #expect(streams.shape == [2, 11] && streams[1].scalars == Array(11..<22))
        let windows = TextWindows.consecutive(streams, length: 4)
        #expect(windows.map { $0.input.shape } == [[2, 4], [2, 4], [2, 2]])
        #expect(windows[1].input[0].scalars == [4, 5, 6, 7] && windows[1].target[1].scalars == [16, 17, 18, 19])
        #expect(windows[2].target[0].scalars == [9, 10])
    }

    @Test("a custom collate and tensor samples batch as given")
    func customCollate() {
        struct Squares: Dataset {
            var count: Int { 5 }
            subscript(index: Int) -> Tensor<Float> { Tensor([Float(index * index)]) }
        }
        let stacked = DataLoader(Squares(), batchSize: 2).map(\.shape)
        #expect(stacked == [[2, 1], [2, 1], [1, 1]])
        let sums = DataLoader(Squares(), batchSize: 3) { samples in samples.map(\.item).reduce(0, +) }
        #expect(Array(sums) == [5, 25])
    }
}
