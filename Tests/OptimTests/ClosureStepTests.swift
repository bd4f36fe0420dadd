import Optim
import Tensor
import Testing

/// `step(closure:)`: the same trajectories as PyTorch's golden runs, taken through a closure.
@Suite("step(closure:)")
struct ClosureStepTests {
    @Test(
        "a closure step follows PyTorch's trajectory and returns the closure's loss",
        arguments: GoldenData.shared.cases.filter { $0.clip == nil && $0.scheduler?["type"]?.string != "ReduceLROnPlateau" })
    func closureTrajectory(_ goldenCase: GoldenData.Case) throws {
        let run = try GoldenRun<Double>(goldenCase)
        var calls = 0
        for step in 0..<GoldenData.shared.steps {
            // Under no-grad, as a caller's evaluation code might be: the closure still records a graph.
            let (loss, expected) = withNoGrad {
                run.optimizer.step {
                    calls += 1
                    run.optimizer.zeroGrad()
                    let loss = run.model.loss()
                    loss.backward()
                    return (loss, loss.item)
                }
            }
            #expect(loss.item == expected && loss.requiresGrad)
            run.scheduler?.step()
            let error = worstRelativeError(run.model.trajectoryValues, goldenCase.trajectory[step])
            try #require(error <= 1e-9, "step \(step + 1): parameters differ from PyTorch's by \(error) relative")
        }
        #expect(calls == GoldenData.shared.steps, "the closure runs once per step")
    }

    @Test("an error thrown by the closure propagates and skips the update")
    func throwingClosure() throws {
        struct Stop: Error {}
        let w = Tensor<Double>([1, 2], requiresGrad: true)
        let optimizer = try SGD([w], lr: 0.5)
        w.grad = Tensor([1, 1])
        #expect(throws: Stop.self) { try optimizer.step { () throws -> Double in throw Stop() } }
        #expect(w.scalars == [1, 2])
        optimizer.step { 0.0 }
        #expect(w.scalars == [0.5, 1.5])
    }
}
