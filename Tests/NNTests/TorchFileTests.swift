import Foundation
import NN
import Tensor
import Testing

/// Reading `.pt` files written by PyTorch (`Golden/Torch/make_torch_golden.py`).
@Suite struct TorchFileTests {
    struct ViewRecord: Decodable {
        let shape: [Int]
        let values: [Double]
        let strides: [Int]
        let offset: Int
    }

    struct Expected: Decodable {
        let dtypes: [String: GoldenTensor]
        let views: [String: ViewRecord]
        let nested: [String: GoldenTensor]
        let linear_f32: [String: GoldenTensor]
    }

    static let expected: Expected = Golden.load("Torch/expected.json")

    static func file(_ name: String) throws -> TorchFile {
        try TorchFile(contentsOf: Golden.url("Torch/" + name))
    }

    @Test func everyDType() throws {
        let value = try Self.file("dtypes.pt").value
        #expect(value.dictionary?.count == TorchDType.allCases.count)
        for dtype in TorchDType.allCases {
            let tensor = try #require(value[dtype.rawValue]?.tensor, "\(dtype)")
            #expect(tensor.dtype == dtype)
            let want = try #require(Self.expected.dtypes[dtype.rawValue])
            #expect(tensor.shape == want.shape)
            // Bit-exact: every value is representable in Double.
            #expect(tensor.doubles() == want.values, "\(dtype)")
        }
        // float32 elements convert to Float exactly, float64 to Float by rounding.
        let f32 = try #require(value["float32"]?.tensor)
        #expect(f32.values(as: Float.self) == Self.expected.dtypes["float32"]!.values.map { Float($0) })
        let f64 = try #require(value["float64"]?.tensor).tensor(as: Float.self)
        #expect(f64.scalars == Self.expected.dtypes["float64"]!.values.map { Float($0) })
    }

    @Test func viewsOffsetsStridesAndSharedStorage() throws {
        let value = try Self.file("views.pt").value
        for (name, want) in Self.expected.views {
            let tensor = try #require(value[name]?.tensor, "\(name)")
            #expect(tensor.shape == want.shape, "\(name)")
            #expect(tensor.strides == want.strides, "\(name)")
            #expect(tensor.storageOffset == want.offset, "\(name)")
            #expect(tensor.doubles() == want.values, "\(name)")
        }
        let transposed = try #require(value["transposed"]?.tensor)
        #expect(!transposed.isContiguous)
        #expect(value["scalar"]?.tensor?.shape == [])
        #expect(value["scalar"]?.tensor?.tensor(as: Double.self).item == 3.5)
        #expect(value["empty"]?.tensor?.doubles() == [])
        // One storage read once, shared by the three tensors that view it.
        let a = try #require(value["tied_a"]?.tensor), b = try #require(value["tied_b"]?.tensor)
        let view = try #require(value["tied_view"]?.tensor)
        #expect(a.storage === b.storage && a.storage === view.storage)
        #expect(view.storageOffset == 2)
        let parameter = try #require(value["parameter"]?.tensor)
        #expect(parameter.isParameter && parameter.requiresGrad)
        #expect(value["expanded"]?.tensor?.strides == [0, 1])
    }

    @Test func nestedCheckpointValues() throws {
        let value = try Self.file("nested.pt").value
        #expect(value["iter_num"]?.int == 5000)
        #expect(value["best_val_loss"]?.double == 1.25)
        #expect(value["big"]?.int == 1 << 40)
        #expect(value["negative"]?.int == -7)
        #expect(value["long_negative"]?.int == -(1 << 62))
        #expect(value["name"]?.string == "gpt \u{e9}\u{1F642}")
        guard case .bool(true)? = value["flag"], case .bool(false)? = value["off"], case .none? = value["nothing"] else {
            Issue.record("flag, off, nothing: \(String(describing: value["flag"])), \(String(describing: value["off"])), \(String(describing: value["nothing"]))")
            return
        }
        #expect(value.dictionary?[3]?.string == "int key")
        let config = try #require(value["config"])
        #expect(config["n_layer"]?.int == 2)
        guard case .tuple(let betas)? = config["betas"] else {
            Issue.record("betas is not a tuple")
            return
        }
        #expect(betas.map(\.double) == [0.9, 0.95])
        let items = try #require(config["items"]?.elements)
        #expect(items.count == 5)
        #expect(items[0].int == 1 && items[1].double == 2.5 && items[2].string == "x")
        #expect(items[4].elements?.first?.int == 1)
        #expect(config["empty"]?.dictionary?.count == 0)
        #expect(config["t"]?.elements?.isEmpty == true)
        // The state dict under "model".
        let stateDict = try StateDict<Double>(torch: value)
        #expect(stateDict.keys == ["weight", "bias"])
        for (key, want) in Self.expected.nested { expectClose(stateDict[key], want, relative: 0, absolute: 0, key) }
    }

    @Test func moduleLoadsPyTorchStateDict() throws {
        let model = Linear<Float>(3, 2)
        try model.load(from: Golden.url("Torch/linear_f32.pt"))
        for (key, want) in Self.expected.linear_f32 {
            let tensor = try #require(model.stateDict()[key])
            #expect(tensor.scalars == want.values.map { Float($0) }, "\(key)")
        }
        // Into a Double model: exact widening.
        let double = Linear<Double>(3, 2)
        try double.load(from: Golden.url("Torch/linear_f32.pt"))
        #expect(double.stateDict()["weight"]?.scalars == Self.expected.linear_f32["weight"]!.values)
        // Only the state dict under "model" of a checkpoint dict.
        let nested = Linear<Double>(2, 2)
        try nested.load(from: Golden.url("Torch/nested.pt"))
        #expect(nested.stateDict()["bias"]?.scalars == Self.expected.nested["bias"]!.values)
    }

    @Test func shapeMismatchNamesTheKey() throws {
        let model = Linear<Float>(4, 2)
        #expect {
            try model.load(from: Golden.url("Torch/linear_f32.pt"))
        } throws: { error in
            guard case CheckpointError.stateDict(let report) = error else { return false }
            return report.shapeMismatches.map(\.key) == ["weight"]
        }
    }
}
