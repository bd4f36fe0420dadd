import Foundation
import Optim
import Tensor
import Testing

/// Saving and restoring optimizer (and scheduler) state resumes training exactly.
@Suite("State dicts")
struct StateDictTests {
    /// `stateDict` as it comes back from a file: every tensor rebuilt from its shape and scalars.
    private static func throughFile(_ stateDict: OptimizerStateDict<Double>) -> OptimizerStateDict<Double> {
        let stored = stateDict.tensors.mapValues { (shape: $0.shape, scalars: $0.scalars) }
        return OptimizerStateDict(
            tensors: stored.mapValues { Tensor(shape: $0.shape, scalars: $0.scalars) }, metadata: stateDict.metadata)
    }

    @Test(
        "2N steps equal N steps, save, load into a fresh optimizer and model, N more steps — bit for bit",
        arguments: GoldenData.shared.cases)
    func resumeIsExact(_ goldenCase: GoldenData.Case) throws {
        let half = GoldenData.shared.steps / 2
        let uninterrupted = try GoldenRun<Double>(goldenCase)
        for _ in 0..<(2 * half) { _ = uninterrupted.step() }

        let first = try GoldenRun<Double>(goldenCase)
        for _ in 0..<half { _ = first.step() }
        let saved = Self.throughFile(first.optimizer.stateDict())
        let schedulerState = first.scheduler?.stateDict() ?? first.plateau?.stateDict()

        let resumed = try GoldenRun<Double>(goldenCase, model: TinyModel(copying: first.model))
        try resumed.optimizer.loadStateDict(saved)
        if let schedulerState {
            try resumed.scheduler?.loadStateDict(schedulerState)
            try resumed.plateau?.loadStateDict(schedulerState)
        }
        for _ in 0..<half { _ = resumed.step() }

        #expect(resumed.model.trajectoryValues == uninterrupted.model.trajectoryValues)
        #expect(resumed.optimizer.learningRates == uninterrupted.optimizer.learningRates)
        let expected = uninterrupted.optimizer.stateDict(), actual = resumed.optimizer.stateDict()
        #expect(actual.metadata == expected.metadata)
        #expect(actual.tensors.mapValues(\.scalars) == expected.tensors.mapValues(\.scalars))
        #expect(actual.tensors.mapValues(\.shape) == expected.tensors.mapValues(\.shape))
    }

    @Test("the flattened layout follows PyTorch's state_dict")
    func layout() throws {
        let model = TinyModel<Double>()
        let optimizer = try Adam([.init([model.w, model.b]), .init([model.v, model.u]) { $0.amsgrad = true }], lr: 0.01)
        model.computeGradients(for: optimizer)
        optimizer.step()
        let stateDict = optimizer.stateDict()
        #expect(stateDict.metadata["optimizer"] == "Adam")
        #expect(stateDict.tensors.keys.sorted() == [
            "state.0.exp_avg", "state.0.exp_avg_sq", "state.0.step",
            "state.1.exp_avg", "state.1.exp_avg_sq", "state.1.step",
            "state.2.exp_avg", "state.2.exp_avg_sq", "state.2.max_exp_avg_sq", "state.2.step",
        ])
        #expect(stateDict.tensors["state.0.exp_avg"]?.shape == [2, 3])
        #expect(stateDict.tensors["state.2.step"]?.shape == [])
        #expect(stateDict.tensors["state.2.step"]?.item == 1)
        let groups = try JSONDecoder().decode([JSONValue].self, from: Data(stateDict.metadata["param_groups"]!.utf8))
        #expect(groups == [
            .object([
                "lr": .number(0.01), "betas": .array([.number(0.9), .number(0.999)]), "eps": .number(1e-8),
                "weight_decay": .number(0), "amsgrad": .bool(false), "maximize": .bool(false),
                "decoupled_weight_decay": .bool(false), "params": .array([.number(0), .number(1)]),
            ]),
            .object([
                "lr": .number(0.01), "betas": .array([.number(0.9), .number(0.999)]), "eps": .number(1e-8),
                "weight_decay": .number(0), "amsgrad": .bool(true), "maximize": .bool(false),
                "decoupled_weight_decay": .bool(false), "params": .array([.number(2), .number(3)]),
            ]),
        ])
    }

    @Test("the state dict holds copies, and loading copies too")
    func stateIsCopied() throws {
        let model = TinyModel<Double>()
        let optimizer = try SGD(model.parameters, lr: 0.1, momentum: 0.9)
        model.computeGradients(for: optimizer)
        optimizer.step()
        let saved = optimizer.stateDict()
        let buffer = try #require(saved.tensors["state.0.momentum_buffer"])
        let before = buffer.scalars
        model.computeGradients(for: optimizer)
        optimizer.step()
        #expect(buffer.scalars == before, "a later step changed a saved buffer")
        try optimizer.loadStateDict(saved)
        buffer.withUnsafeMutableBufferPointer { $0[0] = 42 }
        #expect(optimizer.state(for: model.w)?.buffers["momentum_buffer"]?.scalars == before)
    }

    @Test("hyperparameters survive a save and load exactly")
    func hyperparametersRoundTrip() throws {
        let awkward = [0.1 + 0.2, 1e-18, Double.leastNonzeroMagnitude, 1.0 / 3.0, 1.0.nextDown]
        let source = try RMSprop(TinyModel<Double>().parameters, lr: awkward[0], alpha: awkward[4], eps: awkward[1],
                                 weightDecay: awkward[2], momentum: awkward[3], centered: true)
        let target = try RMSprop(TinyModel<Double>().parameters)
        try target.loadStateDict(source.stateDict())
        #expect(target.parameterGroups[0].options == source.parameterGroups[0].options)
    }

    /// A state dict saved by Adam over the tiny model after one step.
    private static func savedAdamState() throws -> OptimizerStateDict<Double> {
        let model = TinyModel<Double>()
        let optimizer = try Adam(model.parameters, lr: 0.01, amsgrad: true)
        model.computeGradients(for: optimizer)
        optimizer.step()
        return optimizer.stateDict()
    }

    /// A change to a good state dict, and the message loading it must fail with.
    struct Corruption: CustomTestStringConvertible, Sendable {
        let label: String
        let message: String
        let corrupt: @Sendable (inout OptimizerStateDict<Double>) -> Void
        var testDescription: String { label }
    }

    static let corruptions: [Corruption] = [
        Corruption(label: "missing buffer", message: "the state of parameter 1 has no 'max_exp_avg_sq'") {
            $0.tensors["state.1.max_exp_avg_sq"] = nil
        },
        Corruption(label: "missing step", message: "the state of parameter 0 has no 'step'") {
            $0.tensors["state.0.step"] = nil
        },
        Corruption(label: "wrong shape", message: "'state.0.exp_avg' has shape [6], the parameter has shape [2, 3]") {
            $0.tensors["state.0.exp_avg"] = Tensor.zeros([6])
        },
        Corruption(label: "unknown buffer",
                   message: "unexpected tensor 'state.0.momentum_buffer' for Adam with these options (expected [\"step\", \"exp_avg\", \"exp_avg_sq\", \"max_exp_avg_sq\"])") {
            $0.tensors["state.0.momentum_buffer"] = Tensor.zeros([2, 3])
        },
        Corruption(label: "unknown parameter",
                   message: "unexpected tensor 'state.7.exp_avg' (expected 'state.<parameter>.<name>' for a parameter in 'param_groups')") {
            $0.tensors["state.7.exp_avg"] = Tensor.zeros([2])
        },
        Corruption(label: "unrelated key",
                   message: "unexpected tensor 'weights' (expected 'state.<parameter>.<name>' for a parameter in 'param_groups')") {
            $0.tensors["weights"] = Tensor.zeros([2])
        },
        Corruption(label: "fractional step", message: "'state.0.step' must hold one non-negative whole number within Int's range, got shape [] [1.5]") {
            $0.tensors["state.0.step"] = Tensor(scalar: 1.5)
        },
        Corruption(label: "step beyond Int", message: "'state.0.step' must hold one non-negative whole number within Int's range, got shape [] [1e+19]") {
            $0.tensors["state.0.step"] = Tensor(scalar: 1e19)
        },
        Corruption(label: "step of 1e30", message: "'state.0.step' must hold one non-negative whole number within Int's range, got shape [] [1e+30]") {
            $0.tensors["state.0.step"] = Tensor(scalar: 1e30)
        },
        Corruption(label: "infinite buffer", message: "'state.1.exp_avg_sq' holds a non-finite value (inf)") {
            $0.tensors["state.1.exp_avg_sq"] = $0.tensors["state.1.exp_avg_sq"]! + .infinity
        },
        Corruption(label: "NaN buffer", message: "'state.0.exp_avg' holds a non-finite value (nan)") {
            $0.tensors["state.0.exp_avg"] = $0.tensors["state.0.exp_avg"]! * .nan
        },
        Corruption(label: "other optimizer", message: "it holds the state of SGD, not Adam") { $0.metadata["optimizer"] = "SGD" },
        Corruption(label: "no groups", message: "the metadata has no 'param_groups' entry") { $0.metadata["param_groups"] = nil },
        Corruption(label: "group count", message: "loaded state dict has 0 parameter groups, the optimizer has 1") {
            $0.metadata["param_groups"] = "[]"
        },
        Corruption(label: "parameter count",
                   message: "parameter group 0 has 3 parameters in the state dict, 4 in the optimizer") {
            $0.metadata["param_groups"] = $0.metadata["param_groups"]!.replacingOccurrences(of: "[0,1,2,3]", with: "[0,1,2]")
        },
        Corruption(label: "repeated parameter number", message: "parameter number 2 appears twice in 'param_groups'") {
            $0.metadata["param_groups"] = $0.metadata["param_groups"]!.replacingOccurrences(of: "[0,1,2,3]", with: "[0,1,2,2]")
        },
    ]

    @Test("mismatched state dicts are rejected with a description, leaving the optimizer unchanged", arguments: corruptions)
    func rejectsMismatchedStateDict(_ corruption: Corruption) throws {
        var stateDict = try Self.savedAdamState()
        corruption.corrupt(&stateDict)
        let model = TinyModel<Double>()
        let optimizer = try Adam(model.parameters, lr: 0.5, amsgrad: true)
        model.computeGradients(for: optimizer)
        optimizer.step()
        let before = optimizer.stateDict()
        #expect(throws: OptimizerError.invalidStateDict(optimizer: "Adam", message: corruption.message)) {
            try optimizer.loadStateDict(stateDict)
        }
        let after = optimizer.stateDict()
        #expect(after.metadata == before.metadata)
        #expect(after.tensors.mapValues(\.scalars) == before.tensors.mapValues(\.scalars))
    }

    @Test("malformed group JSON and out-of-range saved hyperparameters are rejected")
    func rejectsBadHyperparameters() throws {
        var stateDict = try Self.savedAdamState()
        let optimizer = try Adam(TinyModel<Double>().parameters, amsgrad: true)
        stateDict.metadata["param_groups"] = "[{\"lr\": 0.1}]"
        #expect {
            try optimizer.loadStateDict(stateDict)
        } throws: { error in
            guard case let .invalidStateDict("Adam", message) = error as? OptimizerError else { return false }
            return message.hasPrefix("'param_groups' is not a valid list of Adam parameter groups")
        }
        stateDict = try Self.savedAdamState()
        stateDict.metadata["param_groups"] = stateDict.metadata["param_groups"]!.replacingOccurrences(
            of: "\"lr\":0.01", with: "\"lr\":-1")
        #expect(throws: OptimizerError.invalidHyperparameter(optimizer: "Adam", message: "invalid learning rate: -1.0")) {
            try optimizer.loadStateDict(stateDict)
        }
    }

    @Test("a model of another shape cannot take the state")
    func rejectsOtherShapes() throws {
        let stateDict = try Self.savedAdamState()
        let other = [Tensor<Double>.zeros([3, 2], requiresGrad: true)] + TinyModel<Double>().parameters.dropFirst()
        let optimizer = try Adam(other, amsgrad: true)
        #expect(throws: OptimizerError.invalidStateDict(
            optimizer: "Adam", message: "'state.0.exp_avg' has shape [2, 3], the parameter has shape [3, 2]")
        ) {
            try optimizer.loadStateDict(stateDict)
        }
    }
}
