import Tensor

/// A sample type whose samples a ``DataLoader`` stacks into one batch of the same type
/// (PyTorch's `default_collate`): tensors stack along a new first dimension.
public protocol Batchable {
    /// The samples joined into one batch: tensors of shape `s` give one of shape `[n] + s`.
    static func collate(_ samples: [Self]) -> Self
}

extension Tensor: Batchable {
    /// The samples stacked along a new first dimension (`torch.stack(samples)`).
    /// - Precondition: `samples` is non-empty and all shapes are equal.
    public static func collate(_ samples: [Tensor]) -> Tensor { stack(samples, axis: 0) }
}

/// One supervised sample or batch: an input and its target (`(x, y)` in PyTorch).
public struct Example<Input: TensorElement, Target: TensorElement>: Batchable {
    /// The input, e.g. features of shape `[features]` (a batch: `[batch, features]`).
    public var input: Tensor<Input>
    /// The target, e.g. a 0-d class index (a batch: `[batch]`).
    public var target: Tensor<Target>

    /// An example of `input` and `target`.
    public init(input: Tensor<Input>, target: Tensor<Target>) {
        self.input = input
        self.target = target
    }

    /// The inputs stacked and the targets stacked (`default_collate` of `(x, y)` pairs).
    public static func collate(_ samples: [Example]) -> Example {
        Example(input: .stack(samples.map(\.input)), target: .stack(samples.map(\.target)))
    }
}
