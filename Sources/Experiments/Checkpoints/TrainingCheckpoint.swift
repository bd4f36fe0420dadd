import Foundation
import NN
import Optim
import Tensor

/// Everything needed to resume training, in one file (written atomically): the model's state
/// dict under PyTorch's keys, the optimizer's state, extra training tensors (e.g. the carried
/// hidden state), and free-form metadata such as `vocabulary`.
///
/// Two formats, chosen by the file's extension when writing and by its content when reading
/// (see ``CheckpointFormat``):
///
/// - safetensors: the model's keys as they are, the optimizer's state under `optimizer.`
///   (tensors and metadata), extra tensors under `train.`. A file with only model keys is what
///   PyTorch's `model.load_state_dict` reads; files written by `torch_train.py --save` read back
///   here with no optimizer state.
/// - `.pt` (`.pth`, `.bin`, ...): PyTorch's usual checkpoint dict `{"model": state_dict,
///   "optimizer": optimizer.state_dict(), "optimizer_name": "Adam", "train": {...}, "metadata": {...}}`
///   (see ``OptimizerStateDict/torchValue()``), which `torch.load(path, weights_only=True)` reads;
///   a bare state dict, or a nanoGPT `ckpt.pt` (whose `model_args` become metadata strings, such as
///   `n_head`), reads back too.
public struct TrainingCheckpoint<Scalar: TensorFloatingPoint> {
    /// The prefix of the optimizer's tensors and metadata.
    public static var optimizerPrefix: String { "optimizer." }
    /// The prefix of extra training tensors.
    public static var trainingPrefix: String { "train." }

    /// The model's parameters under PyTorch's keys.
    public var model: StateDict<Scalar>
    /// The optimizer's state, if saved.
    public var optimizer: OptimizerStateDict<Scalar>?
    /// Extra tensors (keys without the `train.` prefix).
    public var extra: [String: Tensor<Scalar>]
    /// Metadata: `vocabulary` and any other strings.
    public var metadata: [String: String]

    /// A checkpoint of these parts.
    public init(
        model: StateDict<Scalar>, optimizer: OptimizerStateDict<Scalar>? = nil, extra: [String: Tensor<Scalar>] = [:],
        metadata: [String: String] = [:]
    ) {
        self.model = model
        self.optimizer = optimizer
        self.extra = extra
        self.metadata = metadata
    }

    /// Writes the checkpoint atomically (temporary file, fsync, rename) in the format `url`'s
    /// extension names: a crash leaves either the previous file or the new one.
    ///
    /// - Throws: ``CheckpointError/file(_:)`` or ``CheckpointError/torch(_:)``.
    public func write(to url: URL) throws(CheckpointError) {
        switch CheckpointFormat(forWriting: url) {
        case .safetensors:
            do throws(SafetensorsError) {
                try writeSafetensors(to: url)
            } catch {
                throw .file(error)
            }
        case .torch:
            do throws(TorchFileError) {
                try TorchFile(value: torchValue()).write(to: url)
            } catch {
                throw .torch(error)
            }
        }
    }

    /// Reads a checkpoint in either format, converting the elements to `Scalar`.
    ///
    /// - Throws: ``CheckpointError/file(_:)`` or ``CheckpointError/torch(_:)`` for a missing,
    ///   corrupt or hostile file.
    public init(contentsOf url: URL) throws(CheckpointError) {
        switch CheckpointFormat(forReading: url) {
        case .safetensors:
            do throws(SafetensorsError) {
                try self.init(safetensors: url)
            } catch {
                throw .file(error)
            }
        case .torch:
            do throws(TorchFileError) {
                try self.init(torch: TorchFile(contentsOf: url).value)
            } catch {
                throw .torch(error)
            }
        }
    }

    /// Writes the checkpoint as a safetensors file.
    private func writeSafetensors(to url: URL) throws(SafetensorsError) {
        var tensors: [String: SafetensorsEntry] = [:]
        var metadata = self.metadata
        for (key, tensor) in model { tensors[key] = Self.entry(tensor) }
        if let optimizer {
            for (key, tensor) in optimizer.tensors { tensors[Self.optimizerPrefix + key] = Self.entry(tensor) }
            for (key, value) in optimizer.metadata { metadata[Self.optimizerPrefix + key] = value }
        }
        for (key, tensor) in extra { tensors[Self.trainingPrefix + key] = Self.entry(tensor) }
        try SafetensorsArchive(tensors: tensors, metadata: metadata).write(to: url)
    }

    /// Reads a safetensors checkpoint, converting F32/F64 data to `Scalar`.
    private init(safetensors url: URL) throws(SafetensorsError) {
        let archive = try SafetensorsArchive(contentsOf: url)
        var model: [(key: String, value: Tensor<Scalar>)] = []
        var optimizerTensors: [String: Tensor<Scalar>] = [:], extra: [String: Tensor<Scalar>] = [:]
        for key in archive.tensors.keys.sorted() {
            let entry = archive.tensors[key]!
            let tensor = Tensor<Scalar>(shape: entry.shape, scalars: entry.values(as: Scalar.self))
            if key.hasPrefix(Self.optimizerPrefix) {
                optimizerTensors[String(key.dropFirst(Self.optimizerPrefix.count))] = tensor
            } else if key.hasPrefix(Self.trainingPrefix) {
                extra[String(key.dropFirst(Self.trainingPrefix.count))] = tensor
            } else {
                model.append((key, tensor))
            }
        }
        var metadata: [String: String] = [:], optimizerMetadata: [String: String] = [:]
        for (key, value) in archive.metadata {
            if key.hasPrefix(Self.optimizerPrefix) {
                optimizerMetadata[String(key.dropFirst(Self.optimizerPrefix.count))] = value
            } else {
                metadata[key] = value
            }
        }
        self.model = StateDict(model)
        optimizer = optimizerTensors.isEmpty && optimizerMetadata.isEmpty
            ? nil : OptimizerStateDict(tensors: optimizerTensors, metadata: optimizerMetadata)
        self.extra = extra
        self.metadata = metadata
    }

    private static func entry(_ tensor: Tensor<Scalar>) -> SafetensorsEntry {
        if let values = tensor.scalars as? [Double] { return SafetensorsEntry(values, shape: tensor.shape) }
        return SafetensorsEntry(tensor.scalars.map { Float($0) }, shape: tensor.shape)
    }
}
