import Tensor

/// The forward pass of ``RNN``, ``LSTM`` and ``GRU`` over a ``PackedSequence``: every layer and
/// direction runs its cell step by step over the packed time steps, on the `batchSizes[t]`
/// sequences still running at step t, so each sequence stops at its own length.
///
/// Forward direction: the rows of the state that finish at step t (sequences `batchSizes[t+1] ..<
/// batchSizes[t]`) are set aside as those sequences' final states. Reverse direction: time runs
/// from the longest length down to 0 and a sequence joins, from its initial state, at its own last
/// step, so its final state is the state after its step 0.
extension RNNBase {
    /// Runs every layer and direction over `input` (data `[N, inputSize]`, N = Σ lengths) from
    /// `initialStates` (one `[B, S]` per layer and direction, in the caller's batch order).
    ///
    /// - Returns: the last layer's packed output `[N, numDirections · P]` and the final state `[B, S]`
    ///   of each layer and direction in the caller's batch order, where the state is h (S = P)
    ///   or, for an LSTM, h and c concatenated (S = P + hiddenSize).
    func runPacked(
        _ input: PackedSequence<Scalar>, initialStates: [Tensor<Scalar>]
    ) -> (output: Tensor<Scalar>, finalStates: [Tensor<Scalar>]) {
        check(
            input.data.rank == 2 && input.data.shape[1] == inputSize,
            "\(kind.name): expected packed data of shape [N, \(inputSize)], got \(input.data.shape)")
        let sizes = input.batchSizes.scalars
        let sorted = input.sortedIndices
        let hSize = outputHiddenSize
        var layerInput = input.data
        var finalStates: [Tensor<Scalar>] = []
        for layer in 0..<numLayers {
            var outputs: [Tensor<Scalar>] = []
            for direction in 0..<numDirections {
                let index = layer * numDirections + direction
                let initial = sorted.map { initialStates[index].indexSelect(axis: 0, index: $0) } ?? initialStates[index]
                let layerWeights = weights[index]
                let projections = linear(layerInput, weight: layerWeights.weightIH, bias: layerWeights.biasIH)
                let (states, final) = packedStates(
                    projections.split(sizes: sizes, axis: 0), from: initial, step: cellStep(layerWeights),
                    reversed: direction == 1)
                outputs.append(states.shape[1] == hSize ? states : states.narrow(axis: 1, start: 0, length: hSize))
                finalStates.append(input.unsortedIndices.map { final.indexSelect(axis: 0, index: $0) } ?? final)
            }
            layerInput = outputs.count == 1 ? outputs[0] : Tensor.cat(outputs, axis: 1)
            if layer < numLayers - 1 {
                layerInput = layerInput.droppingOut(p: dropout, training: isTraining, generator: generator)
            }
        }
        return (layerInput, finalStates)
    }

    /// One time step of this network's cell with `layerWeights`: the projection p_t `[b, G]` and
    /// the state `[b, S]` to the next state `[b, S]`.
    private func cellStep(_ layerWeights: RecurrentWeights<Scalar>) -> Recurrence.Step<Scalar> {
        let stepWeights = layerWeights.stepWeights
        switch kind {
        case .rnn(let activation): return { p, h in CellMath.rnn(p, h, stepWeights, activation) }
        case .lstm: return CellMath.gatedStep(lstm: true, hSize: outputHiddenSize, stepWeights)
        case .gru: return CellMath.gatedStep(lstm: false, hSize: outputHiddenSize, stepWeights)
        }
    }

    /// The states of one layer and direction over the packed projections `steps` (step t is
    /// `[batchSizes[t], G]`), from `initial` `[B, S]` (packed order).
    ///
    /// - Returns: the state of every packed element `[N, S]` (in the packed order) and each
    ///   sequence's final state `[B, S]`.
    private func packedStates(
        _ steps: [Tensor<Scalar>], from initial: Tensor<Scalar>, step: Recurrence.Step<Scalar>, reversed: Bool
    ) -> (states: Tensor<Scalar>, final: Tensor<Scalar>) {
        var states = [Tensor<Scalar>]()
        states.reserveCapacity(steps.count)
        if reversed {
            var state = initial.narrow(axis: 0, start: 0, length: steps.last!.shape[0])
            for p in steps.reversed() {
                let (running, active) = (state.shape[0], p.shape[0])
                if active > running {
                    state = Tensor.cat([state, initial.narrow(axis: 0, start: running, length: active - running)], axis: 0)
                }
                state = step(p, state)
                states.append(state)
            }
            return (Tensor.cat(states.reversed(), axis: 0), state)
        }
        var finished = [Tensor<Scalar>]()
        var state = initial
        for p in steps {
            let (running, active) = (state.shape[0], p.shape[0])
            if active < running {
                finished.append(state.narrow(axis: 0, start: active, length: running - active))
                state = state.narrow(axis: 0, start: 0, length: active)
            }
            state = step(p, state)
            states.append(state)
        }
        finished.append(state)
        return (Tensor.cat(states, axis: 0), Tensor.cat(finished.reversed(), axis: 0))
    }
}
