import Testing
import Tensor

/// The subscript (`x[0]`, `x[1..<3]`, `x[.all, -1]`) beyond its PyTorch golden values:
/// index forms, writes, graph names and traps.
@Suite("Indexing")
struct IndexingTests {
    let x = Tensor<Double>.arange(0, 24).reshape(2, 3, 4)

    @Test("every spelling of a range selects what Python's slice does")
    func rangeForms() {
        let v = Tensor<Double>.arange(0, 6)
        #expect(v[1..<3].scalars == [1, 2])
        #expect(v[1...3].scalars == [1, 2, 3])
        #expect(v[(-3)...(-1)].scalars == [3, 4, 5])
        #expect(v[(-3)...(-2)].scalars == [3, 4])
        #expect(v[4...].scalars == [4, 5])
        #expect(v[..<2].scalars == [0, 1])
        #expect(v[...(-1)].scalars == [0, 1, 2, 3, 4, 5])
        #expect(v[...1].scalars == [0, 1])
        #expect(v[.slice(1, -1, step: 2)].scalars == [1, 3])
        #expect(v[.slice(step: 4)].scalars == [0, 4])
        #expect(v[.all].scalars == v.scalars)
        #expect(v[].shape == [6])
        #expect(v[-1].shape == [])
        #expect(v[-1].item == 5)
    }

    @Test("integers remove dimensions, slices keep them, newAxis adds one")
    func resultShapes() {
        #expect(x[1].shape == [3, 4])
        #expect(x[1, 2].shape == [4])
        #expect(x[.all, 2].shape == [2, 4])
        #expect(x[.ellipsis, 3].shape == [2, 3])
        #expect(x[0, .ellipsis, 3].shape == [3])
        #expect(x[.newAxis, .all, .newAxis].shape == [1, 2, 1, 3, 4])
        #expect(x[.ellipsis, .newAxis].shape == [2, 3, 4, 1])
        #expect(x[1, 1..<3, .slice(step: 3)].scalars == [16, 19, 20, 23])
        #expect(x[.slice(5, 9)].shape == [0, 3, 4])
    }

    @Test("indices built at run time use the array form")
    func arrayForm() {
        let indices: [TensorIndex] = [1, .all, .slice(-2)]
        #expect(x[indices: indices].scalars == x[1, .all, (-2)...].scalars)
        #expect(x[indices: indices].shape == [3, 2])
    }

    @Test("reading is recorded as SelectBackward or SliceBackward and scatters the gradient back")
    func backwardScatters() {
        let w = Tensor<Double>([[1, 2, 3], [4, 5, 6]], requiresGrad: true)
        let row = w[1]
        #expect(row.gradFnName == "SelectBackward")
        #expect(w[.all, 1...].gradFnName == "SliceBackward")
        (row * 2).sum().backward()
        #expect(w.grad?.scalars == [0, 0, 0, 2, 2, 2])
    }

    @Test("writing through the subscript broadcasts the value into the selection")
    func assignment() {
        let m = Tensor<Float>.zeros([2, 3])
        m[0] = Tensor([1, 2, 3])
        m[.all, 2] = Tensor(scalar: 9)
        m[1, ..<2] = Tensor([[7, 8]])
        #expect(m.scalars == [1, 2, 9, 7, 8, 9])
        let mask = Tensor<Bool>.zeros([3])
        mask[1] = Tensor(scalar: true)
        #expect(mask.scalars == [false, true, false])
    }

    @Test("a tensor can be written from its own elements")
    func selfAssignment() {
        let v = Tensor<Double>([1, 2, 3, 4])
        v[1...] = v[..<3]
        #expect(v.scalars == [1, 1, 2, 3])
        v[.all] = v.detach() * 2
        #expect(v.scalars == [2, 2, 4, 6])
    }

    @Test("a parameter may be written inside withNoGrad, as in PyTorch")
    func assignmentUnderNoGrad() {
        let w = Tensor<Double>([1, 2, 3], requiresGrad: true)
        withNoGrad { w[0] = Tensor(scalar: 10) }
        #expect(w.scalars == [10, 2, 3])
        #expect(w.requiresGrad)
    }

    @Test("reading returns a copy, not a view")
    func readIsCopy() {
        let row = x[0]
        row.withUnsafeMutableBufferPointer { $0[0] = -1 }
        #expect(x.scalars[0] == 0)
    }

    @Test("an integer out of range traps naming the index, dimension and size")
    func outOfRangeTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>.zeros([2, 3])[.all, -4]
        }
        expectTrapMessage(result, contains: "index: index -4 is out of bounds for dimension 1 with size 3 (shape [2, 3])")
    }

    @Test("more indices than dimensions trap")
    func tooManyIndicesTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>.zeros([2])[0, 0]
        }
        expectTrapMessage(result, contains: "index: too many indices for tensor of dimension 1")
    }

    @Test("a non-positive slice step traps")
    func stepTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>.zeros([4])[.slice(step: 0)]
        }
        expectTrapMessage(result, contains: "index: slice step must be positive, got 0")
    }

    @Test("writing into a tensor that requires grad traps outside withNoGrad")
    func assignmentRequiringGradTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let w = Tensor<Double>([1, 2], requiresGrad: true)
            w[0] = Tensor(scalar: 5)
        }
        expectTrapMessage(result, contains: "index assignment: a tensor that requires grad cannot be written in place")
    }

    @Test("a value that does not broadcast to the selection traps")
    func assignmentShapeTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let m = Tensor<Float>.zeros([2, 3])
            m[0] = Tensor([1, 2])
        }
        expectTrapMessage(result, contains: "index assignment: shape [2] cannot be expanded to [3]")
    }
}
