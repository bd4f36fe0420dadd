import Optim
import Tensor
import Testing

/// Every optimizer, option, parameter-group layout, scheduler and clipping mode against
/// PyTorch's float64 trajectories (`Golden/make_optim_golden.py`).
@Suite("Golden trajectories against PyTorch")
struct GoldenTrajectoryTests {
    @Test("parameters after every step match PyTorch to 1e-9", arguments: GoldenData.shared.cases)
    func trajectoryMatchesPyTorch(_ goldenCase: GoldenData.Case) throws {
        let run = try GoldenRun<Double>(goldenCase)
        #expect(run.resolvedGroups == goldenCase.resolvedGroups.map(JSONValue.object), "hyperparameters differ from PyTorch's")
        for step in 0..<GoldenData.shared.steps {
            let norm = run.step()
            let error = worstRelativeError(run.model.trajectoryValues, goldenCase.trajectory[step])
            try #require(error <= 1e-9, "step \(step + 1): parameters differ from PyTorch's by \(error) relative")
            if let lrs = goldenCase.lrs {
                #expect(worstRelativeError(run.optimizer.learningRates, lrs[step]) <= 1e-13, "step \(step + 1): learning rates")
                #expect((run.scheduler?.lastLR ?? run.plateau?.lastLR) == run.optimizer.learningRates)
            }
            if let norms = goldenCase.totalNorms {
                #expect(worstRelativeError([norm ?? .nan], [norms[step]]) <= 1e-9, "step \(step + 1): total norm")
            }
        }
        #expect(run.model.u.scalars == GoldenData.shared.initial.u, "a parameter without gradient moved")
    }

    @Test("without-gradient parameters get no state", arguments: ["sgd_momentum", "adam", "adamw_default", "rmsprop_centered_momentum"])
    func noStateWithoutGradient(_ name: String) throws {
        let goldenCase = try #require(GoldenData.shared.cases.first { $0.name == name })
        let run = try GoldenRun<Double>(goldenCase)
        _ = run.step()
        let stateDict = run.optimizer.stateDict()
        #expect(!stateDict.tensors.isEmpty)
        #expect(!stateDict.tensors.keys.contains { $0.hasPrefix("state.3.") }, "u (parameter 3) has state")
    }

    @Test("Adagrad creates every parameter's state at construction, as PyTorch does")
    func adagradStateIsEager() throws {
        let model = TinyModel<Double>()
        let optimizer = try Adagrad(model.parameters, lr: 0.1, initialAccumulatorValue: 0.25)
        let state = try #require(optimizer.state(for: model.u))
        #expect(state.step == 0)
        #expect(state.buffers["sum"]?.scalars == [0.25, 0.25])
        model.computeGradients(for: optimizer)
        optimizer.step()
        #expect(optimizer.state(for: model.u)?.step == 0, "u has no gradient, so its step count stays 0")
        #expect(optimizer.state(for: model.w)?.step == 1)
    }

    @Test("Float trajectories follow PyTorch's float64 ones to float precision", arguments: [
        "sgd_nesterov", "adam_amsgrad", "adamw_default", "adagrad_lr_decay", "rmsprop_centered_momentum",
        "rmsprop_coursework",
    ])
    func floatTrajectory(_ name: String) throws {
        let goldenCase = try #require(GoldenData.shared.cases.first { $0.name == name })
        let run = try GoldenRun<Float>(goldenCase, model: TinyModel<Float>())
        for step in 0..<5 {
            _ = run.step()
            let error = worstRelativeError(run.model.trajectoryValues, goldenCase.trajectory[step], absoluteFloor: 1e-5)
            try #require(error <= 1e-4, "step \(step + 1): Float parameters differ by \(error) relative")
        }
    }

    @Test("default hyperparameters are PyTorch's")
    func defaultsMatchPyTorch() throws {
        let probe = [Tensor<Double>.zeros([1], requiresGrad: true)]
        let defaults = GoldenData.shared.defaults
        #expect(try SGD(probe).defaults.jsonValue == .object(defaults["SGD"]!))
        #expect(try Adam(probe).defaults.jsonValue == .object(defaults["Adam"]!))
        #expect(try AdamW(probe).defaults.jsonValue == .object(defaults["AdamW"]!))
        #expect(try Adagrad(probe).defaults.jsonValue == .object(defaults["Adagrad"]!))
        #expect(try RMSprop(probe).defaults.jsonValue == .object(defaults["RMSprop"]!))
        #expect(try SGDOptions().jsonValue == .object(defaults["SGD"]!))
        #expect(try AdamOptions().jsonValue == .object(defaults["Adam"]!))
        #expect(try AdagradOptions().jsonValue == .object(defaults["Adagrad"]!))
        #expect(try RMSpropOptions().jsonValue == .object(defaults["RMSprop"]!))
    }
}
