import Testing
import Tensor

/// gather, scatterAdd, indexSelect and indexAdd beyond their PyTorch golden values.
@Suite("Gather and scatter")
struct GatherTests {
    @Test("gather picks along the axis: the classic per-row label pick")
    func gatherPicksLabels() {
        let logits = Tensor<Float>([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]])
        let labels = Tensor<Int>(shape: [2, 1], scalars: [1, 0])
        #expect(logits.gather(axis: 1, index: labels).scalars == [0.7, 0.5])
    }

    @Test("integer tensors gather and add too")
    func integerElements() {
        let table = Tensor<Int>([[10, 11], [20, 21], [30, 31]])
        #expect(table.indexSelect(axis: 0, index: Tensor([2, 2, 0])).scalars == [30, 31, 30, 31, 10, 11])
        let counts = Tensor<Int>.zeros([4]).scatterAdd(axis: 0, index: Tensor([1, 3, 1, 1]), source: Tensor.full([4], 1))
        #expect(counts.scalars == [0, 3, 0, 1])
    }

    @Test("repeated indices accumulate their gradients")
    func repeatedIndicesAccumulate() {
        let w = Tensor<Double>([1, 2, 3], requiresGrad: true)
        let picked = w.gather(axis: 0, index: Tensor([2, 2, 0, 2]))
        #expect(picked.gradFnName == "GatherBackward")
        picked.sum().backward()
        #expect(w.grad?.scalars == [1, 0, 3])
        let e = Tensor<Double>([[1, 1], [2, 2]], requiresGrad: true)
        e.indexSelect(axis: 0, index: Tensor([1, 1, 1])).sum().backward()
        #expect(e.grad?.scalars == [0, 0, 3, 3])
    }

    @Test("scatterAdd uses only the part of a larger source that the index covers")
    func scatterAddPartialSource() {
        let source = Tensor<Double>([[1, 2, 3], [4, 5, 6]], requiresGrad: true)
        let y = Tensor<Double>.zeros([2, 2]).scatterAdd(axis: 1, index: Tensor(shape: [1, 2], scalars: [1, 1]), source: source)
        #expect(y.scalars == [0, 3, 0, 0])
        y.sum().backward()
        #expect(source.grad?.scalars == [1, 1, 0, 0, 0, 0])
    }

    @Test("gather with an index out of range traps naming it")
    func gatherOutOfRangeTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>.zeros([2, 3]).gather(axis: 1, index: Tensor(shape: [2, 1], scalars: [0, 3]))
        }
        expectTrapMessage(result, contains: "gather: index 3 is out of bounds for dimension 1 with size 3 (shape [2, 3])")
    }

    @Test("gather with an index of another rank traps")
    func gatherRankTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>.zeros([2, 3]).gather(axis: 1, index: Tensor([0, 1]))
        }
        expectTrapMessage(result, contains: "gather: index of shape [2] must have the same number of dimensions as the input of shape [2, 3]")
    }

    @Test("indexSelect with a negative index traps")
    func indexSelectNegativeTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>.zeros([4, 2]).indexSelect(axis: 0, index: Tensor([1, -1]))
        }
        expectTrapMessage(result, contains: "indexSelect: index -1 is out of bounds for dimension 0 with size 4")
    }

    @Test("indexAdd with a source of the wrong shape traps")
    func indexAddShapeTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>.zeros([4, 2]).indexAdd(axis: 0, index: Tensor([1, 2]), source: Tensor<Float>.zeros([3, 2]))
        }
        expectTrapMessage(result, contains: "indexAdd: source of shape [3, 2] does not fit 2 indices into shape [4, 2]")
    }
}
