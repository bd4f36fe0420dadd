import Tensor

/// The recurrence of one layer and direction over a whole sequence, as one autograd operation:
///
///     s_t = step(p_t, s_{t-1}),  s_{-1} = initialState,  t = 0 ..< T (T-1 down to 0 when reversed)
///
/// where p = x W_ihᵀ + b_ih `[batch, T, G]` are the input projections of every time step, computed
/// beforehand by one matrix product. The result is the sequence of states `[batch, T, S]`, each at
/// its time position (for a reversed recurrence too).
///
/// The time loop is written with differentiable tensor operations and autograd derives its
/// backward pass. To keep that backward linear in T, the loop runs on private leaves (one per
/// time step, plus the initial state and the weights) and the operation's pullback back-propagates
/// through that private graph and gathers the leaves' gradients, rather than slicing one time step
/// out of `[batch, T, G]` (whose gradient would be a full-size tensor per step). This function is
/// the single place a fused kernel with its own backward can replace.
enum Recurrence {
    /// One time step: the projection p_t `[batch, G]` and the previous state `[batch, S]` to the
    /// next state `[batch, S]`.
    typealias Step<Scalar: TensorFloatingPoint> = (_ projection: Tensor<Scalar>, _ state: Tensor<Scalar>) -> Tensor<Scalar>

    /// The states `[batch, T, S]` of the recurrence (see the type's overview).
    ///
    /// - Parameters:
    ///   - projections: p, `[batch, T, G]`.
    ///   - initialState: `[batch, S]`.
    ///   - weights: the tensors the step reads besides p and the state; gradients flow to them.
    ///   - reversed: whether time runs from T-1 down to 0 (the reverse direction).
    ///   - name: the autograd node's name.
    ///   - makeStep: builds the step from `weights` (or from stand-ins for them with the same shapes).
    static func run<Scalar: TensorFloatingPoint>(
        projections: Tensor<Scalar>, initialState: Tensor<Scalar>, weights: [Tensor<Scalar>], reversed: Bool,
        name: String, makeStep: ([Tensor<Scalar>]) -> Step<Scalar>
    ) -> Tensor<Scalar> {
        check(
            projections.rank == 3 && projections.shape[1] > 0,
            "\(name): expected projections [batch, time > 0, gates], got shape \(projections.shape)")
        let steps = timeSteps(of: projections)
        let inputs = [projections, initialState] + weights
        guard GradMode.isEnabled, inputs.contains(where: { $0.requiresGrad }) else {
            return withNoGrad { unroll(steps, from: initialState, reversed: reversed, step: makeStep(weights)) }
        }
        let stepLeaves = steps.map { $0.requiringGrad(projections.requiresGrad) }
        let stateLeaf = initialState.detach().requiringGrad(initialState.requiresGrad)
        let weightLeaves = weights.map { $0.detach().requiringGrad($0.requiresGrad) }
        let states = unroll(stepLeaves, from: stateLeaf, reversed: reversed, step: makeStep(weightLeaves))
        return states.detach().recording(name + "Backward", inputs) { g in
            let leaves = stepLeaves + [stateLeaf] + weightLeaves
            for leaf in leaves { leaf.grad = nil }
            states.backward(gradient: g, retainGraph: true)
            func gradient(of leaf: Tensor<Scalar>) -> Tensor<Scalar>? {
                leaf.requiresGrad ? leaf.grad ?? Tensor.zeros(like: leaf) : nil
            }
            let projectionGradient = projections.requiresGrad
                ? Tensor.stack(stepLeaves.map { gradient(of: $0)! }, axis: 1) : nil
            return [projectionGradient, gradient(of: stateLeaf)] + weightLeaves.map(gradient(of:))
        }
    }

    /// Runs `step` over the time steps `steps` (each `[batch, G]`) and stacks the states along
    /// dimension 1 in time order.
    private static func unroll<Scalar: TensorFloatingPoint>(
        _ steps: [Tensor<Scalar>], from initialState: Tensor<Scalar>, reversed: Bool, step: Step<Scalar>
    ) -> Tensor<Scalar> {
        var states = [Tensor<Scalar>]()
        states.reserveCapacity(steps.count)
        var state = initialState
        for p in reversed ? steps.reversed() : steps {
            state = step(p, state)
            states.append(state)
        }
        return Tensor.stack(reversed ? states.reversed() : states, axis: 1)
    }

    /// The time steps `[batch, G]` of `projections` `[batch, T, G]`, outside the graph (one copy pass).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    private static func timeSteps<Scalar: TensorFloatingPoint>(of projections: Tensor<Scalar>) -> [Tensor<Scalar>] {
        let (batch, length, width) = (projections.shape[0], projections.shape[1], projections.shape[2])
        return projections.withUnsafeBufferPointer { p in
            (0..<length).map { t in
                Tensor(shape: [batch, width]) { values in
                    for b in 0..<batch {
                        (values.baseAddress! + b * width)
                            .initialize(from: p.baseAddress! + (b * length + t) * width, count: width)
                    }
                }
            }
        }
    }
}
