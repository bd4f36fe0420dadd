import Tensor

/// Samples that are rows of two tensors (`torch.utils.data.TensorDataset(inputs, targets)`):
/// sample i is `Example(input: inputs[i], target: targets[i])`.
public struct TensorDataset<Input: TensorElement, Target: TensorElement>: Dataset {
    /// The inputs, one sample per index of the first dimension.
    public let inputs: Tensor<Input>
    /// The targets, one per sample.
    public let targets: Tensor<Target>

    /// A dataset of the rows of `inputs` and `targets`.
    /// - Precondition: both have rank >= 1 and the same size of the first dimension.
    public init(_ inputs: Tensor<Input>, _ targets: Tensor<Target>) {
        check(
            inputs.rank >= 1 && targets.rank >= 1 && inputs.shape[0] == targets.shape[0],
            "TensorDataset: size mismatch between tensors of shapes \(inputs.shape) and \(targets.shape)")
        self.inputs = inputs
        self.targets = targets
    }

    /// The number of samples: the first dimension's size.
    public var count: Int { inputs.shape[0] }

    /// Row `index` of the inputs and of the targets.
    public subscript(index: Int) -> Example<Input, Target> {
        Example(input: inputs[index], target: targets[index])
    }
}
