extension Tensor where Scalar: TensorFloatingPoint {
    /// Computes the gradient of this scalar with respect to every leaf that requires one
    /// (`loss.backward()`), adding it into each leaf's `grad`.
    ///
    /// The graph is released afterwards unless `retainGraph` is `true`.
    /// - Precondition: this tensor has exactly one element.
    public func backward(retainGraph: Bool = false) {
        check(count == 1, "backward: grad can be implicitly created only for scalar outputs, not shape \(shape)")
        backward(gradient: Tensor(shape: shape, scalars: [1]), retainGraph: retainGraph)
    }

    /// Back-propagates `gradient` (dL/dself, same shape as self) through the graph
    /// (`y.backward(gradient)`), adding into the `grad` of every leaf that requires one.
    /// Inside ``withAnomalyDetection(_:_:)`` every gradient a pullback returns is scanned for
    /// NaN and infinity.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func backward(gradient: Tensor<Scalar>, retainGraph: Bool = false) {
        check(
            gradient.shape == shape,
            "backward: gradient of shape \(gradient.shape) does not match tensor of shape \(shape)")
        check(requiresGrad, "backward: tensor does not require grad and has no grad_fn")
        // Anomaly detection (withAnomalyDetection): read once per backward() call.
        let detector = AnomalyDetector.current
        let pass = BackwardPass.depth + 1
        BackwardPass.$depth.withValue(pass) {
            withNoGrad {
                // The pass keeps its bookkeeping on the tensors (a visited mark and the gradient
                // flowing in) rather than in a Set and a Dictionary keyed by identity, whose hashing
                // was about 7 % of a small RNN's training step.
                pendingGradient = gradient
                for tensor in topologicalOrder(pass: pass).reversed() {
                    tensor.backwardPass = 0
                    guard var grad = tensor.pendingGradient else { continue }
                    tensor.pendingGradient = nil
                    guard let node = tensor.gradFn else {
                        tensor.accumulateGrad(&grad)
                        continue
                    }
                    if tensor.retainsGrad { tensor.accumulateGrad(&grad) }
                    let inputGrads = node(grad)
                    detector?.checkBackward(node.name, gradients: inputGrads, inputs: node.inputs)
                    for (input, inputGrad) in Swift.zip(node.inputs, inputGrads) {
                        guard let inputGrad, input.requiresGrad else { continue }
                        check(
                            inputGrad.shape == input.shape,
                            "backward: \(node.name) returned a gradient of shape \(inputGrad.shape) for an input of shape \(input.shape)")
                        if let existing = input.pendingGradient {
                            input.pendingGradient = existing + inputGrad
                        } else {
                            input.pendingGradient = inputGrad
                        }
                    }
                    if !retainGraph { node.release() }
                }
            }
        }
    }

    /// Adds `gradient` into `grad`, creating it on first use. As PyTorch's AccumulateGrad, the
    /// first gradient becomes `grad` itself when nothing else can see it (the pass holds the only
    /// reference, and no other tensor views its storage), and a copy of it otherwise.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    package func accumulateGrad(_ gradient: inout Tensor<Scalar>) {
        if let grad {
            grad.withUnsafeMutableBufferPointer { g in
                gradient.withUnsafeBufferPointer { d in
                    for i in g.indices { g[i] += d[i] }
                }
            }
        } else if isKnownUniquelyReferenced(&gradient) && gradient.storage.tensorCount == 1
            && gradient.gradFn == nil && !gradient.leafRequiresGrad
        {
            grad = gradient
        } else {
            grad = gradient.copy()
        }
    }

    /// The tensors reachable from this one through the graph, each before every tensor that
    /// depends on it (inputs first, this tensor last), marked as visited by `pass`. Iterative,
    /// so deep graphs cannot overflow the stack.
    ///
    /// A pass started inside a pullback of another (`pass` > 1) may walk a graph of its own, but
    /// traps if it reaches a tensor that the running outer pass has yet to consume: the two
    /// would share its mark and its pending gradient.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    private func topologicalOrder(pass: Int) -> [Tensor<Scalar>] {
        @inline(__always) func mark(_ tensor: Tensor<Scalar>) {
            check(
                tensor.backwardPass == 0,
                "backward: a backward pass started inside another one reached a tensor that the outer pass has not yet consumed")
            tensor.backwardPass = pass
        }
        var order: [Tensor<Scalar>] = []
        mark(self)
        // Each entry: a tensor being expanded, its node's inputs and the next one to visit.
        var stack: [(tensor: Tensor<Scalar>, inputs: [Tensor<Scalar>], next: Int)] = [(self, gradFn?.inputs ?? [], 0)]
        while let top = stack.indices.last {
            let next = stack[top].next
            guard next < stack[top].inputs.count else {
                order.append(stack.removeLast().tensor)
                continue
            }
            stack[top].next = next + 1
            let input = stack[top].inputs[next]
            if input.requiresGrad, input.backwardPass != pass {
                mark(input)
                stack.append((input, input.gradFn?.inputs ?? [], 0))
            }
        }
        return order
    }
}

/// The nesting of running `backward()` passes in this task: 0 outside any, 1 inside a pass's
/// pullbacks, and so on (a pullback may start a pass of its own).
enum BackwardPass {
    @TaskLocal static var depth = 0
}
