import NN
import Tensor
import Testing

@Suite("State dicts: PyTorch's load_state_dict semantics")
struct StateDictTests {
    private func model(seed: UInt64) -> TorchTrainCharRNN<Double> {
        TorchTrainCharRNN(vocabulary: 5, hidden: 4, layers: 1, bias: true, nonlinearity: .tanh, generator: Generator(seed: seed))
    }

    @Test("stateDict shares storage with the parameters; copied() does not")
    func sharing() {
        let m = model(seed: 1)
        let state = m.stateDict()
        #expect(state["fc.weight"]!.sharesStorage(with: m.fc.weight))
        #expect(!state["fc.weight"]!.requiresGrad)
        #expect(!state.copied()["fc.weight"]!.sharesStorage(with: m.fc.weight))
    }

    @Test("loading copies values into the same parameter tensors")
    func load() throws {
        let source = model(seed: 1), target = model(seed: 2)
        let weight = target.fc.weight
        let result = try target.loadStateDict(source.stateDict())
        #expect(result == IncompatibleKeys(missingKeys: [], unexpectedKeys: []))
        #expect(target.fc.weight === weight)
        for ((_, a), (_, b)) in zip(source.stateDict(), target.stateDict()) { #expect(a.scalars == b.scalars) }
    }

    @Test("strict loading reports every missing key, unexpected key and shape mismatch, and changes nothing")
    func strictErrors() {
        let target = model(seed: 2)
        let before = target.stateDict().copied()
        var state = model(seed: 1).stateDict()
        state["fc.bias"] = nil
        state["fc.scale"] = Tensor<Double>([1])
        state["rnn.weight_hh_l0"] = Tensor<Double>.zeros([4, 5])
        do {
            try target.loadStateDict(state)
            Issue.record("loading succeeded")
        } catch {
            #expect(
                error == StateDictError(
                    moduleName: "TorchTrainCharRNN<Double>", missingKeys: ["fc.bias"], unexpectedKeys: ["fc.scale"],
                    shapeMismatches: [.init(key: "rnn.weight_hh_l0", found: [4, 5], expected: [4, 4])]))
            #expect(
                error.description == """
                    Error(s) in loading state_dict for TorchTrainCharRNN<Double>:
                    \tMissing key(s) in state_dict: "fc.bias".
                    \tUnexpected key(s) in state_dict: "fc.scale".
                    \tsize mismatch for rnn.weight_hh_l0: copying a param with shape [4, 5] from checkpoint, the shape in current model is [4, 4].
                    """)
        }
        for ((_, a), (_, b)) in zip(before, target.stateDict()) { #expect(a.scalars == b.scalars) }
    }

    @Test("non-strict loading skips and returns missing and unexpected keys, but not shape mismatches")
    func nonStrict() throws {
        let source = model(seed: 1), target = model(seed: 2)
        var state = source.stateDict()
        state["fc.bias"] = nil
        state["extra"] = Tensor<Double>([1])
        let oldBias = target.fc.bias!.scalars
        let result = try target.loadStateDict(state, strict: false)
        #expect(result == IncompatibleKeys(missingKeys: ["fc.bias"], unexpectedKeys: ["extra"]))
        #expect(target.fc.bias!.scalars == oldBias)
        #expect(target.fc.weight.scalars == source.fc.weight.scalars)
        state["fc.weight"] = Tensor<Double>.zeros([1])
        do {
            try target.loadStateDict(state, strict: false)
            Issue.record("loading succeeded")
        } catch {
            #expect(error.shapeMismatches.map(\.key) == ["fc.weight"] && error.missingKeys.isEmpty)
        }
    }

    @Test("a Float state dict converts to load into a Double model")
    func conversion() throws {
        let source = TorchTrainCharRNN<Float>(vocabulary: 5, hidden: 4, layers: 1, bias: true, nonlinearity: .tanh)
        let target = model(seed: 3)
        try target.loadStateDict(source.stateDict().converted(to: Double.self))
        #expect(target.fc.weight.scalars == source.fc.weight.scalars.map(Double.init))
    }

    @Test("StateDict keeps insertion order; removing and re-adding moves a key to the end")
    func ordering() {
        var state: StateDict<Float> = ["b": Tensor([1]), "a": Tensor([2])]
        state["c"] = Tensor([3])
        state["b"] = Tensor([4])
        #expect(state.keys == ["b", "a", "c"])
        state["b"] = nil
        state["b"] = Tensor([5])
        #expect(state.keys == ["a", "c", "b"])
        #expect(state.map(\.value.item) == [2, 3, 5])
        #expect(state.count == 3)
    }
}
