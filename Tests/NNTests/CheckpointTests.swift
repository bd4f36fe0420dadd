import Foundation
import NN
import Tensor
import Testing

/// `checkpoint.json`: the CharRNN PyTorch saved to `pytorch_charrnn_f32.safetensors` and
/// `pytorch_charrnn_f64.safetensors`, an input and PyTorch's outputs.
private struct PyTorchCheckpoint: Decodable {
    struct Config: Decodable {
        let vocabulary: Int
        let hidden: Int
        let layers: Int
    }

    let config: Config
    let metadata: [String: String]
    let params: [String: GoldenTensor]
    let input: GoldenTensor
    let logitsFloat64: GoldenTensor
    let hiddenFloat64: GoldenTensor
    let logitsFloat32: GoldenTensor

    static let file = Golden.load("checkpoint.json", as: PyTorchCheckpoint.self)

    func model<Scalar: TensorFloatingPoint>(_ type: Scalar.Type, seed: UInt64 = 0) -> TorchTrainCharRNN<Scalar> {
        TorchTrainCharRNN(
            vocabulary: config.vocabulary, hidden: config.hidden, layers: config.layers, bias: true, nonlinearity: .tanh,
            generator: Generator(seed: seed))
    }
}

/// A fresh directory under the system's temporary directory, removed by `body`'s caller.
private func withTemporaryDirectory(_ body: (URL) throws -> Void) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nn-checkpoint-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try body(directory)
}

/// The error `body` throws, recording an issue if it throws none.
private func checkpointError(_ body: () throws(CheckpointError) -> Void) -> CheckpointError? {
    do {
        try body()
        Issue.record("expected a CheckpointError")
        return nil
    } catch {
        return error
    }
}

@Suite("Checkpoints: safetensors with PyTorch keys")
struct CheckpointTests {
    private let golden = PyTorchCheckpoint.file

    @Test("save and load round-trip a Float and a Double model exactly, with metadata")
    func roundTrip() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("model.safetensors")
            let saved = golden.model(Float.self, seed: 1)
            try saved.save(to: url, metadata: ["vocabulary": "abcde", "epochs": "3"])
            let loaded = golden.model(Float.self, seed: 2)
            let result = try loaded.load(from: url)
            #expect(result.metadata == ["vocabulary": "abcde", "epochs": "3"])
            #expect(result.incompatibleKeys == IncompatibleKeys())
            for ((_, a), (_, b)) in zip(saved.stateDict(), loaded.stateDict()) { #expect(a.scalars == b.scalars) }

            let double = golden.model(Double.self, seed: 3)
            try double.save(to: url)
            let reloaded = golden.model(Double.self, seed: 4)
            try reloaded.load(from: url)
            for ((_, a), (_, b)) in zip(double.stateDict(), reloaded.stateDict()) { #expect(a.scalars == b.scalars) }
        }
    }

    @Test("files hold F32 for Float models and F64 for Double models, and convert on load")
    func dtypes() throws {
        try withTemporaryDirectory { directory in
            let floatURL = directory.appendingPathComponent("f32.safetensors")
            let doubleURL = directory.appendingPathComponent("f64.safetensors")
            let float = golden.model(Float.self, seed: 5), double = golden.model(Double.self, seed: 6)
            try float.save(to: floatURL)
            try double.save(to: doubleURL)
            #expect(try SafetensorsArchive(contentsOf: floatURL).tensors.values.allSatisfy { $0.dtype == .f32 })
            #expect(try SafetensorsArchive(contentsOf: doubleURL).tensors.values.allSatisfy { $0.dtype == .f64 })

            let widened = golden.model(Double.self, seed: 7)
            try widened.load(from: floatURL)
            #expect(widened.fc.weight.scalars == float.fc.weight.scalars.map(Double.init))
            let narrowed = golden.model(Float.self, seed: 8)
            try narrowed.load(from: doubleURL)
            #expect(narrowed.rnn.weights[1].weightHH.scalars == double.rnn.weights[1].weightHH.scalars.map { Float($0) })
        }
    }

    @Test("a file written by PyTorch loads with its exact values and gives PyTorch's forward output", arguments: ["f32", "f64"])
    func pytorchFile(_ dtype: String) throws {
        let url = Golden.url("pytorch_charrnn_\(dtype).safetensors")
        let model = golden.model(Double.self)
        let result = try model.load(from: url)
        #expect(result.metadata == golden.metadata)
        for (key, value) in model.stateDict() {
            expectClose(value, golden.params[key]!, relative: 0, absolute: 0, "\(dtype) \(key)")
        }
        let (logits, hidden) = model(golden.input.double)
        expectClose(logits, golden.logitsFloat64, "\(dtype) logits")
        expectClose(hidden, golden.hiddenFloat64, "\(dtype) h_n")

        let floatModel = golden.model(Float.self)
        try floatModel.load(from: url)
        let floatLogits = floatModel(golden.input.float).logits.converted(to: Double.self)
        expectClose(floatLogits, golden.logitsFloat32, relative: 1e-5, absolute: 1e-6, "\(dtype) float32 logits")
    }

    @Test("a missing, truncated or corrupt file gives its safetensors error and leaves the model unchanged")
    func corruptFiles() throws {
        try withTemporaryDirectory { directory in
            let model = golden.model(Double.self, seed: 9)
            let before = model.stateDict().copied()
            let missing = directory.appendingPathComponent("missing.safetensors")
            #expect(checkpointError { () throws(CheckpointError) in try model.load(from: missing) } == .file(.fileNotFound(path: missing.path)))

            let tiny = directory.appendingPathComponent("tiny.safetensors")
            try Data([1, 2, 3]).write(to: tiny)
            #expect(checkpointError { () throws(CheckpointError) in try model.load(from: tiny) } == .file(.fileTooSmall(size: 3)))

            let bytes = try Data(contentsOf: Golden.url("pytorch_charrnn_f64.safetensors"))
            let truncated = directory.appendingPathComponent("truncated.safetensors")
            try bytes.dropLast(8).write(to: truncated)
            guard case .file(.offsetsBeyondData(let tensor, _, _)) = checkpointError({ () throws(CheckpointError) in try model.load(from: truncated) }) else {
                Issue.record("truncated file: expected offsetsBeyondData")
                return
            }
            #expect(tensor == "fc.bias")

            let half = directory.appendingPathComponent("half.safetensors")
            let header = #"{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#
            let length = UInt64(header.utf8.count)
            try Data((0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + Array(header.utf8) + [0, 0, 0, 0]).write(to: half)
            #expect(checkpointError { () throws(CheckpointError) in try model.load(from: half) } == .file(.unsupportedDType(tensor: "w", dtype: "F16")))

            for ((_, a), (_, b)) in zip(before, model.stateDict()) { #expect(a.scalars == b.scalars) }
        }
    }

    @Test("a valid file for another model gives a state-dict error listing every problem")
    func wrongModel() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("other.safetensors")
            try TorchTrainCharRNN<Float>(vocabulary: 5, hidden: 3, layers: 1, bias: false, nonlinearity: .tanh).save(to: url)
            let model = golden.model(Float.self)
            guard case .stateDict(let error) = checkpointError({ () throws(CheckpointError) in try model.load(from: url) }) else {
                Issue.record("expected a state-dict error")
                return
            }
            #expect(error.missingKeys == [
                "rnn.bias_ih_l0", "rnn.bias_hh_l0", "rnn.weight_ih_l1", "rnn.weight_hh_l1", "rnn.bias_ih_l1",
                "rnn.bias_hh_l1", "fc.bias",
            ])
            #expect(error.unexpectedKeys.isEmpty)
            #expect(error.shapeMismatches.map(\.key) == ["rnn.weight_ih_l0", "rnn.weight_hh_l0", "fc.weight"])
            #expect(CheckpointError.stateDict(error).description.hasPrefix("Error(s) in loading state_dict for TorchTrainCharRNN<Float>:"))
        }
    }

    @Test("a non-strict load of a partial checkpoint reports the keys it skipped")
    func partial() throws {
        try withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("fc.safetensors")
            let head = Linear<Double>(golden.config.hidden, golden.config.vocabulary, generator: Generator(seed: 10))
            var state = StateDict<Double>()
            for (key, value) in head.stateDict() { state["fc.\(key)"] = value }
            try state.write(to: url)
            let model = golden.model(Double.self)
            let result = try model.load(from: url, strict: false)
            #expect(result.incompatibleKeys.missingKeys.count == 8)
            #expect(model.fc.weight.scalars == head.weight.scalars)
            #expect(try StateDict<Double>(contentsOf: url).keys == ["fc.bias", "fc.weight"])
        }
    }

    @Test("saving is atomic: a failed save throws and leaves nothing; a save replaces the whole file")
    func atomicWrites() throws {
        try withTemporaryDirectory { directory in
            let model = golden.model(Float.self)
            let nowhere = directory.appendingPathComponent("no/such/dir/model.safetensors")
            guard case .file(.writeFailed) = checkpointError({ () throws(CheckpointError) in try model.save(to: nowhere) }) else {
                Issue.record("expected writeFailed")
                return
            }
            let url = directory.appendingPathComponent("model.safetensors")
            try Data(repeating: 7, count: 100_000).write(to: url)
            try model.save(to: url)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["model.safetensors"])
            let reloaded = golden.model(Float.self, seed: 11)
            try reloaded.load(from: url)
            #expect(reloaded.fc.bias!.scalars == model.fc.bias!.scalars)
        }
    }
}
