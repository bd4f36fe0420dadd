import Foundation
import Testing
import Tensor

/// `randint` against PyTorch's CPU generator (Golden/randint_golden.json, make_randint_golden.py).
@Suite("randint matches PyTorch")
struct RandomIntegerTests {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        struct Call: Decodable, Sendable {
            let low: Int
            let high: Int
            let count: Int
        }
        let seed: UInt64
        let calls: [Call]
        let values: [[Int]]

        var testDescription: String { "seed \(seed): \(calls.map { "[\($0.low), \($0.high)) x \($0.count)" })" }

        static let all: [Case] = {
            struct File: Decodable { let cases: [Case] }
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("Golden/randint_golden.json")
            do {
                return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
            } catch {
                fatalError("cannot read randint_golden.json: \(error)")
            }
        }()
    }

    @Test("successive torch.randint(low, high, (n,), generator=g) calls, value for value", arguments: Case.all)
    func successiveCalls(golden: Case) {
        let generator = Generator(seed: golden.seed)
        for (call, expected) in zip(golden.calls, golden.values) {
            let drawn = Tensor<Int>.randint(call.low, call.high, [call.count], generator: generator)
            #expect(drawn.shape == [call.count])
            #expect(drawn.scalars == expected, "[\(call.low), \(call.high)) x \(call.count)")
        }
    }

    @Test("shapes and the default low of 0")
    func shapes() {
        let x = Tensor<Int>.randint(10, [2, 3], generator: Generator(seed: 1))
        #expect(x.shape == [2, 3])
        #expect(x.scalars.allSatisfy { (0..<10).contains($0) })
        #expect(Tensor<Int>.randint(4, [0], generator: Generator(seed: 1)).count == 0)
    }
}
