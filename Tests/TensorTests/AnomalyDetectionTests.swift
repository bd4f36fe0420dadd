import Testing
import Tensor

/// `withAnomalyDetection` (PyTorch's `torch.autograd.detect_anomaly()`): the first recorded
/// operation whose forward result or backward gradient holds a NaN or an infinity is named,
/// with its pass and shapes; nothing is reported outside the scope or for finite computations.
@Suite("Anomaly detection")
struct AnomalyDetectionTests {
    @Test("a NaN made in forward names the op that made it, not the ops it flows into")
    func forwardNaN() throws {
        let x = Tensor<Double>([-1, 1, 2], requiresGrad: true)
        let w = Tensor<Double>(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6], requiresGrad: true)
        let detector = AnomalyDetector()
        let loss = withAnomalyDetection(detector) { (x.log().unsqueeze(0).matmul(w) * 2).sum() }
        #expect(loss.item.isNaN)
        let anomaly = try #require(detector.firstAnomaly)
        #expect(anomaly.operation == "LogBackward")
        #expect(anomaly.phase == .forward)
        #expect(anomaly.value.isNaN)
        #expect(anomaly.shape == [3])
        #expect(anomaly.inputIndex == nil)
        #expect(anomaly.inputShapes == [[3]])
        #expect(anomaly.description == "LogBackward in forward: nan in the output of shape [3] (input shapes [3])")
    }

    @Test("an infinity made only in backward names the pullback and the input it was for")
    func backwardInfinity() throws {
        // sqrt(0) = 0 is finite, but d sqrt(x)/dx = 1 / (2 sqrt(x)) is +inf there.
        let x = Tensor<Double>([0, 1, 4], requiresGrad: true)
        let detector = AnomalyDetector()
        withAnomalyDetection(detector) { (x.sqrt() * 3).sum().backward() }
        let anomaly = try #require(detector.firstAnomaly)
        #expect(anomaly.operation == "SqrtBackward")
        #expect(anomaly.phase == .backward)
        #expect(anomaly.value == .infinity)
        #expect(anomaly.inputIndex == 0)
        #expect(anomaly.shape == [3])
        #expect(anomaly.description == "SqrtBackward in backward: inf in the gradient for input 0 of shape [3] (input shapes [3])")
        // Detection only observes: the gradient is what it would have been.
        #expect(x.grad?.scalars == [.infinity, 1.5, 0.75])
    }

    @Test("a NaN gradient (0 × inf) is reported at the op whose pullback made it")
    func backwardNaN() throws {
        let x = Tensor<Double>([0, 1], requiresGrad: true)
        let b = Tensor<Double>([2, 3], requiresGrad: true)
        let detector = AnomalyDetector()
        withAnomalyDetection(detector) { (x.sqrt() * 0 + b).sum().backward() }
        let anomaly = try #require(detector.firstAnomaly)
        #expect(anomaly.operation == "SqrtBackward" && anomaly.phase == .backward && anomaly.value.isNaN)
        #expect(b.grad?.scalars == [1, 1])
    }

    @Test("a two-input op reports which input's gradient is non-finite")
    func secondInput() throws {
        // a / b = 1e200 is finite, but d(a / b)/db = -a / b² = -1e400 overflows to -inf.
        let a = Tensor<Double>([1, 2], requiresGrad: false)
        let b = Tensor<Double>([1e-200, 1], requiresGrad: true)
        let detector = AnomalyDetector()
        withAnomalyDetection(detector) { (a / b).sum().backward() }
        let anomaly = try #require(detector.firstAnomaly)
        #expect(anomaly.operation == "DivBackward" && anomaly.phase == .backward)
        #expect(anomaly.inputIndex == 1 && anomaly.value == -.infinity)
        #expect(anomaly.inputShapes == [[2], [2]])
    }

    @Test("finite computations report nothing, in Float and Double")
    func finite() {
        let detector = AnomalyDetector()
        withAnomalyDetection(detector) {
            let x = Tensor<Float>([0.5, 1, 2], requiresGrad: true)
            (x.log() + x.sqrt()).logSoftmax(axis: 0).sum().backward()
            let y = Tensor<Double>([0.5, 1, 2], requiresGrad: true)
            y.tanh().square().mean().backward()
        }
        #expect(detector.firstAnomaly == nil)
    }

    @Test("Float tensors are checked too")
    func float() throws {
        let x = Tensor<Float>([1, 0], requiresGrad: true)
        let detector = AnomalyDetector()
        withAnomalyDetection(detector) { _ = (x * 1e30 * 1e30).sum() }
        let anomaly = try #require(detector.firstAnomaly)
        #expect(anomaly.operation == "MulBackward" && anomaly.phase == .forward && anomaly.value == .infinity)
    }

    @Test("nothing is checked outside the scope, under no-grad, or for tensors that need no gradient")
    func scope() {
        let detector = AnomalyDetector()
        let x = Tensor<Double>([-1], requiresGrad: true)
        withAnomalyDetection(detector) {
            _ = withNoGrad { x.log() }
            _ = Tensor<Double>([-1]).log()
        }
        _ = x.log()
        #expect(detector.firstAnomaly == nil)
    }

    @Test("only the first anomaly is kept; nested scopes report to the innermost detector")
    func firstAndNested() throws {
        let x = Tensor<Double>([-1, 0], requiresGrad: true)
        let outer = AnomalyDetector(), inner = AnomalyDetector()
        withAnomalyDetection(outer) {
            _ = (x * Double.infinity)
            withAnomalyDetection(inner) { _ = x.log() }
            _ = x.sqrt()
        }
        #expect(outer.firstAnomaly?.operation == "MulBackward")
        #expect(inner.firstAnomaly?.operation == "LogBackward")
    }

    @Test("the body's typed error passes through, and the anomaly is readable afterwards")
    func throwing() {
        struct Diverged: Error, Equatable {}
        let detector = AnomalyDetector()
        #expect(throws: Diverged.self) {
            try withAnomalyDetection(detector) { () throws(Diverged) in
                let loss = Tensor<Double>([-2], requiresGrad: true).log().sum()
                if loss.item.isNaN { throw Diverged() }
            }
        }
        #expect(detector.firstAnomaly?.operation == "LogBackward")
    }

    @Test("child tasks inherit detection (it is task-local, not global)")
    func childTasks() async {
        let detector = AnomalyDetector()
        let child = withAnomalyDetection(detector) { Task { _ = Tensor<Double>([-1], requiresGrad: true).log() } }
        await child.value
        #expect(detector.firstAnomaly?.operation == "LogBackward")
        // A task that does not run inside the scope is not observed.
        let other = AnomalyDetector()
        withAnomalyDetection(other) {}
        await Task.detached { _ = Tensor<Double>([-1], requiresGrad: true).log() }.value
        #expect(other.firstAnomaly == nil)
    }
}
