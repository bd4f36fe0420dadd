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
    /// The packed forward of a layer whose state is h alone (``RNN``, ``GRU``): runs `input` from
    /// `h0` (`[L, B, H]` in the caller's batch order, zeros when `nil`) and returns the packed
    /// output and the final h of every layer and direction, `[L, B, H]` in the caller's order.
    func runPackedHiddenOnly(
        _ input: PackedSequence<Scalar>, _ h0: Tensor<Scalar>?
    ) -> (output: PackedSequence<Scalar>, hidden: Tensor<Scalar>) {
        let batch = input.batchSizes.scalars[0]
        let initial = initialStates(h0, size: hiddenSize, batch: batch, batched: true, name: "h0")
        let (output, finalStates) = runPacked(input, initialStates: initial)
        return (input.replacing(data: output), stackedStates(finalStates, batched: true))
    }

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
                let stepWeights = layerWeights.stepWeights
                let projections = linear(layerInput, weight: layerWeights.weightIH, bias: layerWeights.biasIH)
                let combined = packedRecurrence(
                    projections: projections, sizes: sizes, initialState: initial, weights: stepWeights.tensors,
                    reversed: direction == 1
                ) { tensors in self.cellStep(stepWeights.replacing(with: tensors)) }
                let count = projections.shape[0]
                let states = combined.narrow(axis: 0, start: 0, length: count)
                let final = combined.narrow(axis: 0, start: count, length: sizes[0])
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

    /// One time step of this network's cell with `stepWeights`: the projection p_t `[b, G]` and
    /// the state `[b, S]` to the next state `[b, S]`.
    private func cellStep(_ stepWeights: StepWeights<Scalar>) -> Recurrence.Step<Scalar> {
        switch kind {
        case .rnn(let activation): return { p, h in CellMath.rnn(p, h, stepWeights, activation) }
        case .lstm: return CellMath.gatedStep(lstm: true, hSize: outputHiddenSize, stepWeights)
        case .gru: return CellMath.gatedStep(lstm: false, hSize: outputHiddenSize, stepWeights)
        }
    }

    /// The recurrence of one layer and direction over packed projections, as one autograd
    /// operation (as ``Recurrence`` does for dense sequences): the loop runs on private leaves (one
    /// per time step, the initial state and the weights), and the operation's pullback
    /// back-propagates through that private graph, so the backward pass stays linear in the
    /// number of time steps instead of producing a full-size gradient of `projections` per step.
    ///
    /// - Parameters:
    ///   - projections: p = x W_ihᵀ + b_ih of every packed element, `[N, G]`.
    ///   - sizes: the batch sizes; step t is the next `sizes[t]` rows of `projections`.
    ///   - initialState: `[B, S]`, in packed order.
    ///   - weights: the tensors the step reads besides p and the state; gradients flow to them.
    ///   - reversed: whether time runs from the last step down to 0.
    ///   - makeStep: builds the step from `weights` (or from stand-ins with the same shapes).
    /// - Returns: the state of every packed element (packed order) followed by each sequence's
    ///   final state, `[N + B, S]`.
    private func packedRecurrence(
        projections: Tensor<Scalar>, sizes: [Int], initialState: Tensor<Scalar>, weights: [Tensor<Scalar>],
        reversed: Bool, makeStep: ([Tensor<Scalar>]) -> Recurrence.Step<Scalar>
    ) -> Tensor<Scalar> {
        let steps = withNoGrad { projections.split(sizes: sizes, axis: 0) }
        let inputs = [projections, initialState] + weights
        guard GradMode.isEnabled, inputs.contains(where: { $0.requiresGrad }) else {
            return withNoGrad { packedStates(steps, from: initialState, step: makeStep(weights), reversed: reversed) }
        }
        let stepLeaves = steps.map { $0.requiringGrad(projections.requiresGrad) }
        let stateLeaf = initialState.detach().requiringGrad(initialState.requiresGrad)
        let weightLeaves = weights.map { $0.detach().requiringGrad($0.requiresGrad) }
        let result = packedStates(stepLeaves, from: stateLeaf, step: makeStep(weightLeaves), reversed: reversed)
        return result.detach().recording(kind.name + "PackedBackward", inputs) { g in
            let leaves = stepLeaves + [stateLeaf] + weightLeaves
            for leaf in leaves { leaf.grad = nil }
            result.backward(gradient: g, retainGraph: true)
            func gradient(of leaf: Tensor<Scalar>) -> Tensor<Scalar>? {
                leaf.requiresGrad ? leaf.grad ?? Tensor.zeros(like: leaf) : nil
            }
            let projectionGradient = projections.requiresGrad
                ? Tensor.cat(stepLeaves.map { gradient(of: $0)! }, axis: 0) : nil
            return [projectionGradient, gradient(of: stateLeaf)] + weightLeaves.map(gradient(of:))
        }
    }

    /// The states of one layer and direction over the packed projections `steps` (step t is
    /// `[batchSizes[t], G]`), from `initial` `[B, S]` (packed order).
    ///
    /// - Returns: the state of every packed element (in the packed order) followed by each
    ///   sequence's final state, `[N + B, S]`.
    private func packedStates(
        _ steps: [Tensor<Scalar>], from initial: Tensor<Scalar>, step: Recurrence.Step<Scalar>, reversed: Bool
    ) -> Tensor<Scalar> {
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
            return Tensor.cat(states.reversed() + [state], axis: 0)
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
        return Tensor.cat(states + finished.reversed(), axis: 0)
    }
}
