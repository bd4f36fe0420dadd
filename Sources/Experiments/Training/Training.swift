import NN
import Optim
import Tensor

/// The outcome of ``train(_:on:optimizer:epochs:clipValue:onEpoch:)``.
public struct TrainingResult: Sendable {
    /// The loss of every epoch's forward pass, before that epoch's step; `losses[0]` is epoch 1.
    /// Empty unless the losses were recorded (`recordLosses`), so that a long run's memory stays flat.
    public var losses: [Double]
    /// How many epochs ran (fewer than asked when the callback stopped early).
    public var epochs: Int
    /// The last epoch's loss (NaN when no epoch ran).
    public var finalLoss: Double
    /// Wall-clock seconds spent in the epochs.
    public var seconds: Double
}

/// What a per-epoch callback tells the training loop.
public enum EpochDecision: Sendable {
    /// Train the next epoch.
    case proceed
    /// Stop after this epoch (early stopping).
    case stop
}

/// Why training stopped early.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// The loss became NaN or infinite at this epoch (1-based).
    case nonFiniteLoss(value: Double, epoch: Int)
    /// The caller's per-epoch callback failed with this message (e.g. a checkpoint could not be written).
    case callbackFailed(String)

    public var description: String {
        switch self {
        case .nonFiniteLoss(let value, let epoch): "loss is \(value.isNaN ? "nan" : "\(value)") at epoch \(epoch)"
        case .callbackFailed(let message): message
        }
    }
}

extension CharRNN {
    /// Whether greedy decoding from the task's first character reproduces the whole text.
    ///
    /// Computed from one teacher-forced forward pass: if the arg-max after every true prefix is
    /// the true next character, greedy decoding feeds exactly the true text back in, and
    /// conversely, so the two agree.
    public func predictsPerfectly(_ task: CharTask<Scalar>) -> Bool {
        let predicted = withNoGrad { self(task.inputs).logits.reshape(-1, vocabularySize).argmax(axis: 1) }
        return predicted.scalars == task.targets.scalars
    }

    /// The mean cross-entropy of the model's predictions for `task` from h0 = 0 (the forward
    /// pass of one epoch), as a differentiable 0-d tensor.
    @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
    public func loss(on task: CharTask<Scalar>) -> Tensor<Scalar> {
        let logits = self(task.inputs).logits
        return crossEntropy(logits.reshape(-1, vocabularySize), task.targets)
    }
}

/// Trains `model` on `task` for `epochs` full-text epochs, as the coursework does: each epoch
/// zeroes the gradients, runs the text minus its last character from h0 = 0, takes the mean
/// cross-entropy against the text shifted by one, back-propagates, optionally clips every
/// gradient element to `[-clipValue, clipValue]`, and steps the optimizer.
///
/// - Parameters:
///   - recordLosses: whether ``TrainingResult/losses`` keeps every epoch's loss (8 bytes an
///     epoch); otherwise only the count and the final loss are kept.
///   - onEpoch: called after every epoch with its number (1-based) and loss; returning
///     ``EpochDecision/stop`` ends training after that epoch.
/// - Throws: ``TrainingError/nonFiniteLoss(value:epoch:)`` as soon as a loss is NaN or infinite.
@_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
public func train<Scalar>(
    _ model: CharRNN<Scalar>, on task: CharTask<Scalar>, optimizer: any Optimizer<Scalar>, epochs: Int,
    clipValue: Double? = nil, recordLosses: Bool = true,
    onEpoch: (Int, Double) throws(TrainingError) -> EpochDecision = { _, _ throws(TrainingError) in .proceed }
) throws(TrainingError) -> TrainingResult {
    var losses: [Double] = []
    var completed = 0, finalLoss = Double.nan
    let parameters = model.parameters()  // reflection is not free: find them once
    let clock = ContinuousClock()
    let start = clock.now
    for epoch in stride(from: 1, through: epochs, by: 1) {
        optimizer.zeroGrad()
        let loss = model.loss(on: task)
        let value = loss.item.doubleValue
        guard value.isFinite else { throw .nonFiniteLoss(value: value, epoch: epoch) }
        loss.backward()
        if let clipValue { clipGradValue(parameters, clipValue: Scalar(clipValue)) }
        optimizer.step()
        if recordLosses { losses.append(value) }
        completed = epoch
        finalLoss = value
        if try onEpoch(epoch, value) == .stop { break }
    }
    let elapsed = clock.now - start
    return TrainingResult(
        losses: losses, epochs: completed, finalLoss: finalLoss,
        seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
}
