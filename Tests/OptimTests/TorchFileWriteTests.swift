import Foundation
import NN
import Optim
import Tensor
import Testing

/// `.pt` files written here: read back here exactly, and (in the golden generator's check mode)
/// by PyTorch. With `SWIFTTORCH_PT_CHECK_DIR` set, the files and an `expected.json` go to that
/// directory for `make_torch_golden.py --check`; otherwise to a temporary one.
@Suite struct TorchFileWriteTests {
    static let configurations = ["sgd", "sgd_momentum", "sgd_nesterov", "adam", "adam_amsgrad", "adamw", "adagrad", "rmsprop"]

    /// `values` as a JSON array, each in its shortest round-trip form.
    static func json(_ values: [Double]) -> String { "[" + values.map { "\($0)" }.joined(separator: ",") + "]" }

    static func json(_ tensor: Tensor<some TensorFloatingPoint>) -> String {
        "{\"shape\":\(tensor.shape),\"values\":\(json(tensor.scalars.map(\.doubleValue)))}"
    }

    @Test func filesPyTorchReads() throws {
        let directory: URL
        if let path = ProcessInfo.processInfo.environment["SWIFTTORCH_PT_CHECK_DIR"] {
            directory = URL(fileURLWithPath: path)
        } else {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("pt-write-\(UUID().uuidString)")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer {
            if ProcessInfo.processInfo.environment["SWIFTTORCH_PT_CHECK_DIR"] == nil { try? FileManager.default.removeItem(at: directory) }
        }
        var stateDicts: [String] = []

        // Model state dicts through Module.save, in both element types.
        let single = Linear<Float>(3, 2, generator: Generator(seed: 7))
        try single.save(to: directory.appendingPathComponent("state_f32.pt"))
        let double = Linear<Double>(3, 2, generator: Generator(seed: 8))
        try double.save(to: directory.appendingPathComponent("state_f64.pth"))
        for (file, model, dtype) in [("state_f32.pt", single.stateDict().converted(to: Double.self), "float32"),
                                     ("state_f64.pth", double.stateDict(), "float64")] {
            let tensors = model.map { "\"\($0.key)\":\(Self.json($0.value))" }.joined(separator: ",")
            stateDicts.append("\"\(file)\":{\"dtype\":\"\(dtype)\",\"tensors\":{\(tensors)}}")
        }
        let readF32 = Linear<Float>(3, 2)
        try readF32.load(from: directory.appendingPathComponent("state_f32.pt"))
        #expect(readF32.weight.scalars == single.weight.scalars && readF32.bias!.scalars == single.bias!.scalars)
        let readF64 = Linear<Double>(3, 2)
        try readF64.load(from: directory.appendingPathComponent("state_f64.pth"))
        #expect(readF64.weight.scalars == double.weight.scalars)
        // In PyTorch's layout: float32 storages, contiguous strides, "archive/" records.
        let saved = try TorchFile(contentsOf: directory.appendingPathComponent("state_f32.pt")).value
        #expect(saved["weight"]?.tensor?.dtype == .float32)
        #expect(saved["weight"]?.tensor?.strides == [3, 1])

        // Plain values.
        let values = TorchValue.dict(TorchDictionary([
            (key: .string("a"), value: .int(1)), (key: .string("b"), value: .float(2.5)), (key: .string("c"), value: .string("text \u{e9}")),
            (key: .string("d"), value: .none), (key: .string("e"), value: .list([.int(1), .tuple([.int(2), .float(3)])])),
            (key: .string("f"), value: .dict(TorchDictionary([("g", .bool(true))]))), (key: .int(7), value: .string("int key")),
            (key: .string("big"), value: .int(1 << 40)), (key: .string("neg"), value: .int(-300)),
            (key: .string("huge_neg"), value: .int(-(1 << 62))), (key: .string("one"), value: .tuple([.int(1)])),
        ]))
        try TorchFile(value: values).write(to: directory.appendingPathComponent("values.pt"))
        let valuesRepr = "{'a': 1, 'b': 2.5, 'c': 'text \u{e9}', 'd': None, 'e': [1, (2, 3.0)], 'f': {'g': True}, 7: 'int key', "
            + "'big': 1099511627776, 'neg': -300, 'huge_neg': -4611686018427387904, 'one': (1,)}"
        let reread = try TorchFile(contentsOf: directory.appendingPathComponent("values.pt")).value
        #expect(reread["huge_neg"]?.int == -(1 << 62) && reread["big"]?.int == 1 << 40 && reread["neg"]?.int == -300)
        #expect(reread.dictionary?[7]?.string == "int key")

        // Training checkpoints: PyTorch's state after 5 steps, 5 more steps here, saved; then the
        // continuation PyTorch must reproduce.
        var checkpoints: [String] = []
        for name in Self.configurations {
            let golden = try TorchFile(contentsOf: TorchOptimizerStateTests.directory.appendingPathComponent("optim_\(name).pt")).value
            let model = Linear<Double>(3, 2)
            try model.loadStateDict(StateDict(torch: try #require(golden["model"])))
            let optimizer = try TorchOptimizerStateTests.optimizer(name, model)
            let continuation = try #require(TorchOptimizerStateTests.expected.optim[name])
            let x = Tensor(shape: [4, 3], scalars: continuation.x), y = Tensor(shape: [4, 2], scalars: continuation.y)
            let torchState: TorchValue
            switch optimizer {
            case let sgd as SGD<Double>: try sgd.loadStateDict(torch: try #require(golden["optimizer"]))
            case let adamW as AdamW<Double>: try adamW.loadStateDict(torch: try #require(golden["optimizer"]))
            case let adam as Adam<Double>: try adam.loadStateDict(torch: try #require(golden["optimizer"]))
            case let adagrad as Adagrad<Double>: try adagrad.loadStateDict(torch: try #require(golden["optimizer"]))
            case let rmsprop as RMSprop<Double>: try rmsprop.loadStateDict(torch: try #require(golden["optimizer"]))
            default: Issue.record("unexpected optimizer")
            }
            for _ in 0..<5 { TorchOptimizerStateTests.step(model, optimizer, x: x, y: y) }
            switch optimizer {
            case let sgd as SGD<Double>: torchState = sgd.torchStateDict()
            case let adamW as AdamW<Double>: torchState = adamW.torchStateDict()
            case let adam as Adam<Double>: torchState = adam.torchStateDict()
            case let adagrad as Adagrad<Double>: torchState = adagrad.torchStateDict()
            case let rmsprop as RMSprop<Double>: torchState = rmsprop.torchStateDict()
            default: fatalError("unexpected optimizer")
            }
            let checkpoint = TorchValue.dict(TorchDictionary([("model", model.stateDict().torchValue), ("optimizer", torchState)]))
            try TorchFile(value: checkpoint).write(to: directory.appendingPathComponent("\(name).pt"))
            var trajectory: [String] = []
            for _ in 0..<50 {
                TorchOptimizerStateTests.step(model, optimizer, x: x, y: y)
                trajectory.append(Self.json(model.weight.scalars + model.bias!.scalars))
            }
            checkpoints.append("\"\(name)\":{\"trajectory\":[\(trajectory.joined(separator: ","))]}")
        }
        let expected = "{\"state_dicts\":{\(stateDicts.joined(separator: ","))},\"values_repr\":\(Self.jsonString(valuesRepr)),"
            + "\"checkpoints\":{\(checkpoints.joined(separator: ","))}}\n"
        try AtomicFile.write(Array(expected.utf8), to: directory.appendingPathComponent("expected.json"))
    }

    static func jsonString(_ text: String) -> String {
        String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }
}
