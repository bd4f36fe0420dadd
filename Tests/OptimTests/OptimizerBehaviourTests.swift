import Optim
import Tensor
import Testing

/// The optimizer machinery around the update rules: groups, gradients, state.
@Suite("Optimizer behaviour")
struct OptimizerBehaviourTests {
    @Test("parameters without a gradient are skipped")
    func skipsParametersWithoutGradient() throws {
        let used = Tensor<Double>([1, 2], requiresGrad: true)
        let unused = Tensor<Double>([3, 4], requiresGrad: true)
        let optimizer = try Adam([used, unused], lr: 0.1)
        (used * used).sum().backward()
        optimizer.step()
        #expect(unused.scalars == [3, 4])
        #expect(optimizer.state(for: unused) == nil)
        #expect(optimizer.state(for: used)?.step == 1)
        // Adam's first step moves every element by lr (m̂ / √v̂ = ±1 up to ε).
        #expect(zip(used.scalars, [0.9, 1.9]).allSatisfy { Swift.abs($0 - $1) < 1e-7 })
    }

    @Test("SGD's momentum buffer starts as the first gradient, undampened")
    func firstMomentumBufferIsTheGradient() throws {
        let w = Tensor<Double>([1, -2], requiresGrad: true)
        let optimizer = try SGD([w], lr: 0.1, momentum: 0.9, dampening: 0.5)
        w.grad = Tensor([0.5, 0.25])
        optimizer.step()
        #expect(optimizer.state(for: w)?.buffers["momentum_buffer"]?.scalars == [0.5, 0.25])
        #expect(w.scalars == [1 - 0.1 * 0.5, -2 - 0.1 * 0.25])
        w.grad = Tensor([1, 1])
        optimizer.step()
        #expect(optimizer.state(for: w)?.buffers["momentum_buffer"]?.scalars == [0.9 * 0.5 + 0.5, 0.9 * 0.25 + 0.5])
    }

    @Test("zeroGrad clears gradients to nil, or to zeros in place")
    func zeroGrad() throws {
        let w = Tensor<Double>([1, 2], requiresGrad: true)
        let optimizer = try SGD([w], lr: 0.1)
        (w * w).sum().backward()
        let gradient = try #require(w.grad)
        optimizer.zeroGrad(setToNone: false)
        #expect(w.grad === gradient)
        #expect(gradient.scalars == [0, 0])
        optimizer.zeroGrad()
        #expect(w.grad == nil)
    }

    @Test("each group uses its own options, which can be changed between steps")
    func groupsHaveTheirOwnOptions() throws {
        let weight = Tensor<Double>([1, 1], requiresGrad: true)
        let bias = Tensor<Double>([1], requiresGrad: true)
        let optimizer = try SGD([.init([weight]), .init([bias]) { $0.weightDecay = 0; $0.lr = 0.5 }], lr: 0.1, weightDecay: 1)
        #expect(optimizer.parameterGroups.map(\.options) == [
            SGDOptions(lr: 0.1, weightDecay: 1), SGDOptions(lr: 0.5, weightDecay: 0),
        ])
        #expect(optimizer.learningRates == [0.1, 0.5])
        weight.grad = Tensor([0, 0])
        bias.grad = Tensor([1])
        optimizer.step()
        #expect(weight.scalars == [0.9, 0.9], "weight decay λθ = 1 with lr 0.1")
        #expect(bias.scalars == [0.5])
        optimizer.parameterGroups[1].options.lr = 0.25
        optimizer.learningRates[0] = 0
        optimizer.step()
        #expect(weight.scalars == [0.9, 0.9])
        #expect(bias.scalars == [0.25])
    }

    @Test("addParameterGroup starts from the defaults and is stepped")
    func addParameterGroup() throws {
        let first = Tensor<Double>([1], requiresGrad: true)
        let second = Tensor<Double>([1], requiresGrad: true)
        let optimizer = try RMSprop([first], lr: 0.01, momentum: 0.5)
        try optimizer.addParameterGroup(.init([second]) { $0.centered = true })
        #expect(optimizer.parameterGroups[1].options == RMSpropOptions(lr: 0.01, momentum: 0.5, centered: true))
        #expect(optimizer.parameters.count == 2)
        second.grad = Tensor([2])
        optimizer.step()
        #expect(second.scalars[0] < 1)
        #expect(optimizer.state(for: second)?.buffers.keys.sorted() == ["grad_avg", "momentum_buffer", "square_avg"])
    }

    @Test("optimizers of different kinds train side by side through the Optimizer protocol")
    func heterogeneousOptimizers() throws {
        let models = (0..<5).map { _ in TinyModel<Double>() }
        let optimizers: [any Optimizer<Double>] = [
            try SGD(models[0].parameters, lr: 0.1), try SGD(models[1].parameters, lr: 0.1, momentum: 0.9),
            try Adam(models[2].parameters, lr: 0.05), try Adagrad(models[3].parameters, lr: 0.1),
            try RMSprop(models[4].parameters, lr: 0.4, alpha: 0.5, eps: 1e-18),
        ]
        #expect(optimizers.map(\.name) == ["SGD", "SGD", "Adam", "Adagrad", "RMSprop"])
        let initialLoss = models[0].loss().item
        for (model, optimizer) in zip(models, optimizers) {
            for _ in 0..<10 {
                model.computeGradients(for: optimizer)
                optimizer.step()
            }
            #expect(model.loss().item < initialLoss, "\(optimizer.name) did not reduce the loss")
        }
    }

    @Test("Float parameters are updated like Double ones, to float precision")
    func floatMatchesDouble() throws {
        let double = Tensor<Double>([0.5, -1.5, 2], requiresGrad: true)
        let float = Tensor<Float>([0.5, -1.5, 2], requiresGrad: true)
        let doubleOptimizer = try AdamW([double], lr: 0.1, amsgrad: true)
        let floatOptimizer = try AdamW([float], lr: 0.1, amsgrad: true)
        for step in 1...5 {
            double.grad = Tensor([0.3, -0.2, Double(step) * 0.1])
            float.grad = Tensor([0.3, -0.2, Float(step) * 0.1])
            doubleOptimizer.step()
            floatOptimizer.step()
        }
        #expect(worstRelativeError(float.scalars.map(Double.init), double.scalars) < 1e-5)
    }
}
