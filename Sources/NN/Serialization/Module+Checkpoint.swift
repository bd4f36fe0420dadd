import Foundation
import Tensor

/// Why saving or loading a checkpoint failed.
public enum CheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read or written, or is not a valid safetensors file of `F32`/`F64`
    /// tensors; the attached error names the problem.
    case file(SafetensorsError)
    /// The file is valid but its tensors do not fit the model (missing or unexpected keys, shapes).
    case stateDict(StateDictError)

    /// The underlying error's message.
    public var description: String {
        switch self {
        case .file(let error): error.description
        case .stateDict(let error): error.description
        }
    }
}

/// What ``Module/load(from:strict:)`` found besides the parameters.
public struct LoadedCheckpoint: Equatable, Sendable {
    /// The file's string metadata (`__metadata__`), e.g. a vocabulary saved with the model.
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
    /// Saves the parameters to a safetensors file under their PyTorch keys (``stateDict()``),
    /// in this model's element type (`F32` or `F64`), with string `metadata`; atomically.
    ///
    /// PyTorch loads the file with `model.load_state_dict(safetensors.torch.load_file(path))`.
    /// - Throws: ``CheckpointError/file(_:)`` if the file cannot be written.
    public func save(to url: URL, metadata: [String: String] = [:]) throws(CheckpointError) {
        try stateDict().write(to: url, metadata: metadata)
    }

    /// Loads parameters from a safetensors file, such as one saved by ``save(to:metadata:)`` or by
    /// PyTorch (`safetensors.torch.save_file(model.state_dict(), path)`), converting `F32`/`F64`
    /// to this model's element type; see ``loadStateDict(_:strict:)`` for `strict`.
    ///
    /// The file is fully validated and checked against the model before any parameter changes.
    /// - Returns: the file's metadata and the keys a non-strict load skipped.
    /// - Throws: ``CheckpointError/file(_:)`` for an unreadable or invalid file,
    ///   ``CheckpointError/stateDict(_:)`` when its tensors do not fit the model.
    @discardableResult
    public func load(from url: URL, strict: Bool = true) throws(CheckpointError) -> LoadedCheckpoint {
        let archive = try StateDict<Scalar>.readArchive(url)
        do throws(StateDictError) {
            let skipped = try loadStateDict(StateDict(archive: archive), strict: strict)
            return LoadedCheckpoint(metadata: archive.metadata, incompatibleKeys: skipped)
        } catch {
            throw .stateDict(error)
        }
    }
}
