import Foundation
import Optim
import Tensor
import Testing

/// LinearLR, ConstantLR, MultiplicativeLR and PolynomialLR, alone and chained, against PyTorch's
/// learning rates (Golden/schedulers.json, 1e-12 relative).
@Suite("Warm-up and decay schedulers against PyTorch")
struct SchedulerGoldenTests {
    static let golden: [String: [[Double]]] = {
        struct File: Decodable { let cases: [String: [[Double]]] }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/schedulers.json")
        do {
            return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
        } catch {
            fatalError("cannot read \(url.path): \(error); run Golden/make_scheduler_golden.py")
        }
    }()

    @Test("learning rates match PyTorch step by step", arguments: golden.keys.sorted())
    func rates(name: String) throws {
        let expected = try #require(Self.golden[name])
        let optimizer = try SGD([0.1, 0.02].map { lr in ParameterGroupSpec([Tensor<Double>.zeros([1], requiresGrad: true)]) { $0.lr = lr } })
        let schedulers = try #require(try Self.schedulers(name, optimizer), "no Swift mirror of case \(name)")
        var actual = [optimizer.learningRates]
        for _ in 0..<12 {
            for scheduler in schedulers { scheduler.step() }
            actual.append(optimizer.learningRates)
        }
        #expect(worstRelativeError(actual.flatMap { $0 }, expected.flatMap { $0 }) < 1e-12, "\(name): \(actual) vs \(expected)")
    }

    /// The Swift spelling of each case of make_scheduler_golden.py.
    static func schedulers(_ name: String, _ o: SGD<Double>) throws -> [LRScheduler]? {
        switch name {
        case "linear": return [try LinearLR(o)]
        case "linear_options": return [try LinearLR(o, startFactor: 0.5, endFactor: 0.1, totalIters: 4)]
        case "constant": return [try ConstantLR(o)]
        case "constant_options": return [try ConstantLR(o, factor: 0.25, totalIters: 3)]
        case "multiplicative": return [MultiplicativeLR(o) { $0 % 2 == 1 ? 0.9 : 0.95 }]
        case "polynomial": return [PolynomialLR(o)]
        case "polynomial_power": return [PolynomialLR(o, totalIters: 7, power: 2.5)]
        case "linear_then_exponential": return [try LinearLR(o, startFactor: 0.2, totalIters: 3), ExponentialLR(o, gamma: 0.9)]
        case "constant_and_polynomial": return [try ConstantLR(o, factor: 0.5, totalIters: 2), PolynomialLR(o, totalIters: 6, power: 0.5)]
        default: return nil
        }
    }

    @Test("factors out of range are refused with PyTorch's wording")
    func invalidFactors() throws {
        let optimizer = try SGD([ParameterGroupSpec([Tensor<Double>.zeros([1], requiresGrad: true)]) { $0.lr = 0.1 }])
        #expect(throws: SchedulerError.self) { try LinearLR(optimizer, startFactor: 0) }
        #expect(throws: SchedulerError.self) { try ConstantLR(optimizer, factor: 1.5) }
    }
}
