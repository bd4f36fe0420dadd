import Tensor

/// What ``RNN``, ``LSTM`` and ``GRU`` share (`torch.nn.RNNBase`): the configuration, the
/// parameters with PyTorch's names and initialisation, and the multi-layer, bidirectional
/// forward pass.
///
/// Parameters, for each layer k and direction (suffix `_reverse` for the backward direction),
/// in this order: `weight_ih_l{k}` `[G, inputSize]` (layer 0) or `[G, numDirections · P]`,
/// `weight_hh_l{k}` `[G, P]`, `bias_ih_l{k}` `[G]`, `bias_hh_l{k}` `[G]` (with bias), and for a
/// projected LSTM `weight_hr_l{k}` `[P, hiddenSize]`, where G = gates · hiddenSize and P is the
/// size of h (``hiddenSize``, or ``projectionSize`` when set). All are initialised from
/// U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)) in that order.
///
/// Between layers, the output of layer k is the input of layer k + 1 (both directions
/// concatenated), with dropout applied in training mode when ``dropout`` > 0.
public class RNNBase<Scalar: TensorFloatingPoint>: Module<Scalar> {
    /// The recurrence this network runs.
    let kind: RecurrentKind
    /// The number of features of each input element (`input_size`).
    public let inputSize: Int
    /// The number of features of the hidden state (`hidden_size`).
    public let hiddenSize: Int
    /// The number of stacked layers (`num_layers`).
    public let numLayers: Int
    /// Whether the layers have the biases b_ih and b_hh (`bias`).
    public let bias: Bool
    /// Whether input and output are `[batch, seq, feature]` rather than `[seq, batch, feature]`
    /// (`batch_first`); the hidden states are `[layers · directions, batch, hidden]` either way.
    public let batchFirst: Bool
    /// The dropout probability applied to the outputs of every layer but the last, in training
    /// mode (`dropout`).
    public let dropout: Double
    /// Whether each layer also runs from the end of the sequence to its start (`bidirectional`).
    public let bidirectional: Bool
    /// An LSTM's projection size (`proj_size`), 0 for none.
    public let projectionSize: Int
    /// The parameters of each layer and direction, at index `layer · numDirections + direction`.
    public let weights: [RecurrentWeights<Scalar>]
    /// The source of the dropout masks.
    let generator: Generator

    /// 2 when ``bidirectional``, else 1.
    public var numDirections: Int { bidirectional ? 2 : 1 }

    /// The size of the hidden state h: ``projectionSize`` when set, else ``hiddenSize``.
    public var outputHiddenSize: Int { projectionSize > 0 ? projectionSize : hiddenSize }

    /// Creates the parameters of a `kind` network and initialises them from `generator`.
    init(
        kind: RecurrentKind, inputSize: Int, hiddenSize: Int, numLayers: Int, bias: Bool, batchFirst: Bool,
        dropout: Double, bidirectional: Bool, projectionSize: Int, generator: Generator
    ) {
        let name = kind.name
        check(inputSize >= 0, "\(name): inputSize must be non-negative, got \(inputSize)")
        check(hiddenSize > 0, "\(name): hiddenSize must be greater than zero, got \(hiddenSize)")
        check(numLayers > 0, "\(name): numLayers must be greater than zero, got \(numLayers)")
        check(dropout >= 0 && dropout <= 1, "\(name): dropout should be a number in range [0, 1], got \(dropout)")
        check(
            projectionSize >= 0 && projectionSize < Swift.max(hiddenSize, 1),
            "\(name): projectionSize must be non-negative and smaller than hiddenSize, got \(projectionSize)")
        self.kind = kind
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.numLayers = numLayers
        self.bias = bias
        self.batchFirst = batchFirst
        self.dropout = dropout
        self.bidirectional = bidirectional
        self.projectionSize = projectionSize
        self.generator = generator
        let directions = bidirectional ? 2 : 1
        let gates = kind.gateCount * hiddenSize
        let hSize = projectionSize > 0 ? projectionSize : hiddenSize
        weights = (0..<numLayers).flatMap { layer in
            (0..<directions).map { _ in
                let layerInput = layer == 0 ? inputSize : hSize * directions
                return RecurrentWeights(
                    weightIH: Tensor.zeros([gates, layerInput], requiresGrad: true),
                    weightHH: Tensor.zeros([gates, hSize], requiresGrad: true),
                    biasIH: bias ? Tensor.zeros([gates], requiresGrad: true) : nil,
                    biasHH: bias ? Tensor.zeros([gates], requiresGrad: true) : nil,
                    weightHR: projectionSize > 0 ? Tensor.zeros([projectionSize, hiddenSize], requiresGrad: true) : nil)
            }
        }
        super.init()
        resetParameters(generator: generator)
    }

    /// The parameters with PyTorch's names: `weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`,
    /// `bias_hh_l0`, then the `_reverse` ones, then layer 1...
    public override func namedOwnParameters() -> [(name: String, parameter: Tensor<Scalar>)] {
        weights.enumerated().flatMap { index, layerWeights in
            layerWeights.named(suffix: "_l\(index / numDirections)" + (index % numDirections == 1 ? "_reverse" : ""))
        }
    }

    /// Re-initialises every parameter from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)) in
    /// registration order, drawing in `Float` (see ``Init``), as `RNNBase.reset_parameters()` does.
    public func resetParameters(generator: Generator = .default) {
        let bound = 1 / Double(hiddenSize).squareRoot()
        for (_, parameter) in namedOwnParameters() {
            Init.inFloat32(parameter) { Init.uniform($0, lower: -bound, upper: bound, generator: generator) }
        }
    }

    /// The sizes and every non-default option, as PyTorch prints them
    /// (`12, 15, num_layers=2, batch_first=True`).
    public override var extraDescription: String {
        var parts = ["\(inputSize)", "\(hiddenSize)"]
        if projectionSize != 0 { parts.append("proj_size=\(projectionSize)") }
        if numLayers != 1 { parts.append("num_layers=\(numLayers)") }
        if !bias { parts.append("bias=False") }
        if batchFirst { parts.append("batch_first=True") }
        if dropout != 0 { parts.append("dropout=\(dropout)") }
        if bidirectional { parts.append("bidirectional=True") }
        return parts.joined(separator: ", ")
    }

    // MARK: - Forward pass

    /// The input as `[batch, seq, inputSize]` and whether it had a batch dimension.
    ///
    /// Accepts `[batch, seq, inputSize]` (``batchFirst``), `[seq, batch, inputSize]`, or an
    /// unbatched `[seq, inputSize]`.
    func batchFirstSequence(_ input: Tensor<Scalar>) -> (sequence: Tensor<Scalar>, batched: Bool) {
        check(
            input.rank == 2 || input.rank == 3,
            "\(kind.name): expected input to be 2-D or 3-D, got \(input.rank)-D tensor of shape \(input.shape)")
        check(
            input.shape[input.rank - 1] == inputSize,
            "\(kind.name): input.size(-1) must be equal to inputSize. Expected \(inputSize), got \(input.shape[input.rank - 1])")
        if input.rank == 2 { return (input.unsqueeze(0), false) }
        return (batchFirst ? input : input.transposed(0, 1), true)
    }

    /// `[batch, seq, features]` back in the caller's layout.
    func callerLayout(_ output: Tensor<Scalar>, batched: Bool) -> Tensor<Scalar> {
        if !batched { return output.squeeze(0) }
        return batchFirst ? output : output.transposed(0, 1)
    }

    /// The initial state of each layer and direction, `[batch, size]`, from `state`
    /// (`[layers · directions, batch, size]`, or `[layers · directions, size]` unbatched), zeros
    /// when `nil`.
    func initialStates(_ state: Tensor<Scalar>?, size: Int, batch: Int, batched: Bool, name: String) -> [Tensor<Scalar>] {
        let count = numLayers * numDirections
        guard let state else { return Array(repeating: Tensor.zeros([batch, size]), count: count) }
        let expected = batched ? [count, batch, size] : [count, size]
        check(
            state.rank == expected.count,
            batched
                ? "\(kind.name): for batched 3-D input, \(name) should also be 3-D but got \(state.rank)-D tensor"
                : "\(kind.name): for unbatched 2-D input, \(name) should also be 2-D but got \(state.rank)-D tensor")
        check(state.shape == expected, "\(kind.name): expected \(name) size \(expected), got \(state.shape)")
        let states = batched ? state : state.unsqueeze(1)
        return (0..<count).map { states.select(axis: 0, index: $0) }
    }

    /// The final states `[batch, size]` stacked as `[layers · directions, batch, size]`
    /// (`[layers · directions, size]` unbatched).
    func stackedStates(_ states: [Tensor<Scalar>], batched: Bool) -> Tensor<Scalar> {
        let stacked = Tensor.stack(states, axis: 0)
        return batched ? stacked : stacked.squeeze(1)
    }

    /// Runs every layer and direction over `sequence` (`[batch, seq, inputSize]`) from
    /// `initialStates` (one `[batch, S]` per layer and direction).
    ///
    /// - Returns: the last layer's output `[batch, seq, numDirections · P]` and the final state
    ///   `[batch, S]` of each layer and direction, where the state is h (S = P) or, for an LSTM,
    ///   h and c concatenated (S = P + hiddenSize).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    func run(_ sequence: Tensor<Scalar>, initialStates: [Tensor<Scalar>]) -> (output: Tensor<Scalar>, finalStates: [Tensor<Scalar>]) {
        let length = sequence.shape[1]
        check(length > 0, "\(kind.name): expected a sequence of at least one step, got shape \(sequence.shape)")
        let hSize = outputHiddenSize
        var layerInput = sequence
        var finalStates: [Tensor<Scalar>] = []
        for layer in 0..<numLayers {
            var outputs: [Tensor<Scalar>] = []
            for direction in 0..<numDirections {
                let index = layer * numDirections + direction
                let states = layerStates(
                    layerInput, from: initialStates[index], weights: weights[index], reversed: direction == 1)
                let stateSize = states.shape[2]
                outputs.append(stateSize == hSize ? states : states.narrow(axis: 2, start: 0, length: hSize))
                finalStates.append(states.select(axis: 1, index: direction == 1 ? 0 : length - 1))
            }
            layerInput = outputs.count == 1 ? outputs[0] : Tensor.cat(outputs, axis: 2)
            if layer < numLayers - 1 {
                layerInput = layerInput.droppingOut(p: dropout, training: isTraining, generator: generator)
            }
        }
        return (layerInput, finalStates)
    }

    /// The states `[batch, seq, S]` of one layer and direction over `input` `[batch, seq, features]`,
    /// each at its time position.
    ///
    /// Elman layers run the fused ``Tensor/rnnSequence(input:initialHidden:weightIH:weightHH:biasIH:biasHH:activation:)``
    /// (the reverse direction on the time-reversed sequence); LSTM and GRU layers project the
    /// whole input with one matrix product and run the fused
    /// ``Tensor/lstmSequence(projections:initialState:weightHH:biasIH:biasHH:reversed:)`` or
    /// ``Tensor/gruSequence(projections:initialHidden:weightHH:biasHH:reversed:)``, except a projected
    /// LSTM (``projectionSize`` > 0), which runs ``Recurrence`` step by step.
    private func layerStates(
        _ input: Tensor<Scalar>, from initialState: Tensor<Scalar>, weights layerWeights: RecurrentWeights<Scalar>,
        reversed: Bool
    ) -> Tensor<Scalar> {
        switch kind {
        case .rnn(let activation):
            let states = Tensor.rnnSequence(
                input: reversed ? input.timeReversed() : input, initialHidden: initialState,
                weightIH: layerWeights.weightIH, weightHH: layerWeights.weightHH, biasIH: layerWeights.biasIH,
                biasHH: layerWeights.biasHH, activation: activation)
            return reversed ? states.timeReversed() : states
        case .lstm where projectionSize == 0:
            return Tensor.lstmSequence(
                projections: linear(input, weight: layerWeights.weightIH), initialState: initialState,
                weightHH: layerWeights.weightHH, biasIH: layerWeights.biasIH, biasHH: layerWeights.biasHH,
                reversed: reversed)
        case .gru:
            return Tensor.gruSequence(
                projections: linear(input, weight: layerWeights.weightIH, bias: layerWeights.biasIH),
                initialHidden: initialState, weightHH: layerWeights.weightHH, biasHH: layerWeights.biasHH,
                reversed: reversed)
        case .lstm:
            let stepWeights = layerWeights.stepWeights
            let hSize = outputHiddenSize
            return Recurrence.run(
                projections: linear(input, weight: layerWeights.weightIH, bias: layerWeights.biasIH),
                initialState: initialState, weights: stepWeights.tensors, reversed: reversed, name: kind.name
            ) { tensors in
                CellMath.gatedStep(lstm: true, hSize: hSize, stepWeights.replacing(with: tensors))
            }
        }
    }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// This `[batch, seq, features]` tensor with its time steps in reverse order (`x.flip(1)`).
    fileprivate func timeReversed() -> Tensor {
        indexSelect(axis: 1, index: Tensor<Int>(Array((0..<shape[1]).reversed())))
    }
}
