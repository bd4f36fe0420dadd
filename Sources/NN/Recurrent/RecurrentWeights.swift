import Tensor

/// The parameters of one layer and direction of a recurrent network, with PyTorch's names.
///
/// `G` is the number of gates times the hidden size (1×, 4× and 3× for ``RNN``, ``LSTM`` and
/// ``GRU``, gates stacked in PyTorch's order), `P` the size of the hidden state h (the hidden
/// size, or an LSTM's projection size).
public struct RecurrentWeights<Scalar: TensorFloatingPoint> {
    /// W_ih, shape `[G, inputSize]` for layer 0, `[G, numDirections · P]` above (`weight_ih_l{k}`).
    public let weightIH: Tensor<Scalar>
    /// W_hh, shape `[G, P]` (`weight_hh_l{k}`).
    public let weightHH: Tensor<Scalar>
    /// b_ih, shape `[G]` (`bias_ih_l{k}`), `nil` without bias.
    public let biasIH: Tensor<Scalar>?
    /// b_hh, shape `[G]` (`bias_hh_l{k}`), `nil` without bias.
    public let biasHH: Tensor<Scalar>?
    /// An LSTM's projection W_hr, shape `[P, hiddenSize]` (`weight_hr_l{k}`), `nil` without projection.
    public let weightHR: Tensor<Scalar>?

    /// The tensors with their PyTorch names in registration order (`weight_ih`, `weight_hh`,
    /// `bias_ih`, `bias_hh`, `weight_hr`), each name followed by `suffix` (`"_l0"`, `"_l1_reverse"`, ...).
    func named(suffix: String) -> [(name: String, parameter: Tensor<Scalar>)] {
        let candidates: [(String, Tensor<Scalar>?)] = [
            ("weight_ih", weightIH), ("weight_hh", weightHH), ("bias_ih", biasIH), ("bias_hh", biasHH),
            ("weight_hr", weightHR),
        ]
        return candidates.compactMap { name, tensor in tensor.map { (name + suffix, $0) } }
    }

    /// The weights a time step uses after the input projection, transposed once for all steps.
    var stepWeights: StepWeights<Scalar> {
        StepWeights(hiddenWeightT: weightHH.T, biasHH: biasHH, projectionT: weightHR?.T)
    }
}

/// The weights of one time step of a recurrence, once the input projection x W_ihᵀ + b_ih is
/// done; matrices are stored transposed, ready to multiply `[batch, features]` rows.
struct StepWeights<Scalar: TensorFloatingPoint> {
    /// W_hhᵀ, `[P, G]`.
    var hiddenWeightT: Tensor<Scalar>
    /// b_hh, `[G]`.
    var biasHH: Tensor<Scalar>?
    /// An LSTM's W_hrᵀ, `[hiddenSize, P]`.
    var projectionT: Tensor<Scalar>?

    /// The weights as a flat list, for the autograd boundary of ``Recurrence``.
    var tensors: [Tensor<Scalar>] { [hiddenWeightT] + [biasHH, projectionT].compactMap { $0 } }

    /// The same structure over `tensors` (one per element of `self.tensors`, in its order).
    func replacing(with tensors: [Tensor<Scalar>]) -> StepWeights {
        var rest = tensors.dropFirst()
        return StepWeights(
            hiddenWeightT: tensors[0],
            biasHH: biasHH == nil ? nil : rest.popFirst(),
            projectionT: projectionT == nil ? nil : rest.popFirst())
    }
}
