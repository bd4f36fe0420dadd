import Tensor

extension TorchTensor {
    /// The elements as a contiguous `Tensor` of this shape, converted to `Scalar` (see
    /// ``values(as:)``): exact from float32 into `Float` or `Double` and from float64 into `Double`.
    public func tensor<Scalar: TensorFloatingPoint>(as type: Scalar.Type = Scalar.self) -> Tensor<Scalar> {
        Tensor(shape: shape, scalars: values(as: Scalar.self))
    }

    /// A contiguous copy of `tensor`, stored as float32 for `Float` and float64 for `Double`, or as
    /// `dtype` (``TorchDType/float32`` or ``TorchDType/float64``) when given.
    public init<Scalar: TensorFloatingPoint>(_ tensor: Tensor<Scalar>, dtype: TorchDType? = nil) {
        let storage: TorchStorage
        switch (tensor.scalars, dtype) {
        case (let values as [Float], nil), (let values as [Float], .float32?): storage = TorchStorage(values)
        case (let values as [Double], nil): storage = TorchStorage(values, dtype: .float64)
        default: storage = TorchStorage(tensor.scalars.map(\.doubleValue), dtype: dtype ?? .float64)
        }
        self.init(storage: storage, shape: tensor.shape)
    }
}

extension StateDict {
    /// The state dict held in a `.pt` file's value: the dict under `model`, `state_dict` or
    /// `model_state_dict` of a checkpoint dict (nanoGPT's `ckpt.pt` keeps it under `model`), or else
    /// the value itself, a dict of string keys to tensors (what `torch.save(model.state_dict(), path)` writes).
    /// Tensors are converted to `Scalar` (views and every dtype included), in the file's order.
    ///
    /// - Throws: ``TorchFileError/notAStateDict(found:)`` or ``TorchFileError/notATensor(key:found:)``.
    public init(torch value: TorchValue) throws(TorchFileError) {
        guard let dictionary = Self.stateDictionary(in: value) else { throw .notAStateDict(found: value.kindDescription) }
        var entries: [(key: String, value: Tensor<Scalar>)] = []
        for (key, entry) in dictionary.entries {
            guard case .string(let name) = key else { throw .notATensor(key: "\(key.kindDescription) key", found: entry.kindDescription) }
            guard case .tensor(let tensor) = entry else { throw .notATensor(key: name, found: entry.kindDescription) }
            entries.append((name, tensor.tensor(as: Scalar.self)))
        }
        self.init(entries)
    }

    /// The entries as a `.pt` value: a dict of keys to float32 (`Float`) or float64 (`Double`)
    /// tensors, which PyTorch's `model.load_state_dict(torch.load(path, weights_only=True))` reads.
    public var torchValue: TorchValue {
        .dict(TorchDictionary(map { ($0.key, TorchValue.tensor(TorchTensor($0.value))) }))
    }

    /// The state dict under one of the usual checkpoint keys of `value`, or else `value` itself.
    private static func stateDictionary(in value: TorchValue) -> TorchDictionary? {
        guard case .dict(let dictionary) = value else { return nil }
        for key in ["model", "state_dict", "model_state_dict"] {
            if case .dict(let inner)? = dictionary[key] { return inner }
        }
        return dictionary
    }
}
