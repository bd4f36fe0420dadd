import NN
import Tensor

/// Fixed pseudo-random values for gradient checks.
func sample(_ shape: [Int], seed: UInt64, lower: Double = -1, upper: Double = 1) -> Tensor<Double> {
    Tensor<Double>.uniform(shape, lower: lower, upper: upper, generator: Generator(seed: seed))
}

/// ``gradientCheck(of:at:)`` of a module's forward pass with respect to `inputs` and every
/// parameter of `module`.
///
/// `gradientCheck` perturbs leaves that share storage with the tensors it is given, so the
/// module, which reads its own parameters, sees each perturbation. The forward pass is wrapped
/// in one recorded operation whose pullback back-propagates through the module's graph and hands
/// the parameters' gradients to the checker's leaves.
func gradientCheck(
    module: Module<Double>, inputs: [Tensor<Double>], forward: @escaping ([Tensor<Double>]) -> Tensor<Double>
) -> GradientCheckReport {
    let parameters = module.parameters()
    return gradientCheck(of: { leaves in
        let inputs = leaves.prefix(inputs.count).map { $0.detach().requiringGrad($0.requiresGrad) }
        let output = forward(inputs)
        guard output.requiresGrad else { return output }
        return output.detach().recording("ModuleForward", leaves) { g in
            module.zeroGrad()
            for input in inputs { input.grad = nil }
            output.backward(gradient: g, retainGraph: true)
            return inputs.map { $0.grad ?? Tensor.zeros(like: $0) } + parameters.map { $0.grad ?? Tensor.zeros(like: $0) }
        }
    }, at: inputs + parameters)
}
