import Foundation
import Tensor

/// min-char-rnn's training loop, one iteration per ``step()``:
///
///     p = 0, n = 0, smooth_loss = −log(1/V) · seq_length
///     each iteration:
///         if p + seq_length + 1 ≥ len(data) or n = 0: h = 0, p = 0
///         inputs = data[p ..< p + L], targets = data[p + 1 ... p + L],  L = min(seq_length, len(data) − 1)
///         loss, gradients, h = lossFun(inputs, targets, h)
///         smooth_loss = 0.999 smooth_loss + 0.001 loss
///         clip every gradient element to [−clip, clip]; update every parameter
///         p += seq_length, n += 1
///
/// A text no longer than seq_length + 1 is therefore trained on whole, from h = 0, every iteration.
public struct MinCharRNNTraining<Scalar: TensorFloatingPoint> {
    /// The model being trained.
    public let model: MinCharRNN<Scalar>
    /// The update rule and its memory.
    public private(set) var optimizer: MinCharRNNOptimizer<Scalar>
    /// The text as vocabulary indices.
    public let data: [Int]
    /// seq_length: how far the position advances each iteration.
    public let sequenceLength: Int
    /// The gradient elements are clipped to [−clip, clip].
    public let clip: Double
    /// n: the iterations done.
    public private(set) var iteration = 0
    /// p: where the next chunk starts.
    public private(set) var position = 0
    /// The hidden state carried to the next chunk, `[H, 1]`.
    public private(set) var hidden: Tensor<Scalar>
    /// The exponential average of the loss, from −log(1/V) · seq_length.
    public private(set) var smoothLoss: Double

    /// A loop at iteration 0 over `data`.
    ///
    /// - Precondition: `data` has at least 2 characters, all in the model's vocabulary;
    ///   `sequenceLength` is positive.
    public init(model: MinCharRNN<Scalar>, data: [Int], sequenceLength: Int, optimizer: MinCharRNNOptimizer<Scalar>, clip: Double) {
        check(data.count >= 2, "MinCharRNNTraining: the text needs at least 2 characters, it has \(data.count)")
        check(sequenceLength > 0, "MinCharRNNTraining: sequence length \(sequenceLength)")
        self.model = model
        self.data = data
        self.sequenceLength = sequenceLength
        self.optimizer = optimizer
        self.clip = clip
        hidden = model.zeroHidden()
        smoothLoss = -Foundation.log(1.0 / Double(model.vocabularySize)) * Double(sequenceLength)
    }

    /// L: the characters one chunk predicts.
    public var chunkLength: Int { Swift.min(sequenceLength, data.count - 1) }

    /// The chunk the next iteration trains on (with h reset when it starts from 0), as
    /// min-char-rnn chooses it.
    public func nextChunk() -> (inputs: [Int], targets: [Int], restart: Bool) {
        let restart = position + sequenceLength + 1 >= data.count || iteration == 0
        let start = restart ? 0 : position
        return (Array(data[start..<(start + chunkLength)]), Array(data[(start + 1)...(start + chunkLength)]), restart)
    }

    /// Where the next iteration starts: its chunk's first character and the hidden state it
    /// reads it with (0 when the chunk starts the text again). min-char-rnn samples from there.
    public func nextStart() -> (character: Int, hidden: Tensor<Scalar>) {
        let (inputs, _, restart) = nextChunk()
        return (inputs[0], restart ? model.zeroHidden() : hidden)
    }

    /// One iteration; returns its loss (summed over the chunk).
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public mutating func step() -> Double {
        let (inputs, targets, restart) = nextChunk()
        if restart {
            hidden = model.zeroHidden()
            position = 0
        }
        let (loss, gradients, last) = model.lossAndGradients(inputs: inputs, targets: targets, hidden: hidden)
        hidden = last
        smoothLoss = smoothLoss * 0.999 + loss * 0.001
        let bound = Scalar(clip)
        for (key, parameter) in model.namedParameters() {
            optimizer.update(parameter, key: key, gradient: gradients[key]!.clamp(min: -bound, max: bound))
        }
        position += sequenceLength
        iteration += 1
        return loss
    }
}
