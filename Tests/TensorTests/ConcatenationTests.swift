import Testing
import Tensor

/// cat, stack, split, chunk, narrow, select and unbind beyond their PyTorch golden values:
/// element types, gradient routing, graph names and the traps for misuse.
@Suite("Concatenation and splitting")
struct ConcatenationTests {
    @Test("cat and stack work for integer and boolean tensors")
    func nonFloatingElements() {
        let a = Tensor<Int>([[1, 2], [3, 4]]), b = Tensor<Int>([[5, 6]])
        #expect(Tensor.cat([a, b]).scalars == [1, 2, 3, 4, 5, 6])
        #expect(Tensor.cat([a, a], axis: 1).scalars == [1, 2, 1, 2, 3, 4, 3, 4])
        let masks = Tensor.stack([Tensor<Bool>([true, false]), Tensor<Bool>([false, false])], axis: 1)
        #expect(masks.shape == [2, 2])
        #expect(masks.scalars == [true, false, false, false])
        #expect(Tensor<Int32>(shape: [4], scalars: [1, 2, 3, 4]).split(size: 3).map(\.scalars) == [[1, 2, 3], [4]])
    }

    @Test("each cat input receives its own slice of the gradient, repeated inputs accumulate")
    func catGradientRouting() {
        let a = Tensor<Double>([1, 2], requiresGrad: true), b = Tensor<Double>([3], requiresGrad: true)
        let y = Tensor.cat([a, b, a])
        #expect(y.gradFnName == "CatBackward")
        y.backward(gradient: Tensor([10, 20, 30, 40, 50]))
        #expect(a.grad?.scalars == [50, 70])
        #expect(b.grad?.scalars == [30])
    }

    @Test("an input that does not require grad gets none")
    func catMixedRequiresGrad() {
        let a = Tensor<Double>([1, 2], requiresGrad: true), constant = Tensor<Double>([3, 4])
        (Tensor.stack([a, constant]) * 2).sum().backward()
        #expect(a.grad?.scalars == [2, 2])
        #expect(constant.grad == nil)
    }

    @Test("split and chunk piece sizes follow PyTorch")
    func pieceSizes() {
        let x = Tensor<Double>.arange(0, 10).reshape(5, 2)
        #expect(x.split(size: 2).map(\.shape) == [[2, 2], [2, 2], [1, 2]])
        #expect(x.split(sizes: [0, 5]).map(\.shape) == [[0, 2], [5, 2]])
        // torch.arange(5).chunk(4) gives 3 chunks: ceil(5 / 4) = 2 per chunk.
        #expect(x.chunk(4).map(\.shape) == [[2, 2], [2, 2], [1, 2]])
        #expect(x.chunk(2, axis: 1).map(\.scalars) == [[0, 2, 4, 6, 8], [1, 3, 5, 7, 9]])
        #expect(x.split(size: 1, axis: 1)[1].gradFnName == nil)
        let w = x.requiringGrad()
        #expect(w.split(size: 2)[0].gradFnName == "SplitBackward")
        #expect(w.split(sizes: [2, 3])[1].gradFnName == "SplitWithSizesBackward")
        #expect(w.narrow(axis: 0, start: 1, length: 2).gradFnName == "NarrowBackward")
        #expect(w.unbind()[4].gradFnName == "SelectBackward")
    }

    @Test("pieces are copies: writing into one leaves the source alone")
    func piecesAreCopies() {
        let x = Tensor<Float>([1, 2, 3, 4])
        let pieces = x.chunk(2)
        pieces[0].withUnsafeMutableBufferPointer { $0[0] = 100 }
        #expect(x.scalars == [1, 2, 3, 4])
        #expect(!pieces[0].sharesStorage(with: x))
    }

    @Test("cat of tensors with mismatched shapes traps naming both shapes")
    func catMismatchTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.cat([Tensor<Float>.zeros([2, 3]), Tensor<Float>.zeros([2, 4])])
        }
        expectTrapMessage(result, contains: "cat: sizes of tensors must match except in dimension 0; tensor 0 has shape [2, 3] but tensor 1 has shape [2, 4]")
    }

    @Test("stack of unequal shapes traps")
    func stackMismatchTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.stack([Tensor<Float>.zeros([2]), Tensor<Float>.zeros([3])])
        }
        expectTrapMessage(result, contains: "stack: expected each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1")
    }

    @Test("split sizes that do not add up trap")
    func splitSizesTrap() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>.zeros([3, 2]).split(sizes: [1, 1])
        }
        expectTrapMessage(result, contains: "split: sizes [1, 1] do not sum to 3")
    }

    @Test("narrow beyond the dimension traps")
    func narrowTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>.zeros([2, 4]).narrow(axis: 1, start: 2, length: 3)
        }
        expectTrapMessage(result, contains: "narrow: start 2 and length 3 exceed dimension 1 of size 4")
    }
}
