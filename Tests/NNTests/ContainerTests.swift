import NN
import Tensor
import Testing

/// ModuleList, ModuleDict and weight tying: PyTorch's keys and parameter lists.
@Suite("Module containers and weight tying")
struct ContainerTests {
    /// A model holding a ModuleList under `h` and a ModuleDict under `heads`.
    final class Stack: Module<Double> {
        let h = ModuleList<Double, Linear<Double>>([Linear(2, 3, generator: Generator(seed: 1)), Linear(3, 2, bias: false, generator: Generator(seed: 2))])
        let heads = ModuleDict<Double>([("value", Linear(2, 1, generator: Generator(seed: 3))), ("norm", LayerNorm(2))])
    }

    @Test("ModuleList numbers its elements and ModuleDict names them, as PyTorch's keys")
    func keys() {
        let model = Stack()
        #expect(model.stateDict().keys == [
            "h.0.weight", "h.0.bias", "h.1.weight", "heads.value.weight", "heads.value.bias", "heads.norm.weight",
            "heads.norm.bias",
        ])
        #expect(model.h.count == 2 && model.h[1].outputSize == 2)
        #expect(model.heads.keys == ["value", "norm"])
        #expect(model.heads["norm"] is LayerNorm<Double> && model.heads["missing"] == nil)
        #expect(model.h.map(\.inputSize) == [2, 3])
    }

    @Test("a tied weight is one parameter, kept under both keys, and loads into both")
    func tying() throws {
        let embedding = Embedding<Double>(4, 3, generator: Generator(seed: 4))
        let head = Linear(weight: embedding.weight)
        let pair = ModuleDict<Double>([("wte", embedding), ("lm_head", head)])
        #expect(pair.parameters().count == 1)
        #expect(pair.namedParameters().map(\.name) == ["wte.weight"])
        #expect(pair.stateDict().keys == ["wte.weight", "lm_head.weight"])
        let replacement = Tensor<Double>.ones([4, 3])
        try pair.loadStateDict(StateDict([("wte.weight", replacement), ("lm_head.weight", replacement)]))
        #expect(head.weight.scalars == Array(repeating: 1, count: 12) && head.weight === embedding.weight)
        // Gradients from both uses add up in the one tensor.
        let x = head(embedding(Tensor<Int>([1, 2])))
        x.sum().backward()
        #expect(embedding.weight.grad != nil)
    }
}
