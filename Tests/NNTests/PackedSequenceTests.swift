import Foundation
import NN
import Tensor
import Testing

@Suite("Packed sequences: gradient checks and misuse")
struct PackedSequenceTests {
    @Test("pack then pad is gradient-checked in Double, sorted and unsorted")
    func packPadGradient() {
        for (batchFirst, enforceSorted, lengths) in [(false, true, [3, 2, 2]), (true, false, [1, 3, 2])] {
            let report = gradientCheck(of: { x in
                let packed = packPaddedSequence(x[0], lengths: lengths, batchFirst: batchFirst, enforceSorted: enforceSorted)
                return padPackedSequence(packed, batchFirst: batchFirst, paddingValue: 0.5, totalLength: 4).padded
            }, at: [sample([3, 3, 2], seed: 1)])
            #expect(report.passed, "\(report)")
        }
    }

    @Test("padSequence, packSequence, unpadSequence and unpackSequence are gradient-checked in Double")
    func sequenceGradient() {
        let sequences = [sample([2, 2], seed: 2), sample([3, 2], seed: 3), sample([1, 2], seed: 4)]
        let report = gradientCheck(of: { x in
            let packed = packSequence(x, enforceSorted: false)
            let unpadded = unpadSequence(padSequence(x, batchFirst: true), lengths: [2, 3, 1], batchFirst: true)
            let pieces = [padSequence(x, paddingSide: .left), packed.data] + unpackSequence(packed) + unpadded
            return Tensor.cat(pieces.map { $0.reshape([-1]) })
        }, at: sequences)
        #expect(report.passed, "\(report)")
    }

    @Test("a bidirectional two-layer LSTM on packed input is gradient-checked in Double")
    func packedLSTMGradient() {
        let lstm = LSTM<Double>(2, 2, numLayers: 2, bidirectional: true, generator: Generator(seed: 7))
        let report = gradientCheck(module: lstm, inputs: [sample([3, 3, 2], seed: 8), sample([4, 3, 2], seed: 9)]) { x in
            let packed = packPaddedSequence(x[0], lengths: [2, 3, 1], batchFirst: true, enforceSorted: false)
            let (output, (h, _)) = lstm(packed, (x[1], Tensor.zeros([4, 3, 2])))
            return Tensor.cat([output.data.reshape([-1]), h.reshape([-1])])
        }
        #expect(report.passed, "\(report)")
    }

    @Test("with every length full, a packed GRU equals the dense one; under withNoGrad too")
    func packedMatchesDense() {
        let gru = GRU<Double>(2, 3, numLayers: 2, bidirectional: true, generator: Generator(seed: 11))
        let input = sample([3, 2, 2], seed: 12), h0 = sample([4, 2, 3], seed: 13)
        let (dense, denseHidden) = gru(input, h0)
        let (packed, packedHidden) = gru(packPaddedSequence(input, lengths: [3, 3]), h0)
        let (noGrad, noGradHidden) = withNoGrad { gru(packPaddedSequence(input, lengths: [3, 3]), h0) }
        for (output, hidden) in [(packed, packedHidden), (noGrad, noGradHidden)] {
            let padded = padPackedSequence(output).padded
            #expect(zip(padded.scalars, dense.scalars).allSatisfy { abs($0 - $1) < 1e-12 })
            #expect(zip(hidden.scalars, denseHidden.scalars).allSatisfy { abs($0 - $1) < 1e-12 })
        }
        #expect(!noGrad.data.requiresGrad && packed.data.requiresGrad)
    }

    @Test("a PackedSequence built from its fields pads like PyTorch's documented example")
    func fromFields() {
        // pad_packed_sequence's docstring: lengths [2, 1, 3], batch_first, enforce_sorted=False.
        let packed = PackedSequence(
            data: Tensor<Double>([4, 1, 3, 5, 2, 6]), batchSizes: Tensor([3, 2, 1]), sortedIndices: Tensor([2, 0, 1]))
        #expect(packed.unsortedIndices?.scalars == [1, 2, 0])
        let (padded, lengths) = padPackedSequence(packed, batchFirst: true)
        #expect(padded.shape == [3, 3])
        #expect(padded.scalars == [1, 2, 0, 3, 0, 0, 4, 5, 6])
        #expect(lengths.scalars == [2, 1, 3])
        let repacked = packPaddedSequence(padded, lengths: lengths, batchFirst: true, enforceSorted: false)
        #expect(repacked.data.scalars == packed.data.scalars)
        #expect(repacked.sortedIndices?.scalars == [2, 0, 1])
    }

    @Test("padding a packed batch restores the padded input (round trip)")
    func roundTrip() {
        let input = sample([4, 3, 2], seed: 10)
        let packed = packPaddedSequence(input, lengths: [4, 1, 3], enforceSorted: false)
        #expect(packed.data.shape == [8, 2])
        #expect(packed.batchSizes.scalars == [3, 2, 2, 1])
        let (padded, lengths) = padPackedSequence(packed)
        #expect(lengths.scalars == [4, 1, 3])
        let mask = Tensor<Double>(shape: [4, 3, 1], scalars: [1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0])
        #expect(padded.scalars == (input * mask).scalars)
    }

    @Test("bad lengths trap with a message naming the op")
    func misuse() async {
        func expectMessage(_ result: ExitTest.Result?, _ message: String) {
            let output = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
            #expect(output.contains(message), "the trap's message was: \(output)")
        }
        expectMessage(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = packPaddedSequence(Tensor<Double>.zeros([3, 2, 1]), lengths: [1, 2])
            }, "packPaddedSequence: lengths [1, 2] must be sorted in decreasing order when enforceSorted is true")
        expectMessage(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = packPaddedSequence(Tensor<Double>.zeros([3, 2, 1]), lengths: [2, 0], enforceSorted: false)
            }, "packPaddedSequence: length of all samples has to be greater than 0")
        expectMessage(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = packPaddedSequence(Tensor<Double>.zeros([3, 2, 1]), lengths: [4, 2])
            }, "packPaddedSequence: lengths [4, 2] exceed the 3 time steps")
        expectMessage(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = packPaddedSequence(Tensor<Double>.zeros([3, 2, 1]), lengths: [3, 2, 1])
            }, "packPaddedSequence: expected 2 lengths")
        expectMessage(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = padPackedSequence(packPaddedSequence(Tensor<Double>.zeros([3, 2, 1]), lengths: [3, 2]), totalLength: 2)
            }, "padPackedSequence: expected totalLength to be at least")
    }
}
