import NN
import Optim
import Tensor

extension TrainingCheckpoint {
    /// The checkpoint as PyTorch's usual checkpoint dict (see ``TrainingCheckpoint``); entries
    /// without content (no optimizer, no extra tensors, no metadata) are left out.
    ///
    /// - Throws: ``TorchFileError/invalidCheckpoint(reason:)`` if the optimizer state is not one
    ///   an optimizer produced.
    public func torchValue() throws(TorchFileError) -> TorchValue {
        var entries: [(String, TorchValue)] = [("model", model.torchValue)]
        if let optimizer {
            do throws(OptimizerError) {
                entries.append(("optimizer", try optimizer.torchValue()))
            } catch {
                throw .invalidCheckpoint(reason: "the optimizer state: \(error)")
            }
            if let name = optimizer.metadata["optimizer"] { entries.append(("optimizer_name", .string(name))) }
        }
        if !extra.isEmpty {
            let tensors = extra.sorted { $0.key < $1.key }.map { ($0.key, TorchValue.tensor(TorchTensor($0.value))) }
            entries.append(("train", .dict(TorchDictionary(tensors))))
        }
        if !metadata.isEmpty {
            entries.append(("metadata", .dict(TorchDictionary(metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))))
        }
        return .dict(TorchDictionary(entries))
    }

    /// The checkpoint in a `.pt` file's value: a checkpoint dict as ``torchValue()`` writes it, a
    /// bare state dict, or another checkpoint dict with its state dict under `model` (nanoGPT's
    /// `ckpt.pt`: the ints, floats, strings and bools of its `model_args` become metadata strings,
    /// `n_head` among them, unless `metadata` has them).
    ///
    /// - Throws: ``TorchFileError`` if there is no state dict of tensors, or the optimizer, `train`
    ///   or `metadata` entry does not have the structure ``torchValue()`` gives it.
    public init(torch value: TorchValue) throws(TorchFileError) {
        let model = try StateDict<Scalar>(torch: value)
        var optimizer: OptimizerStateDict<Scalar>?
        if let state = value["optimizer"] {
            do throws(OptimizerError) {
                optimizer = try OptimizerStateDict(torch: state, optimizer: value["optimizer_name"]?.string)
            } catch {
                throw .invalidCheckpoint(reason: "the optimizer state: \(error)")
            }
        }
        var extra: [String: Tensor<Scalar>] = [:]
        if let train = value["train"] {
            guard let entries = train.dictionary?.entries else { throw .invalidCheckpoint(reason: "'train' is \(train.kindDescription), not a dict") }
            for (key, entry) in entries {
                guard let name = key.string, let tensor = entry.tensor else {
                    throw .invalidCheckpoint(reason: "'train' must map names to tensors")
                }
                extra[name] = tensor.tensor(as: Scalar.self)
            }
        }
        var metadata: [String: String] = [:]
        if let stored = value["metadata"] {
            guard let entries = stored.dictionary?.entries else {
                throw .invalidCheckpoint(reason: "'metadata' is \(stored.kindDescription), not a dict")
            }
            for (key, entry) in entries {
                guard let name = key.string, let text = entry.string else {
                    throw .invalidCheckpoint(reason: "'metadata' must map names to strings")
                }
                metadata[name] = text
            }
        }
        for (key, entry) in value["model_args"]?.dictionary?.entries ?? [] {
            guard let name = key.string, metadata[name] == nil else { continue }
            switch entry {
            case .int(let number): metadata[name] = String(number)
            case .float(let number): metadata[name] = String(number)
            case .bool(let flag): metadata[name] = String(flag)
            case .string(let text): metadata[name] = text
            default: continue
            }
        }
        self.init(model: model, optimizer: optimizer, extra: extra, metadata: metadata)
    }
}
