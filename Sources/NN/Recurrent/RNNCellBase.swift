import Tensor

/// What ``RNNCell``, ``LSTMCell`` and ``GRUCell`` share (`torch.nn.RNNCellBase`): one time step's
/// parameters with PyTorch's names and initialisation.
///
/// Parameters, in this order: `weight_ih` `[G, inputSize]`, `weight_hh` `[G, hiddenSize]`,
/// `bias_ih` `[G]`, `bias_hh` `[G]` (with bias), G = gates · hiddenSize, all initialised from
/// U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)) in that order.
public class RNNCellBase<Scalar: TensorFloatingPoint>: Module<Scalar> {
    /// The recurrence this cell computes.
    let kind: RecurrentKind
    /// The number of input features (`input_size`).
    public let inputSize: Int
    /// The number of hidden features (`hidden_size`).
    public let hiddenSize: Int
    /// Whether the cell has the biases b_ih and b_hh (`bias`).
    public let bias: Bool
    /// The parameters (keys `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`).
    public let weights: RecurrentWeights<Scalar>

    /// Creates the parameters of a `kind` cell and initialises them from `generator`.
    init(kind: RecurrentKind, inputSize: Int, hiddenSize: Int, bias: Bool, generator: Generator) {
        check(
            inputSize >= 0 && hiddenSize > 0,
            "\(kind.name)Cell: expected inputSize >= 0 and hiddenSize > 0, got (\(inputSize), \(hiddenSize))")
        self.kind = kind
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.bias = bias
        let gates = kind.gateCount * hiddenSize
        weights = RecurrentWeights(
            weightIH: Tensor.zeros([gates, inputSize], requiresGrad: true),
            weightHH: Tensor.zeros([gates, hiddenSize], requiresGrad: true),
            biasIH: bias ? Tensor.zeros([gates], requiresGrad: true) : nil,
            biasHH: bias ? Tensor.zeros([gates], requiresGrad: true) : nil,
            weightHR: nil)
        super.init()
        resetParameters(generator: generator)
    }

    /// The parameters with PyTorch's names: `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`.
    public override func namedOwnParameters() -> [(name: String, parameter: Tensor<Scalar>)] {
        weights.named(suffix: "")
    }

    /// Re-initialises every parameter from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)) in
    /// registration order, drawing in `Float` (see ``Init``), as `RNNCellBase.reset_parameters()` does.
    public func resetParameters(generator: Generator = .default) {
        let bound = 1 / Double(hiddenSize).squareRoot()
        for (_, parameter) in namedOwnParameters() {
            Init.inFloat32(parameter) { Init.uniform($0, lower: -bound, upper: bound, generator: generator) }
        }
    }

    /// The sizes and every non-default option, as PyTorch prints them (`3, 4, bias=False`).
    public override var extraDescription: String {
        var parts = ["\(inputSize)", "\(hiddenSize)"]
        if !bias { parts.append("bias=False") }
        if case .rnn(.relu) = kind { parts.append("nonlinearity=relu") }
        return parts.joined(separator: ", ")
    }

    /// The input as `[batch, inputSize]` with its projection x W_ihᵀ + b_ih, and whether it was batched.
    func projectedInput(_ input: Tensor<Scalar>) -> (projection: Tensor<Scalar>, batched: Bool) {
        check(
            (input.rank == 1 || input.rank == 2) && input.shape[input.rank - 1] == inputSize,
            "\(kind.name)Cell: expected input of shape [batch, \(inputSize)] or [\(inputSize)], got \(input.shape)")
        let batched = input.rank == 2
        let rows = batched ? input : input.unsqueeze(0)
        return (linear(rows, weight: weights.weightIH, bias: weights.biasIH), batched)
    }

    /// A state `[batch, hiddenSize]` from `state` (`[batch, hiddenSize]`, or `[hiddenSize]`
    /// unbatched), zeros when `nil`.
    func batchedState(_ state: Tensor<Scalar>?, batch: Int, batched: Bool, name: String) -> Tensor<Scalar> {
        guard let state else { return Tensor.zeros([batch, hiddenSize]) }
        let expected = batched ? [batch, hiddenSize] : [hiddenSize]
        check(state.shape == expected, "\(kind.name)Cell: expected \(name) of shape \(expected), got \(state.shape)")
        return batched ? state : state.unsqueeze(0)
    }

    /// `[batch, hiddenSize]` back to `[hiddenSize]` for unbatched input.
    func callerLayout(_ state: Tensor<Scalar>, batched: Bool) -> Tensor<Scalar> {
        batched ? state : state.squeeze(0)
    }
}
