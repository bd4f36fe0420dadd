import Foundation
import Tensor

/// Why saving or loading a checkpoint failed.
public enum CheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read or written, or is not a valid safetensors file of `F32`/`F64`
    /// tensors; the attached error names the problem.
    case file(SafetensorsError)
    /// The `.pt` file could not be read or written, is not a valid PyTorch file, or holds no
    /// state dict of tensors; the attached error names the problem.
    case torch(TorchFileError)
    /// The file is valid but its tensors do not fit the model (missing or unexpected keys, shapes).
    case stateDict(StateDictError)

    /// The underlying error's message.
    public var description: String {
        switch self {
        case .file(let error): error.description
        case .torch(let error): error.description
        case .stateDict(let error): error.description
        }
    }
}

/// What ``Module/load(from:strict:)`` found besides the parameters.
public struct LoadedCheckpoint: Equatable, Sendable {
    /// The file's string metadata (`__metadata__` of a safetensors file, the `metadata` dict of
    /// a `.pt` checkpoint), e.g. a vocabulary saved with the model.
    public var metadata: [String: String]
    /// The keys skipped by a non-strict load (both empty after a strict one).
    public var incompatibleKeys: IncompatibleKeys
}

extension StateDict {
    /// Reads the tensors of the safetensors file at `url`, converting `F32` and `F64` elements to
    /// `Scalar` (exactly when widening, rounding to nearest when narrowing); keys in sorted order.
    ///
    /// Everything is validated before anything is returned (see ``SafetensorsArchive``).
    /// - Throws: ``CheckpointError/file(_:)`` describing the first problem found.
    public init(contentsOf url: URL) throws(CheckpointError) {
        try self.init(archive: Self.readArchive(url))
    }

    /// The tensors of `archive`, converted to `Scalar`, in sorted key order.
    init(archive: SafetensorsArchive) {
        self.init(archive.tensors.sorted { $0.key < $1.key }.map { key, entry in
            (key: key, value: Tensor(shape: entry.shape, scalars: entry.values(as: Scalar.self)))
        })
    }

    /// Writes the tensors to `url` as a safetensors file (`F32` for `Float`, `F64` for `Double`)
    /// with string `metadata`, atomically: on failure any previous file is left intact.
    ///
    /// The layout is the reference implementation's, readable by `safetensors.torch.load_file` and
    /// by the plain reader of `torch_train.py`.
    /// - Throws: ``CheckpointError/file(_:)`` if the file cannot be written.
    public func write(to url: URL, metadata: [String: String] = [:]) throws(CheckpointError) {
        var archive = SafetensorsArchive(metadata: metadata)
        for (key, tensor) in self { archive.tensors[key] = Self.entry(tensor) }
        do throws(SafetensorsError) {
            try archive.write(to: url)
        } catch {
            throw .file(error)
        }
    }

    /// Reads and validates the safetensors file at `url`.
    static func readArchive(_ url: URL) throws(CheckpointError) -> SafetensorsArchive {
        do throws(SafetensorsError) {
            return try SafetensorsArchive(contentsOf: url)
        } catch {
            throw .file(error)
        }
    }

    /// `tensor`'s elements as a safetensors entry of the matching dtype.
    private static func entry(_ tensor: Tensor<Scalar>) -> SafetensorsEntry {
        switch tensor.scalars {
        case let values as [Float]: SafetensorsEntry(values, shape: tensor.shape)
        case let values as [Double]: SafetensorsEntry(values, shape: tensor.shape)
        default: SafetensorsEntry(tensor.scalars.map(\.doubleValue), shape: tensor.shape)
        }
    }
}

extension Module {
    /// Saves the parameters under their PyTorch keys (``stateDict()``), in this model's element type,
    /// atomically, in the format the extension of `url` names (see ``CheckpointFormat``):
    ///
    /// - safetensors (`F32` or `F64`) with string `metadata`; PyTorch loads it with
    ///   `model.load_state_dict(safetensors.torch.load_file(path))`.
    /// - `.pt`/`.pth`/`.bin`: what `torch.save(model.state_dict(), path)` writes (float32 or float64
    ///   tensors); PyTorch loads it with `model.load_state_dict(torch.load(path, weights_only=True))`.
    ///   With `metadata`, the file is a checkpoint dict `{"model": state_dict, "metadata": {...}}`.
    /// - Throws: ``CheckpointError/file(_:)`` or ``CheckpointError/torch(_:)`` if the file cannot be written.
    public func save(to url: URL, metadata: [String: String] = [:]) throws(CheckpointError) {
        switch CheckpointFormat(forWriting: url) {
        case .safetensors:
            try stateDict().write(to: url, metadata: metadata)
        case .torch:
            var value = stateDict().torchValue
            if !metadata.isEmpty {
                let strings = metadata.sorted { $0.key < $1.key }.map { ($0.key, TorchValue.string($0.value)) }
                value = .dict(TorchDictionary([("model", value), ("metadata", .dict(TorchDictionary(strings)))]))
            }
            do throws(TorchFileError) {
                try TorchFile(value: value).write(to: url)
            } catch {
                throw .torch(error)
            }
        }
    }

    /// Loads parameters from a safetensors or `.pt` file (told apart by content, see
    /// ``CheckpointFormat``), such as one saved by ``save(to:metadata:)`` or by PyTorch
    /// (`safetensors.torch.save_file(model.state_dict(), path)`, `torch.save(model.state_dict(), path)`,
    /// or a checkpoint dict holding the state dict under `model`, `state_dict` or `model_state_dict`),
    /// converting the elements to this model's element type; see ``loadStateDict(_:strict:)`` for `strict`.
    ///
    /// The file is fully validated and checked against the model before any parameter changes.
    /// - Returns: the file's metadata and the keys a non-strict load skipped.
    /// - Throws: ``CheckpointError/file(_:)`` or ``CheckpointError/torch(_:)`` for an unreadable or
    ///   invalid file, ``CheckpointError/stateDict(_:)`` when its tensors do not fit the model.
    @discardableResult
    public func load(from url: URL, strict: Bool = true) throws(CheckpointError) -> LoadedCheckpoint {
        let stateDict: StateDict<Scalar>
        let metadata: [String: String]
        switch CheckpointFormat(forReading: url) {
        case .safetensors:
            let archive = try StateDict<Scalar>.readArchive(url)
            stateDict = StateDict(archive: archive)
            metadata = archive.metadata
        case .torch:
            do throws(TorchFileError) {
                let value = try TorchFile(contentsOf: url).value
                stateDict = try StateDict(torch: value)
                metadata = Self.stringMetadata(value["metadata"])
            } catch {
                throw .torch(error)
            }
        }
        do throws(StateDictError) {
            let skipped = try loadStateDict(stateDict, strict: strict)
            return LoadedCheckpoint(metadata: metadata, incompatibleKeys: skipped)
        } catch {
            throw .stateDict(error)
        }
    }

    /// The string entries of a `.pt` checkpoint's `metadata` dict (empty if there is none).
    private static func stringMetadata(_ value: TorchValue?) -> [String: String] {
        var metadata: [String: String] = [:]
        for case (.string(let key), .string(let text)) in value?.dictionary?.entries ?? [] { metadata[key] = text }
        return metadata
    }
}
