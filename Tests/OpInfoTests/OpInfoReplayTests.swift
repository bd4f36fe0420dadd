import Foundation
import Tensor
import Testing

/// Replays every case of `Golden/opinfo.json` (written by `make_opinfo_golden.py` from PyTorch
/// 2.15: random shapes incl. size 1, empty and 0-d, broadcasting, options and edge values) in
/// `Double` against PyTorch's float64 results to 1e-9 and in `Float` against its float32 ones
/// to 1e-4 (relative above 1): outputs, and the gradients of every input.
@Suite("OpInfo: randomized cases against PyTorch")
struct OpInfoReplayTests {
    static let golden = Result {
        try OpInfoCase.load(
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/opinfo.json"))
    }

    @Test("every case agrees with PyTorch in Double to 1e-9")
    func double() throws {
        try Self.replayAll(Double.self, tolerance: 1e-9)
    }

    @Test("every case agrees with PyTorch in Float to 1e-4")
    func float() throws {
        try Self.replayAll(Float.self, tolerance: 1e-4)
    }

    @Test("the golden file covers every op family with hundreds of cases")
    func coverage() throws {
        let (version, cases) = try Self.golden.get()
        #expect(version == "2.15.0")
        let counts = Dictionary(grouping: cases, by: \.op).mapValues(\.count)
        #expect(counts.count >= 60, "ops: \(counts.keys.sorted())")
        #expect(cases.count >= 3000)
        for op in ["clampTensor", "recurrent", "recurrentCell", "crossEntropy", "optimizer", "schedulers", "clipGradNorm"] {
            #expect(counts[op, default: 0] >= 50, "\(op)")
        }
    }

    static func replayAll<S: TensorFloatingPoint>(_: S.Type, tolerance: Double) throws {
        let (_, cases) = try golden.get()
        var failures: [String: [String]] = [:]
        // A case that traps ends the test process: OPINFO_TRACE=1 names each case before it runs.
        let trace = ProcessInfo.processInfo.environment["OPINFO_TRACE"] != nil
        for c in cases {
            if trace { FileHandle.standardError.write(Data("opinfo case \(c.number) \(c.op) \(S.self)\n".utf8)) }
            let problems = try replay(c, S.self, tolerance: tolerance)
            if !problems.isEmpty { failures[c.op, default: []].append("case \(c.number): " + problems.joined(separator: "; ")) }
        }
        for (op, list) in failures.sorted(by: { $0.key < $1.key }) {
            let total = cases.filter { $0.op == op }.count
            let examples = list.prefix(3).joined(separator: "\n")
            Issue.record("\(op): \(list.count) of \(total) cases differ from PyTorch, e.g.\n\(examples)")
        }
    }

    /// The upstream gradient weight of element `j` of output `k` (as in the generator).
    static func weight(_ j: Int, _ k: Int) -> Double { 0.5 + Double((7 * j + 3 * k) % 11) / 8 }

    /// The differences between this library and PyTorch on one case, empty if none.
    static func replay<S: TensorFloatingPoint>(_ c: OpInfoCase, _: S.Type, tolerance: Double) throws -> [String] {
        let x = c.inputs.enumerated().map { k, t in t.tensor(S.self).requiringGrad(!c.constants.contains(k)) }
        let replay = try OpInfoReplay.run(c, x, c.integerInputs.map(\.integers))
        let isFloat = S.self == Float.self
        let expectedOutputs = isFloat ? (c.outputs32 ?? c.outputs) : c.outputs
        var problems: [String] = []
        guard replay.outputs.count == expectedOutputs.count else {
            return ["\(replay.outputs.count) outputs, PyTorch has \(expectedOutputs.count)"]
        }
        var loss: Tensor<S>?
        for (k, (output, expected)) in zip(replay.outputs, expectedOutputs).enumerated() {
            switch output {
            case .float(let tensor):
                problems += compare(tensor.shape, tensor.scalars.map { $0.doubleValue }, expected, "output \(k)", tolerance)
                if tensor.requiresGrad {
                    let weights = Tensor(shape: tensor.shape, scalars: (0..<tensor.count).map { S(weight($0, k)) })
                    let term = (tensor * weights).sum()
                    loss = loss.map { $0 + term } ?? term
                }
            case .integer(let tensor):
                problems += compare(tensor.shape, tensor.scalars.map(Double.init), expected, "output \(k)", 0)
            case .doubles(let shape, let values):
                problems += compare(shape, values, c.outputs[k], "output \(k)", 1e-12)
            }
        }
        guard let expectedGradients = isFloat ? (c.gradients32 ?? c.gradients) : c.gradients else { return problems }
        loss?.backward()
        let differentiated = replay.differentiated ?? x
        for (k, (tensor, expected)) in zip(differentiated, expectedGradients).enumerated() {
            let gradient = tensor.grad?.scalars.map { $0.doubleValue }
            switch (gradient, expected) {
            case (nil, nil): break
            case (let gradient?, nil):
                if gradient.contains(where: { $0 != 0 }) { problems.append("input \(k) has a gradient, PyTorch none") }
            case (nil, let expected?):
                if expected.values.contains(where: { $0 != 0 }) { problems.append("input \(k): no gradient") }
            case (let gradient?, let expected?):
                problems += compare(tensor.shape, gradient, expected, "gradient \(k)", tolerance)
            }
        }
        return problems
    }

    /// Differences between `values` of `shape` and `expected`: |a − b| ≤ tolerance · max(1, |b|),
    /// NaN only where NaN, infinities exact.
    static func compare(_ shape: [Int], _ values: [Double], _ expected: GoldenTensor, _ what: String, _ tolerance: Double)
        -> [String]
    {
        guard shape == expected.shape else { return ["\(what): shape \(shape), PyTorch \(expected.shape)"] }
        for (index, (a, b)) in zip(values, expected.values).enumerated() {
            let agrees =
                a.isNaN || b.isNaN ? a.isNaN && b.isNaN
                : a.isInfinite || b.isInfinite ? a == b : Swift.abs(a - b) <= tolerance * Swift.max(1, Swift.abs(b))
            if !agrees {
                let shown = values.count <= 8 ? " (\(values) vs \(expected.values))" : ""
                return ["\(what)[\(index)] = \(a), PyTorch \(b)\(shown)"]
            }
        }
        return []
    }
}
