import Foundation
import NN
import Tensor
import Testing

/// A seeded mutation fuzzer for checkpoint loading into a model and an optimizer: a valid
/// `charrnn` checkpoint is damaged structurally (hostile metadata numbers and strings, broken
/// optimizer JSON, non-finite or out-of-range tensor values, dropped, renamed, added and reshaped
/// tensors) and handed to `charrnn --resume` and `generate`. Every outcome must be a finished
/// run or one `error:` line; a trap would end the test process. `CHECKPOINT_MUTATIONS=N` in the
/// environment runs N damaged files instead of 100 (a long fuzzing session: see RELIABILITY.md).
@Suite("checkpoint mutations")
struct CheckpointMutationTests {
    static let hostileStrings = [
        "", "-1", "0", "1e30", "1e19", "9223372036854775808", "-9223372036854775809", "nan", "inf", "-inf", "1.5",
        "\u{1B}[31mred", "[]", "{}", "[{}]", "[{\"lr\":", "null", "tanh", "gelu", String(repeating: "9", count: 400),
    ]
    static let hostileNumbers: [Double] = [.nan, .infinity, -.infinity, 1e30, -1e30, 1e19, -1, 0, 0.5, 3e38]

    /// One mutation of `archive`, chosen by `generator`.
    static func mutate(_ archive: inout SafetensorsArchive, _ generator: inout MersenneTwister) {
        func pick<T>(_ items: [T]) -> T { items[Int(generator.next() % UInt32(items.count))] }
        let keys = archive.tensors.keys.sorted(), metadataKeys = archive.metadata.keys.sorted()
        switch generator.next() % 7 {
        case 0:  // a metadata value replaced by a hostile string
            archive.metadata[pick(metadataKeys)] = pick(hostileStrings)
        case 1:  // one number inside the optimizer's JSON replaced
            let groups = archive.metadata["optimizer.param_groups"] ?? ""
            let pattern = try! NSRegularExpression(pattern: "-?[0-9][0-9.e+-]*")
            let matches = pattern.matches(in: groups, range: NSRange(groups.startIndex..., in: groups))
            guard !matches.isEmpty, let range = Range(pick(matches).range, in: groups) else { return }
            archive.metadata["optimizer.param_groups"] = groups.replacingCharacters(
                in: range, with: pick(["1e30", "-1", "1e19", "0.5", "9223372036854775808", "\"x\"", "nan", "[]"]))
        case 2:  // one element of a tensor replaced by a hostile number
            let key = pick(keys), entry = archive.tensors[key]!
            var values = entry.values(as: Double.self)
            guard !values.isEmpty else { return }
            values[Int(generator.next() % UInt32(values.count))] = pick(hostileNumbers)
            archive.tensors[key] = SafetensorsEntry(values, shape: entry.shape)
        case 3:  // a tensor dropped
            archive.tensors[pick(keys)] = nil
        case 4:  // a tensor renamed
            let key = pick(keys)
            archive.tensors[key + pick(["x", "_l1", ".0", "\u{1B}"])] = archive.tensors.removeValue(forKey: key)
        case 5:  // a tensor reshaped (same elements, other shape), emptied or made 0-d
            let key = pick(keys), entry = archive.tensors[key]!
            let values = entry.values(as: Double.self)
            archive.tensors[key] = pick([
                SafetensorsEntry(values, shape: [values.count]), SafetensorsEntry([Double](), shape: [0]) as SafetensorsEntry,
                SafetensorsEntry([values.first ?? 0], shape: []), SafetensorsEntry(values + values, shape: [2, values.count]),
            ])
        default:  // an extra tensor
            archive.tensors[pick(["rnn.weight_ih_l1", "train.cell", "optimizer.state.9.sum", "fc.scale"])] =
                SafetensorsEntry([1, 2] as [Double], shape: [2])
        }
    }

    @Test("damaged checkpoints resume and generate, or fail with one error line")
    func mutations() throws {
        try withTemporaryDirectory { dir throws in
            let book = dir.appendingPathComponent("book.txt").path
            try String(repeating: "To be or not to be, that is the question. ", count: 5).write(toFile: book, atomically: true, encoding: .utf8)
            let original = dir.appendingPathComponent("original.safetensors").path
            let common = ["charrnn", "--file", book, "--hidden", "4", "--sample-every", "0", "--length", "3", "--quiet"]
            #expect(runExamples(common + ["--iterations", "3", "--save", original]).status == 0)
            let valid = try SafetensorsArchive(contentsOf: URL(fileURLWithPath: original))
            var generator = MersenneTwister(seed: 2026)
            let damaged = dir.appendingPathComponent("damaged.safetensors")
            var outcomes: [Int32: Int] = [:]
            let count = ProcessInfo.processInfo.environment["CHECKPOINT_MUTATIONS"].flatMap(Int.init) ?? 100
            for index in 0..<count {
                var archive = valid
                for _ in 0...(generator.next() % 3) { Self.mutate(&archive, &generator) }
                try archive.write(to: damaged)
                for arguments in [common + ["--iterations", "5", "--resume", damaged.path],
                                  ["generate", "--checkpoint", damaged.path, "--length", "3", "--quiet"]] {
                    let run = runExamples(arguments)
                    outcomes[run.status, default: 0] += 1
                    #expect([0, 1, 2].contains(run.status), "case \(index): \(arguments[0]) exit \(run.status)")
                    if run.status != 0 {
                        #expect(run.stderr.hasPrefix("error: ") && run.stderr.split(separator: "\n").count == 1,
                                "case \(index): \(arguments[0]): \(run.stderr)")
                        #expect(!run.stderr.contains("\u{1B}"), "case \(index): an escape sequence reached the terminal")
                    }
                }
            }
            // The mutations must reach both outcomes, or they test nothing.
            #expect(outcomes[0, default: 0] > 0 && outcomes[1, default: 0] > 0, "\(outcomes)")
        }
    }
}
