import Testing
import Tensor

/// The autograd contract as PyTorch defines it: leaves and non-leaves, detach, grad modes,
/// explicit output gradients, retained graphs, and the traps for misuse.
@Suite("Autograd semantics")
struct AutogradSemanticsTests {
    @Test("leaves are created by the user; results of recorded operations are not")
    func leafAndNonLeaf() {
        let w = Tensor<Double>([1, 2], requiresGrad: true), c = Tensor<Double>([3, 4])
        let y = w * c
        #expect(w.isLeaf && c.isLeaf && !y.isLeaf)
        #expect(w.gradFnName == nil && y.gradFnName == "MulBackward")
        #expect(y.requiresGrad && !(c * c).requiresGrad)
        y.sum().backward()
        #expect(w.grad?.scalars == [3, 4])
        #expect(c.grad == nil, "a leaf that does not require grad gets none")
        #expect(y.grad == nil, "a non-leaf keeps no gradient unless retainGrad() was called")
    }

    @Test("retainGrad on a leaf changes nothing: leaves always keep their gradient")
    func retainGradOnLeaf() {
        let w = Tensor<Double>([2], requiresGrad: true)
        w.retainGrad()
        (w * w).sum().backward()
        #expect(w.grad?.scalars == [4])
    }

    @Test("detach shares storage and stops the gradient")
    func detach() {
        let x = Tensor<Double>([1, 2, 3], requiresGrad: true)
        let frozen = x.detach()
        #expect(frozen.sharesStorage(with: x) && frozen.isLeaf && !frozen.requiresGrad)
        (x * frozen).sum().backward()   // d/dx (x * c) with c = x held constant
        #expect(x.grad?.scalars == [1, 2, 3])
        let copied = x.copy()
        #expect(!copied.sharesStorage(with: x) && copied.scalars == x.scalars && !copied.requiresGrad)
    }

    @Test("withGrad re-enables recording inside withNoGrad")
    func nestedGradModes() {
        let w = Tensor<Double>([1], requiresGrad: true)
        withNoGrad {
            #expect(!GradMode.isEnabled)
            #expect(!(w * 2).requiresGrad)
            withGrad {
                #expect(GradMode.isEnabled)
                #expect((w * 2).gradFnName == "MulBackward")
            }
        }
        #expect(GradMode.isEnabled)
    }

    @Test("grad mode is task-local: another task keeps recording")
    func gradModeIsTaskLocal() async {
        let recordsElsewhere = await withNoGrad {
            Task.detached { GradMode.isEnabled }
        }.value
        #expect(recordsElsewhere)
    }

    @Test("backward(gradient:) computes a vector-Jacobian product")
    func explicitGradient() {
        let x = Tensor<Double>([1, 2, 3], requiresGrad: true)
        let y = x * x   // dy/dx = diag(2x)
        y.backward(gradient: Tensor([1, 10, 100]))
        #expect(x.grad?.scalars == [2, 40, 600])
    }

    @Test("a retained graph can be back-propagated twice; gradients add up")
    func retainGraphTwice() {
        let x = Tensor<Double>([3], requiresGrad: true)
        let loss = (x * x * x).sum()
        loss.backward(retainGraph: true)
        #expect(x.grad?.scalars == [27])
        loss.backward()
        #expect(x.grad?.scalars == [54])
    }

    @Test("a pass from an intermediate tensor leaves the whole graph to a later pass from the output")
    func passesOverSharedNodes() {
        let x = Tensor<Double>([2], requiresGrad: true)
        let y = x * x            // dy/dx = 2x = 4
        let z = (y * y + x).sum()  // dz/dx = 4x^3 + 1 = 33
        y.backward(gradient: Tensor([1]), retainGraph: true)
        #expect(x.grad?.scalars == [4])
        z.backward()
        #expect(x.grad?.scalars == [37])
    }

    @Test("a leaf's gradient is its own: never shared with another leaf's or with the caller's tensor")
    func gradientsDoNotAlias() {
        let x = Tensor<Double>([1, 2], requiresGrad: true), y = Tensor<Double>([3, 4], requiresGrad: true)
        let seed = Tensor<Double>([1, 1])
        (x + y).backward(gradient: seed)   // AddBackward hands the same gradient to both inputs
        let (gx, gy) = (x.grad!, y.grad!)
        #expect(!gx.sharesStorage(with: gy) && !gx.sharesStorage(with: seed) && !gy.sharesStorage(with: seed))
        gx.withUnsafeMutableBufferPointer { $0[0] = 100 }
        #expect(gy.scalars == [1, 1] && seed.scalars == [1, 1])
        let v = x.reshape([2, 1])
        x.grad = nil
        (v.reshape([2]) * 3).sum().backward()
        #expect(x.grad?.scalars == [3, 3] && x.grad?.isLeaf == true && x.grad?.requiresGrad == false)
        // A retained non-leaf gradient that also flows on: a later pass adds into it in place, and
        // the leaf's gradient must not change with it.
        x.grad = nil
        let h = x + 0
        h.retainGrad()
        let loss = (h.reshape([2, 1]) * 2).sum()
        loss.backward(retainGraph: true)
        loss.backward()
        #expect(h.grad?.scalars == [4, 4] && x.grad?.scalars == [4, 4])
        #expect(!h.grad!.sharesStorage(with: x.grad!))
    }

    @Test("gradients from separate losses accumulate until grad is reset")
    func accumulationAcrossLosses() {
        let x = Tensor<Double>([1, -1], requiresGrad: true)
        x.sum().backward()
        (x * 3).sum().backward()
        #expect(x.grad?.scalars == [4, 4])
        x.grad = nil
        x.exp().sum().backward()
        #expect(x.grad?.scalars == x.exp().scalars)
    }

    @Test("needsGraph reports whether a custom op must record")
    func needsGraph() {
        let w = Tensor<Double>([1], requiresGrad: true), c = Tensor<Double>([1])
        #expect(Tensor.needsGraph(c, w) && !Tensor.needsGraph(c))
        #expect(!withNoGrad { Tensor.needsGraph(w) })
    }

    @Test("a second backward through a released graph traps")
    func secondBackwardTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let x = Tensor<Double>([2], requiresGrad: true)
            let loss = (x * x).sum()
            loss.backward()
            loss.backward()
        }
        expectTrapMessage(result, contains: "a second time")
    }

    @Test("a pullback may run a backward pass of its own over another graph")
    func nestedBackward() {
        let x = Tensor<Double>([3], requiresGrad: true), w = Tensor<Double>([5], requiresGrad: true)
        let y = Tensor(shape: [1], scalars: x.scalars.map { $0 * $0 }).recording("SquareBackward", [x]) { g in
            withGrad { (w * w).sum().backward() }
            return [g * x * 2]
        }
        (y * 4).sum().backward()
        #expect(x.grad?.scalars == [24] && w.grad?.scalars == [10])
    }

    @Test("a pass started in a pullback traps if it reaches a tensor the outer pass has yet to consume")
    func nestedBackwardOverSharedGraphTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let x = Tensor<Double>([3], requiresGrad: true)
            let h = x * 2
            let y = Tensor(shape: [1], scalars: h.scalars).recording("PeekBackward", [h]) { g in
                withGrad { (h * 3).sum().backward() }
                return [g]
            }
            y.sum().backward()
        }
        expectTrapMessage(result, contains: "a backward pass started inside another one reached a tensor that the outer pass has not yet consumed")
    }

    @Test("backward without a gradient on a non-scalar output traps")
    func nonScalarBackwardTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            (Tensor<Double>([1, 2], requiresGrad: true) * 2).backward()
        }
        expectTrapMessage(result, contains: "backward: grad can be implicitly created only for scalar outputs, not shape [2]")
    }

    @Test("requiresGrad cannot be changed on a non-leaf")
    func nonLeafRequiresGradTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let y = Tensor<Double>([1], requiresGrad: true) * 2
            y.requiresGrad = false
        }
        expectTrapMessage(result, contains: "requiresGrad: only leaf tensors can change requiresGrad")
    }
}
