import Foundation
import NN
import Tensor
import Testing

/// `packed.json`, written by `make_packed_golden.py` with PyTorch 2.15.
struct PackedGolden: Decodable, Sendable {
    /// pack_padded_sequence then pad_packed_sequence on a padded batch.
    struct Utility: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let batchFirst: Bool
        let enforceSorted: Bool
        let paddingValue: Double
        let totalLength: Int?
        let lengths: [Int]
        let input: GoldenTensor
        let data: GoldenTensor
        let batchSizes: GoldenTensor
        let sortedIndices: GoldenTensor?
        let unsortedIndices: GoldenTensor?
        let padded: GoldenTensor
        let paddedLengths: GoldenTensor
        let upstream: GoldenTensor
        let inputGrad: GoldenTensor
        var testDescription: String { name }
    }

    /// pad_sequence, pack_sequence, unpack_sequence and unpad_sequence (right padding only) on a
    /// list of sequences.
    struct Sequences: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let lengths: [Int]
        let batchFirst: Bool
        let paddingValue: Double
        let paddingSide: String
        let enforceSorted: Bool
        let sequences: [GoldenTensor]
        let padded: GoldenTensor
        let data: GoldenTensor
        let batchSizes: GoldenTensor
        let sortedIndices: GoldenTensor?
        let unpacked: [GoldenTensor]
        let unpadded: [GoldenTensor]
        let upstream: GoldenTensor
        let upstreamData: GoldenTensor
        let upstreamUnpacked: [GoldenTensor]
        let upstreamUnpadded: [GoldenTensor]
        let grads: [GoldenTensor]
        var testDescription: String { name }
    }

    /// A recurrent network run on pack_padded_sequence(input, lengths).
    struct Network: Decodable, Sendable, CustomTestStringConvertible {
        struct Packed: Decodable, Sendable {
            let data: GoldenTensor
            let batchSizes: GoldenTensor
        }

        let name: String
        let kind: String
        let nonlinearity: String
        let input: Int
        let hidden: Int
        let layers: Int
        let bias: Bool
        let bidirectional: Bool
        let batchFirst: Bool
        let projection: Int
        let lengths: [Int]
        let enforceSorted: Bool
        let keys: [String]
        let params: [String: GoldenTensor]
        let inputs: [String: GoldenTensor]
        let packedOutput: Packed
        let outputLengths: GoldenTensor
        let outputs: [String: GoldenTensor]
        let upstream: [String: GoldenTensor]
        let grads: [String: GoldenTensor]
        var testDescription: String { name }
    }

    let utils: [Utility]
    let sequences: [Sequences]
    let networks: [Network]

    static let file = Golden.load("packed.json", as: PackedGolden.self)
}

/// Expects an integer tensor to equal a golden one.
private func expectEqual(_ actual: Tensor<Int>?, _ expected: GoldenTensor?, _ label: String) {
    #expect(actual?.shape == expected?.shape, "\(label) shape")
    #expect(actual?.scalars.map(Double.init) == expected?.values, "\(label)")
}

/// The recurrent network of a golden case, in `Scalar`, with PyTorch's weights loaded.
private func network<Scalar: TensorFloatingPoint>(
    _ c: PackedGolden.Network, _ convert: (GoldenTensor) -> Tensor<Scalar>
) throws -> RNNBase<Scalar> {
    let module: RNNBase<Scalar>
    switch c.kind {
    case "rnn":
        module = RNN<Scalar>(
            c.input, c.hidden, numLayers: c.layers, nonlinearity: c.nonlinearity == "relu" ? .relu : .tanh, bias: c.bias,
            batchFirst: c.batchFirst, bidirectional: c.bidirectional)
    case "lstm":
        module = LSTM<Scalar>(
            c.input, c.hidden, numLayers: c.layers, bias: c.bias, batchFirst: c.batchFirst, bidirectional: c.bidirectional,
            projectionSize: c.projection)
    default:
        module = GRU<Scalar>(
            c.input, c.hidden, numLayers: c.layers, bias: c.bias, batchFirst: c.batchFirst, bidirectional: c.bidirectional)
    }
    var state = StateDict<Scalar>()
    for (key, value) in c.params { state[key] = convert(value) }
    try module.loadStateDict(state)
    #expect(module.namedParameters().map(\.name) == c.keys, "PyTorch's keys in PyTorch's order")
    return module
}

/// Packs the case's input, runs `module` on it and pads the output back.
///
/// - Returns: the padded output and final states by PyTorch's names (`output`, `h_n`, `c_n`),
///   the packed output, and the padded lengths.
private func runPacked<Scalar: TensorFloatingPoint>(
    _ c: PackedGolden.Network, _ module: RNNBase<Scalar>, leaves: [String: Tensor<Scalar>]
) -> (results: [String: Tensor<Scalar>], packed: PackedSequence<Scalar>, lengths: Tensor<Int>) {
    let packed = packPaddedSequence(
        leaves["input"]!, lengths: c.lengths, batchFirst: c.batchFirst, enforceSorted: c.enforceSorted)
    var results: [String: Tensor<Scalar>] = [:]
    let output: PackedSequence<Scalar>
    switch module {
    case let lstm as LSTM<Scalar>:
        let state = leaves["h0"].map { ($0, leaves["c0"]!) }
        let (out, (h, cell)) = lstm(packed, state)
        (output, results["h_n"], results["c_n"]) = (out, h, cell)
    case let rnn as RNN<Scalar>:
        let (out, h) = rnn(packed, leaves["h0"])
        (output, results["h_n"]) = (out, h)
    case let gru as GRU<Scalar>:
        let (out, h) = gru(packed, leaves["h0"])
        (output, results["h_n"]) = (out, h)
    default:
        fatalError("unexpected module \(module)")
    }
    let (padded, lengths) = padPackedSequence(output, batchFirst: c.batchFirst)
    results["output"] = padded
    return (results, output, lengths)
}

@Suite("Packed sequences against PyTorch")
struct PackedSequenceGoldenTests {
    @Test("packPaddedSequence and padPackedSequence (float64, 1e-9)", arguments: PackedGolden.file.utils)
    func packAndPad(_ c: PackedGolden.Utility) {
        let input = c.input.double.requiringGrad()
        let packed = packPaddedSequence(input, lengths: c.lengths, batchFirst: c.batchFirst, enforceSorted: c.enforceSorted)
        expectClose(packed.data, c.data, "\(c.name) data")
        expectEqual(packed.batchSizes, c.batchSizes, "\(c.name) batchSizes")
        expectEqual(packed.sortedIndices, c.sortedIndices, "\(c.name) sortedIndices")
        expectEqual(packed.unsortedIndices, c.unsortedIndices, "\(c.name) unsortedIndices")
        let (padded, lengths) = padPackedSequence(
            packed, batchFirst: c.batchFirst, paddingValue: c.paddingValue, totalLength: c.totalLength)
        expectClose(padded, c.padded, "\(c.name) padded")
        expectEqual(lengths, c.paddedLengths, "\(c.name) lengths")
        (padded * c.upstream.double).sum().backward()
        expectClose(input.grad, c.inputGrad, "\(c.name) input gradient")
    }

    @Test("padSequence, packSequence, unpackSequence, unpadSequence (float64, 1e-9)", arguments: PackedGolden.file.sequences)
    func sequences(_ c: PackedGolden.Sequences) {
        let sequences = c.sequences.map { $0.double.requiringGrad() }
        let padded = padSequence(
            sequences, batchFirst: c.batchFirst, paddingValue: c.paddingValue,
            paddingSide: c.paddingSide == "left" ? .left : .right)
        expectClose(padded, c.padded, "\(c.name) padded")
        let packed = packSequence(sequences, enforceSorted: c.enforceSorted)
        expectClose(packed.data, c.data, "\(c.name) data")
        expectEqual(packed.batchSizes, c.batchSizes, "\(c.name) batchSizes")
        expectEqual(packed.sortedIndices, c.sortedIndices, "\(c.name) sortedIndices")
        let unpacked = unpackSequence(packed)
        let unpadded = c.paddingSide == "right" ? unpadSequence(padded, lengths: c.lengths, batchFirst: c.batchFirst) : []
        #expect(unpacked.count == c.unpacked.count && unpadded.count == c.unpadded.count)
        var loss = (padded * c.upstream.double).sum() + (packed.data * c.upstreamData.double).sum()
        for (i, sequence) in unpacked.enumerated() {
            expectClose(sequence, c.unpacked[i], "\(c.name) unpacked \(i)")
            loss = loss + (sequence * c.upstreamUnpacked[i].double).sum()
        }
        for (i, sequence) in unpadded.enumerated() {
            expectClose(sequence, c.unpadded[i], "\(c.name) unpadded \(i)")
            loss = loss + (sequence * c.upstreamUnpadded[i].double).sum()
        }
        loss.backward()
        for (i, sequence) in sequences.enumerated() {
            expectClose(sequence.grad, c.grads[i], "\(c.name) gradient of sequence \(i)")
        }
    }

    @Test("RNN, LSTM and GRU on packed input (float64, 1e-9)", arguments: PackedGolden.file.networks)
    func networksDouble(_ c: PackedGolden.Network) throws {
        let module = try network(c) { $0.double }
        let leaves = c.inputs.mapValues { $0.double.requiringGrad() }
        let (results, packed, lengths) = runPacked(c, module, leaves: leaves)
        expectClose(packed.data, c.packedOutput.data, "\(c.name) packed output")
        expectEqual(packed.batchSizes, c.packedOutput.batchSizes, "\(c.name) batchSizes")
        expectEqual(lengths, c.outputLengths, "\(c.name) lengths")
        #expect(Set(results.keys) == Set(c.outputs.keys))
        var loss = Tensor<Double>(scalar: 0)
        for (key, expected) in c.outputs {
            expectClose(results[key], expected, "\(c.name) \(key)")
            loss = loss + (results[key]! * c.upstream[key]!.double).sum()
        }
        loss.backward()
        for (key, parameter) in module.namedParameters() {
            expectClose(parameter.grad, c.grads[key]!, "\(c.name) grad \(key)")
        }
        for (key, leaf) in leaves {
            expectClose(leaf.grad, c.grads[key]!, "\(c.name) grad \(key)")
        }
    }

    @Test("RNN, LSTM and GRU on packed input (float32, 1e-5)", arguments: PackedGolden.file.networks)
    func networksFloat(_ c: PackedGolden.Network) throws {
        let module = try network(c) { $0.float }
        let leaves = c.inputs.mapValues { $0.float.requiringGrad() }
        let (results, _, _) = runPacked(c, module, leaves: leaves)
        var loss = Tensor<Float>(scalar: 0)
        for (key, expected) in c.outputs {
            expectClose(results[key].map { $0.converted(to: Double.self) }, expected, relative: 1e-5, absolute: 1e-5, "\(c.name) \(key)")
            loss = loss + (results[key]! * c.upstream[key]!.float).sum()
        }
        loss.backward()
        for (key, parameter) in module.namedParameters() {
            expectClose(parameter.grad.map { $0.converted(to: Double.self) }, c.grads[key]!, relative: 1e-5, absolute: 1e-5, "\(c.name) grad \(key)")
        }
        for (key, leaf) in leaves {
            expectClose(leaf.grad.map { $0.converted(to: Double.self) }, c.grads[key]!, relative: 1e-5, absolute: 1e-5, "\(c.name) grad \(key)")
        }
    }
}
