import Tensor
import Testing

/// Lists of axes as PyTorch reads them (2.15): an empty list reduces every axis, a 0-d tensor
/// takes axis 0 or -1, and an axis named twice is misuse.
@Suite("Axis lists")
struct AxisListTests {
    @Test("an empty axis list reduces every axis; a 0-d tensor reduces over axis 0 or -1")
    func emptyListAndScalars() {
        let x = Tensor<Double>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(x.sum(axes: []).item == 21 && x.sum(axes: []).shape == [])
        #expect(x.mean(axes: [], keepDim: true).shape == [1, 1] && x.mean(axes: []).item == 3.5)
        #expect(x.squeeze(axes: []).shape == [2, 3], "squeeze with no axes removes none, as PyTorch")
        let scalar = Tensor<Double>(scalar: 4)
        for axis in [0, -1] {
            #expect(scalar.mean(axis: axis).item == 4 && scalar.sum(axis: axis, keepDim: true).shape == [])
            #expect(scalar.max(axis: axis).values.item == 4 && scalar.max(axis: axis).indices.item == 0)
            #expect(scalar.logSumExp(axis: axis).item == 4 && scalar.squeeze(axis).shape == [])
        }
    }

    @Test("an axis given twice traps, naming the op")
    func repeatedAxisTraps() async {
        let sum = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>.zeros([2, 3]).sum(axes: [0, 0])
        }
        expectTrapMessage(sum, contains: "sum: dimension 0 appears more than once in the list of dimensions [0, 0]")
        let mean = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>.zeros([2, 3]).mean(axes: [1, -1])
        }
        expectTrapMessage(mean, contains: "mean: dimension 1 appears more than once in the list of dimensions [1, -1]")
        let logSumExp = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>.zeros([2, 3]).logSumExp(axes: [-2, 0])
        }
        expectTrapMessage(logSumExp, contains: "logSumExp: dimension 0 appears more than once in the list of dimensions [-2, 0]")
        let squeeze = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(scalar: 1).squeeze(axes: [0, -1])
        }
        expectTrapMessage(squeeze, contains: "squeeze: dimension 0 appears more than once in the list of dimensions [0, -1]")
    }
}
